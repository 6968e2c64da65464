"""The analysis subcommands: matrix, cooccur, query, words, kwic, saturation (their options and handlers).

Each prints a listing in the shared formats (table, csv, json) and takes the shared filters; each result can be
followed back to its excerpts (`matrix --list-cell`, `cooccur --list-pair`; `query` and `kwic` list text).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from qcode.cli.commands import UsageError, _open, build_filter
from qcode.cli.output import print_rows
from qcode.core.errors import NotFoundError, QcodeError
from qcode.core.model import MATRIX_CELLS, Excerpt, Matrix
from qcode.core.project import Grouping, Project
from qcode.core.project import matrix_percentages as percentages

EXCERPT_COLUMNS = ("code", "source", "source_id", "coder", "start", "end", "location", "text")


def register(command: Callable[..., argparse.ArgumentParser],
             filters: Callable[[argparse.ArgumentParser], None],
             formats: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the analysis subcommands through the parser's `command`, `_filters` and `_formats` helpers."""
    p = command("matrix", cmd_matrix, "matrix coding: codes by cases, sources, coders or an attribute's values")
    p.add_argument("project")
    p.add_argument("--columns", "--by", dest="columns", metavar="case|source|coder|attribute:NAME",
                   help="what the columns are (default: case)")
    p.add_argument("--cell", choices=MATRIX_CELLS, default="excerpts",
                   help="what a cell counts: excerpts (default), sources, cases or characters (union of ranges)")
    p.add_argument("--percent", choices=("none", "row", "column"), default="none",
                   help="show each cell as a percentage of its row's or its column's total")
    p.add_argument("--own", action="store_true", help="count each code's own codings only (default: with sub-codes)")
    p.add_argument("--list-cell", nargs=2, metavar=("CODE", "COLUMN"),
                   help="list the excerpts counted in one cell instead ('total' for the total row or column)")
    filters(p)
    formats(p)

    p = command("cooccur", cmd_cooccur, "co-occurrence: pairs of codes whose codings appear together")
    p.add_argument("project")
    p.add_argument("--mode", default="overlap", metavar="overlap|paragraph|turn|near:N",
                   help="together means: overlapping (default), in one paragraph, in one speaker turn, or within "
                        "N characters")
    p.add_argument("--with-descendants", action="store_true",
                   help="pair every code, a parent standing for its sub-codes (default: leaf codes)")
    p.add_argument("--list-pair", nargs=2, metavar=("A", "B"), help="list the pairs of excerpts behind one row")
    filters(p)
    formats(p)

    p = command("query", cmd_query, 'coding query: combine codes, e.g. \'"A" AND "B"@Sam\'')
    p.add_argument("project")
    p.add_argument("expression", help='code paths in double quotes with AND, OR, NOT, NEAR/N, SAMEPARA, SAMETURN, '
                                      '"A"@CODER and parentheses')
    p.add_argument("--save-as", metavar="CODE", help="code every passage found with this code (created if new)")
    p.add_argument("--excerpts", action="store_true",
                   help="list the excerpts behind each passage (the codings of the query's codes overlapping it)")
    filters(p)
    formats(p)
    p.add_argument("--as-coder", dest="save_coder", metavar="NAME",
                   help="with --save-as: who codes (default: $QCODE_CODER, else your user name)")

    p = command("words", cmd_words, "word frequencies over the coded text of codes, or over the sources")
    p.add_argument("project")
    p.add_argument("--min-length", type=int, default=1, metavar="N", help="leave out words shorter than N")
    p.add_argument("--stop-words", metavar="FILE", help="more words to leave out (a UTF-8 file, one per line)")
    p.add_argument("--no-builtin-stop-words", action="store_true", help="count English stop words too")
    p.add_argument("--no-project-stop-words", action="store_true",
                   help="count the words of the project's own stop list (kept by the app's Word frequency view)")
    p.add_argument("--limit", type=int, default=100, metavar="N", help="the N most frequent words (default: 100)")
    filters(p)
    formats(p)

    p = command("kwic", cmd_kwic, "keyword in context: every occurrence of a word with the text around it")
    p.add_argument("project")
    p.add_argument("word")
    p.add_argument("--width", type=int, default=40, metavar="N", help="characters on each side (default: 40)")
    filters(p)
    formats(p)

    p = command("saturation", cmd_saturation, "saturation: the new codes each source brings, in order")
    p.add_argument("project")
    p.add_argument("--order", default="import", metavar="import|name|attribute:NAME",
                   help="the order of the sources (default: import)")
    p.add_argument("--list-source", metavar="S",
                   help="list the excerpts behind one row: the codings of the codes first applied in that source")
    filters(p)
    formats(p)


def _columns(project: Project, spec: str | None) -> Grouping:
    spec = (spec or "case").strip()
    if spec in ("source", "case", "coder"):
        return Grouping(spec)
    if spec.startswith("attribute:"):
        return Grouping("attribute", project.find_attribute(spec[len("attribute:"):].strip()).id)
    raise UsageError(f"--columns takes case, source, coder or attribute:NAME, not '{spec}'.")


def _excerpt_rows(project: Project, excerpts: list[Excerpt]) -> list[tuple]:
    coders = {c.id: c.name for c in project.coders()}
    return [(project.code_path(e.coding.code_id), e.source_name, e.coding.source_id, coders[e.coding.coder_id],
             e.coding.start, e.coding.end, e.location, e.text) for e in excerpts]


def _one_line(rows: list[tuple], fmt: str, text_at: int) -> list[tuple] | None:
    """Table cells with the text on one line and cut at 100 characters (csv and json keep it whole)."""
    if fmt != "table":
        return None
    return [(*r[:text_at], _short(r[text_at]), *r[text_at + 1:]) for r in rows]


def _short(text: str, limit: int = 100) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def cmd_matrix(args: argparse.Namespace) -> int:
    with _open(args, write=False) as project:
        flt = build_filter(project, args)
        columns = _columns(project, args.columns)
        if args.list_cell:
            if args.percent != "none" or args.cell != "excerpts":
                raise UsageError("--list-cell lists excerpts: leave out --percent and --cell.")
            return _list_cell(project, flt, columns, args)
        result = project.matrix(flt, columns=columns, cell=args.cell, own=args.own)
    header = ["code", *(c.label for c in result.columns), "total"]
    rows = _matrix_rows(result, args.percent)
    print_rows(header, rows, args.format)
    if args.format == "table" and result.note:
        print(f"\n{result.note}")
    return 0


def _matrix_rows(result: Matrix, percent: str) -> list[list]:
    if percent == "none":
        body = [[r.path, *r.cells, r.total] for r in result.rows]
        return [*body, ["total", *result.column_totals, result.grand_total]]
    shares, last = percentages(result, percent)
    return [*([r.path, *s] for r, s in zip(result.rows, shares, strict=True)), ["total", *last]]


def _list_cell(project: Project, flt, columns: Grouping, args: argparse.Namespace) -> int:
    code_ref, column_ref = args.list_cell
    code_id = None if code_ref.strip().casefold() == "total" else project.find_code(code_ref).id
    column: object | None = None
    if column_ref.strip().casefold() != "total":
        labels = project.matrix(flt, columns=columns).columns
        found = [c for c in labels if c.label == column_ref] or [
            c for c in labels if c.label.casefold() == column_ref.strip().casefold()]
        if not found:
            raise NotFoundError("column", f"'{column_ref}' (the columns are: "
                                f"{', '.join(c.label for c in labels) or 'none'})")
        column = found[0].key
    excerpts = project.matrix_cell_excerpts(flt, columns=columns, code_id=code_id, column=column, own=args.own)
    rows = _excerpt_rows(project, excerpts)
    print_rows(EXCERPT_COLUMNS, rows, args.format, table_cells=_one_line(rows, args.format, 7))
    return 0


def cmd_cooccur(args: argparse.Namespace) -> int:
    with _open(args, write=False) as project:
        flt = build_filter(project, args)
        if args.list_pair:
            a, b = (project.find_code(ref).id for ref in args.list_pair)
            pairs = project.cooccurrence_excerpts(flt, code_a=a, code_b=b, mode=args.mode,
                                                  with_descendants=args.with_descendants)
            rows = [(number, *row) for number, pair in enumerate(pairs, start=1)
                    for row in _excerpt_rows(project, list(pair))]
            print_rows(("pair", *EXCERPT_COLUMNS), rows, args.format, table_cells=_one_line(rows, args.format, 8))
            return 0
        found = project.cooccurrence(flt, mode=args.mode, with_descendants=args.with_descendants)
    print_rows(("code_a", "code_b", "count", "jaccard"), [(r.path_a, r.path_b, r.count, r.jaccard) for r in found],
               args.format)
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    if args.save_coder and not args.save_as:
        raise UsageError("--as-coder goes with --save-as.")
    if args.excerpts and args.save_as:
        raise UsageError("--excerpts lists, --save-as codes: give one of them.")
    if args.excerpts:
        with _open(args, write=False) as project:
            found = project.coding_query_excerpts(args.expression, build_filter(project, args))
            rows = [(number, *row) for number, (_, excerpts) in enumerate(found, start=1)
                    for row in _excerpt_rows(project, excerpts)]
        print_rows(("passage", *EXCERPT_COLUMNS), rows, args.format, table_cells=_one_line(rows, args.format, 8))
        return 0
    with _open_for_query(args) as project:
        flt = build_filter(project, args)
        passages = project.coding_query(args.expression, flt)
        rows = [(p.source_name, p.source_id, p.start, p.end, p.location, p.text) for p in passages]
        print_rows(("source", "source_id", "start", "end", "location", "text"), rows, args.format,
                   table_cells=_one_line(rows, args.format, 5))
        if args.save_as:
            with project.atomic():  # the new code and its codings are one change
                code_id = project.find_or_create_code(args.save_as)[0].id
                added = project.code_passages(passages, code_id)
            message = (f"Coded {len(added)} passages with {project.code_path(code_id)} "
                       f"({len(passages) - len(added)} were already coded so)")
            print(message, file=sys.stdout if args.format == "table" else sys.stderr)
    return 0


def _open_for_query(args: argparse.Namespace) -> Project:
    if not args.save_as:
        return _open(args, write=False)
    project = Project.open(args.project, mode="write")
    from qcode.core.project import default_coder_name

    project.name_coder(args.save_coder or default_coder_name())
    return project


def _stop_words(path: str | None) -> list[str]:
    if path is None:
        return []
    from qcode.core.project import read_stop_words

    try:
        return sorted(read_stop_words(Path(path).read_text(encoding="utf-8-sig")))
    except (OSError, UnicodeDecodeError) as err:
        raise QcodeError(f"The stop-word list {path} cannot be read as UTF-8 text: {err}.") from err


def cmd_words(args: argparse.Namespace) -> int:
    if args.min_length < 1:
        raise UsageError("--min-length takes a number of at least 1.")
    if args.limit < 1:
        raise UsageError("--limit takes a number of words of at least 1.")
    stop = _stop_words(args.stop_words)
    with _open(args, write=False) as project:
        found = project.word_frequencies(build_filter(project, args), min_length=args.min_length, stop_words=stop,
                                         use_builtin_stop_words=not args.no_builtin_stop_words,
                                         use_project_stop_words=not args.no_project_stop_words, limit=args.limit)
    print_rows(("word", "count", "sources"), [(w.word, w.count, w.sources) for w in found], args.format)
    return 0


def cmd_kwic(args: argparse.Namespace) -> int:
    if args.width < 0:
        raise UsageError("--width takes a number of characters of 0 or more.")
    with _open(args, write=False) as project:
        lines = project.kwic(args.word, build_filter(project, args), width=args.width)
    rows = [(k.source_name, k.location, k.left, k.word, k.right) for k in lines]
    if args.format == "table":
        left = max((len(r[2]) for r in rows), default=0)
        for r in rows:
            print(f"{r[0]}\t{r[1]}\t{r[2]:>{left}}[{r[3]}]{r[4]}")
        return 0
    print_rows(("source", "location", "left", "word", "right"), rows, args.format)
    return 0


def cmd_saturation(args: argparse.Namespace) -> int:
    order = (args.order or "import").strip()
    with _open(args, write=False) as project:
        flt = build_filter(project, args)
        attribute_id = None
        if order.startswith("attribute:"):
            attribute_id = project.find_attribute(order[len("attribute:"):].strip()).id
            order = "attribute"
        elif order not in ("import", "name"):
            raise UsageError(f"--order takes import, name or attribute:NAME, not '{order}'.")
        if args.list_source:
            source = project.find_source(args.list_source)
            excerpts = project.saturation_excerpts(source.id, flt, order=order, attribute_id=attribute_id)
            listed = _excerpt_rows(project, excerpts)
            print_rows(EXCERPT_COLUMNS, listed, args.format, table_cells=_one_line(listed, args.format, 7))
            return 0
        rows = project.saturation(flt, order=order, attribute_id=attribute_id)
    found = [(r.position, r.source_name, len(r.new_codes), r.cumulative_codes, "; ".join(r.new_codes)) for r in rows]
    print_rows(("position", "source", "new_codes", "cumulative_codes", "new_code_names"), found, args.format,
               table_cells=_one_line(found, args.format, 4))
    return 0
