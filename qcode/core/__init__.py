"""The Qt-free core of qcode: project files, codebook, codings, cases, memos, queries.

The GUI, the command line, the benchmark and the tests all go through `qcode.core.project.Project`.
"""

from qcode.core.errors import QcodeError
from qcode.core.project import Project

__all__ = ["Project", "QcodeError"]
