"""The Project facade: the public API every face (GUI, CLI, benchmark, tests) uses.

`Project` (in `facade.py`) wraps one open project file: its lifecycle, coders and change notification. Its
methods are grouped by subject in the modules beside it (sources, codebook, codings, cases, memos, ...), each
a mixin over `base.ProjectBase`. Plain values it hands out live in `qcode.core.model`, errors in
`qcode.core.errors`.

The faces import the core only through `qcode.core.project`, `model`, `errors`, `paths` and `progress` (a test
in tests/unit/test_crash_and_layering.py holds them to it). What else they need, the requests and reports of
the subsystems and the few functions that work without an open project, is re-exported here from the module
that defines it, under the name in `_ELSEWHERE` (a generic name gets its subject: `AGREEMENT_UNITS`). Those
modules are imported on first use, so opening a project does not load the Word, Excel and REFI-QDA code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from qcode.core.project.cases import coerce_value
from qcode.core.project.codebook import TEXT_FIELDS as CODE_TEXT_FIELDS
from qcode.core.project.facade import CODER_COLORS, Change, Listener, Project, default_coder_name

if TYPE_CHECKING:  # the same names as `_ELSEWHERE` gives them, for type checkers
    from qcode.core.analysis.frequencies import Grouping
    from qcode.core.analysis.matrix import percentages as matrix_percentages
    from qcode.core.analysis.words import read_stop_words
    from qcode.core.archive import verify_archive, write_archive
    from qcode.core.autocode import AutocodePreview, AutocodeRequest, snap_to_words
    from qcode.core.demo import build_demo
    from qcode.core.diagnostics import unexpected_failure
    from qcode.core.exporters import FILTERS as EXPORT_FILTERS
    from qcode.core.exporters import export, exporter_for, prepare_export
    from qcode.core.exporters import supported as supported_exports
    from qcode.core.exporters.analysis_export import AnalysisTable
    from qcode.core.exporters.analysis_export import to_tsv as analysis_tsv
    from qcode.core.exporters.analysis_export import write_docx as write_analysis_docx
    from qcode.core.exporters.analysis_export import write_xlsx as write_analysis_xlsx
    from qcode.core.exporters.docx_export import FREQUENCY_CAPTION
    from qcode.core.exporters.safety import csv_cell, refuse_project_target
    from qcode.core.exporters.tables import PATH_SEPARATOR as EXPORT_PATH_SEPARATOR
    from qcode.core.exporters.tables import Table as ExportTable
    from qcode.core.exporters.tables import frequency_table
    from qcode.core.importers import ImportOptions, SurveyOptions, importable_suffixes
    from qcode.core.importers.structure import label_line_end
    from qcode.core.importers.survey_columns import SurveyColumns, survey_columns
    from qcode.core.privacy.export import check_scope as name_check_scope
    from qcode.core.privacy.export import export_pseudonymised, unregistered_names
    from qcode.core.privacy.suggest import Suggestion as NameSuggestion
    from qcode.core.refi.document import ExchangeReport, ImportRecord, ImportUndo
    from qcode.core.refi.reader import read_qdpx
    from qcode.core.team.agreement import UNIT_WORDS as AGREEMENT_UNIT_WORDS
    from qcode.core.team.agreement import UNITS as AGREEMENT_UNITS
    from qcode.core.team.agreement import AgreementReport, AgreementRequest, AgreementRow
    from qcode.core.team.agreement_export import HEADERS as AGREEMENT_HEADERS
    from qcode.core.team.agreement_export import PLACES as AGREEMENT_PLACES
    from qcode.core.team.agreement_export import export_agreement
    from qcode.core.team.agreement_export import row_cells as agreement_row_cells
    from qcode.core.team.merge import MergeReport
    from qcode.core.team.review import Disagreement, Resolution
    from qcode.core.team.review import coverage as coders_coverage
    from qcode.core.team.review import resolution as disagreement_resolution

#: public name -> (the module that defines it, its name there)
_ELSEWHERE: dict[str, tuple[str, str]] = {
    "Grouping": ("qcode.core.analysis.frequencies", "Grouping"),
    "matrix_percentages": ("qcode.core.analysis.matrix", "percentages"),
    "read_stop_words": ("qcode.core.analysis.words", "read_stop_words"),
    "verify_archive": ("qcode.core.archive", "verify_archive"),
    "write_archive": ("qcode.core.archive", "write_archive"),
    "AutocodePreview": ("qcode.core.autocode", "AutocodePreview"),
    "AutocodeRequest": ("qcode.core.autocode", "AutocodeRequest"),
    "snap_to_words": ("qcode.core.autocode", "snap_to_words"),
    "build_demo": ("qcode.core.demo", "build_demo"),
    "unexpected_failure": ("qcode.core.diagnostics", "unexpected_failure"),
    "AnalysisTable": ("qcode.core.exporters.analysis_export", "AnalysisTable"),
    "analysis_tsv": ("qcode.core.exporters.analysis_export", "to_tsv"),
    "write_analysis_docx": ("qcode.core.exporters.analysis_export", "write_docx"),
    "write_analysis_xlsx": ("qcode.core.exporters.analysis_export", "write_xlsx"),
    "FREQUENCY_CAPTION": ("qcode.core.exporters.docx_export", "FREQUENCY_CAPTION"),
    "ExportTable": ("qcode.core.exporters.tables", "Table"),
    "EXPORT_PATH_SEPARATOR": ("qcode.core.exporters.tables", "PATH_SEPARATOR"),
    "EXPORT_FILTERS": ("qcode.core.exporters", "FILTERS"),
    "export": ("qcode.core.exporters", "export"),
    "exporter_for": ("qcode.core.exporters", "exporter_for"),
    "prepare_export": ("qcode.core.exporters", "prepare_export"),
    "supported_exports": ("qcode.core.exporters", "supported"),
    "csv_cell": ("qcode.core.exporters.safety", "csv_cell"),
    "refuse_project_target": ("qcode.core.exporters.safety", "refuse_project_target"),
    "frequency_table": ("qcode.core.exporters.tables", "frequency_table"),
    "ImportOptions": ("qcode.core.importers", "ImportOptions"),
    "SurveyOptions": ("qcode.core.importers", "SurveyOptions"),
    "importable_suffixes": ("qcode.core.importers", "importable_suffixes"),
    "label_line_end": ("qcode.core.importers.structure", "label_line_end"),
    "SurveyColumns": ("qcode.core.importers.survey_columns", "SurveyColumns"),
    "survey_columns": ("qcode.core.importers.survey_columns", "survey_columns"),
    "name_check_scope": ("qcode.core.privacy.export", "check_scope"),
    "export_pseudonymised": ("qcode.core.privacy.export", "export_pseudonymised"),
    "unregistered_names": ("qcode.core.privacy.export", "unregistered_names"),
    "NameSuggestion": ("qcode.core.privacy.suggest", "Suggestion"),
    "ExchangeReport": ("qcode.core.refi.document", "ExchangeReport"),
    "ImportRecord": ("qcode.core.refi.document", "ImportRecord"),
    "ImportUndo": ("qcode.core.refi.document", "ImportUndo"),
    "read_qdpx": ("qcode.core.refi.reader", "read_qdpx"),
    "AGREEMENT_UNIT_WORDS": ("qcode.core.team.agreement", "UNIT_WORDS"),
    "AGREEMENT_UNITS": ("qcode.core.team.agreement", "UNITS"),
    "AgreementReport": ("qcode.core.team.agreement", "AgreementReport"),
    "AgreementRequest": ("qcode.core.team.agreement", "AgreementRequest"),
    "AgreementRow": ("qcode.core.team.agreement", "AgreementRow"),
    "AGREEMENT_HEADERS": ("qcode.core.team.agreement_export", "HEADERS"),
    "AGREEMENT_PLACES": ("qcode.core.team.agreement_export", "PLACES"),
    "export_agreement": ("qcode.core.team.agreement_export", "export_agreement"),
    "agreement_row_cells": ("qcode.core.team.agreement_export", "row_cells"),
    "MergeReport": ("qcode.core.team.merge", "MergeReport"),
    "Disagreement": ("qcode.core.team.review", "Disagreement"),
    "Resolution": ("qcode.core.team.review", "Resolution"),
    "coders_coverage": ("qcode.core.team.review", "coverage"),
    "disagreement_resolution": ("qcode.core.team.review", "resolution"),
}


def __getattr__(name: str) -> object:
    """A re-exported name, its module imported on first use (PEP 562)."""
    try:
        module, attribute = _ELSEWHERE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # the next use finds it at once
    return value


__all__ = [  # the names above and those of `_ELSEWHERE` (a test checks they are the same)
    "AGREEMENT_HEADERS",
    "AGREEMENT_PLACES",
    "AGREEMENT_UNITS",
    "AGREEMENT_UNIT_WORDS",
    "CODER_COLORS",
    "CODE_TEXT_FIELDS",
    "EXPORT_FILTERS",
    "EXPORT_PATH_SEPARATOR",
    "FREQUENCY_CAPTION",
    "AgreementReport",
    "AgreementRequest",
    "AgreementRow",
    "AnalysisTable",
    "AutocodePreview",
    "AutocodeRequest",
    "Change",
    "Disagreement",
    "ExchangeReport",
    "ExportTable",
    "Grouping",
    "ImportOptions",
    "ImportRecord",
    "ImportUndo",
    "Listener",
    "MergeReport",
    "NameSuggestion",
    "Project",
    "Resolution",
    "SurveyColumns",
    "SurveyOptions",
    "agreement_row_cells",
    "analysis_tsv",
    "build_demo",
    "coders_coverage",
    "coerce_value",
    "csv_cell",
    "default_coder_name",
    "disagreement_resolution",
    "export",
    "export_agreement",
    "export_pseudonymised",
    "exporter_for",
    "frequency_table",
    "importable_suffixes",
    "label_line_end",
    "matrix_percentages",
    "name_check_scope",
    "prepare_export",
    "read_qdpx",
    "read_stop_words",
    "refuse_project_target",
    "snap_to_words",
    "supported_exports",
    "survey_columns",
    "unexpected_failure",
    "unregistered_names",
    "verify_archive",
    "write_analysis_docx",
    "write_analysis_xlsx",
    "write_archive",
]
