"""Undo commands by subject (QUndoCommand subclasses): each wraps one core call and its inverse.

`base` holds `CoreCommand` and `push`/`push_or_warn`, which apply a command before it is recorded, so a change
the core refuses never reaches the undo stack.
"""
