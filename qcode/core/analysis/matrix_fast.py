"""Matrices read from the maintained aggregates instead of the coding rows (filled in below)."""

from __future__ import annotations

import sqlite3

from qcode.core.analysis.code_scope import CodeScope
from qcode.core.analysis.frequencies import Grouping
from qcode.core.model import Filter, Matrix


def try_matrix(conn: sqlite3.Connection, flt: Filter, grouping: Grouping, *, cell: str, own: bool,
               scope: CodeScope) -> Matrix | None:
    """The matrix from the aggregates when they answer it exactly; None to compute it from the coding rows."""
    return None
