"""Every public function and class of qcode/core says what it is for.

The rule, read from the source with `ast` (nothing is imported):
- public means a name without a leading underscore: a module-level function or class, a method of a public
  class (properties and overrides of a base class's method included: what a subclass's `parse` or `sniff`
  does differs from the next one's), and the classes and methods nested in a public class;
- dunder methods (`__init__`, `__iter__` ...) and anything named with a leading underscore are exempt, as are
  functions defined inside functions;
- a docstring is a string literal as the first statement, and says more than nothing (not blank).
"""

from __future__ import annotations

import ast
from pathlib import Path

import qcode

CORE = Path(qcode.__file__).parent / "core"
Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def undocumented(tree: ast.Module, where: str) -> list[str]:
    """The public functions and classes of a module's tree without a docstring, as "where:line name"."""
    found: list[str] = []

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if not isinstance(node, Definition) or node.name.startswith("_"):
                continue
            docstring = ast.get_docstring(node)
            if docstring is None or not docstring.strip():
                found.append(f"{where}:{node.lineno} {prefix}{node.name}")
            if isinstance(node, ast.ClassDef):
                walk(node.body, f"{prefix}{node.name}.")

    walk(tree.body, "")
    return found


def test_every_public_function_and_class_of_the_core_has_a_docstring() -> None:
    missing = []
    for path in sorted(CORE.rglob("*.py")):
        where = str(path.relative_to(CORE.parent))
        missing += undocumented(ast.parse(path.read_text(encoding="utf-8")), where)
    assert not missing, f"{len(missing)} without a docstring:\n" + "\n".join(missing)


def test_the_check_sees_what_it_should_and_only_that() -> None:
    source = '''
def public(): pass
def _private(): pass
def documented():
    """Says why."""
def blank():
    """ """
class Thing:
    """A thing."""
    def __init__(self): pass
    def method(self): pass
    @property
    def size(self): return 1
    def _helper(self): pass
    class Inner:
        def deep(self): pass
class _Hidden:
    def method(self): pass
def outer():
    """Has an inner helper."""
    def inner(): pass
'''
    assert undocumented(ast.parse(source), "m.py") == [
        "m.py:2 public", "m.py:6 blank", "m.py:11 Thing.method", "m.py:13 Thing.size", "m.py:15 Thing.Inner",
        "m.py:16 Thing.Inner.deep",
    ]
