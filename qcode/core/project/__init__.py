"""The Project facade: the public API every face (GUI, CLI, benchmark, tests) uses.

`Project` (in `facade.py`) wraps one open project file: its lifecycle, coders and change notification. Its
methods are grouped by subject in the modules beside it (sources, codebook, codings, cases, memos, ...), each
a mixin over `base.ProjectBase`. Plain values it hands out live in `qcode.core.model`, errors in
`qcode.core.errors`.
"""

from qcode.core.project.facade import CODER_COLORS, Change, Listener, Project, default_coder_name

__all__ = ["CODER_COLORS", "Change", "Listener", "Project", "default_coder_name"]
