"""A project seen through its name register: every text a reader of the Project API gets back is pseudonymised.

Exports are written from this view instead of the project (one pass before any writer), so every writer —
Word, Excel, CSV, and what later plugs into the exporter registry — writes source, code, case, coder and
folder names, excerpts, memos, attribute values, locations (speaker labels) and the project's title with
the register applied, without knowing about it. Identifiers, colours, kinds and timestamps are left as they
are. The view only reads: any method that would change the project is refused.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from qcode.core.errors import InvalidOperationError
from qcode.core.privacy.pseudonymise import Pseudonymiser

#: fields of the core's values that are never text a person wrote
TECHNICAL_FIELDS = frozenset({
    "kind", "color", "guid", "type", "scope", "target_kind", "sha256", "created_at", "updated_at", "imported_at",
    "action", "status",
})
#: Project methods that change the project (the view refuses them)
_WRITES = ("add_", "create_", "delete_", "remove_", "rename_", "recolor_", "update_", "set_", "move_", "merge_",
           "restore_", "import_", "apply_", "use_coder", "name_coder", "ensure_coder", "save_copy", "atomic",
           "find_or_create_")


class PseudonymisedView:
    """Read the project as a pseudonymised export must show it; `project` and `pseudonymiser` stay reachable."""

    def __init__(self, project: Any, pseudonymiser: Pseudonymiser) -> None:
        self.project = project
        self.pseudonymiser = pseudonymiser

    def clean(self, value: Any) -> Any:
        """A value with the register applied to every text in it (strings, the core's values, containers)."""
        if isinstance(value, str):
            return self.pseudonymiser.apply(value)
        if isinstance(value, list):
            return [self.clean(item) for item in value]
        if isinstance(value, tuple):
            cleaned = [self.clean(item) for item in value]
            return type(value)(*cleaned) if hasattr(value, "_fields") else tuple(cleaned)
        if isinstance(value, dict):
            return {self.clean(key): self.clean(item) for key, item in value.items()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self.clean(getattr(value, f.name)) for f in dataclasses.fields(value)
                       if f.name not in TECHNICAL_FIELDS}
            return dataclasses.replace(value, **changes)
        return value

    def __getattr__(self, name: str) -> Any:
        if name.startswith(_WRITES):
            raise InvalidOperationError("A pseudonymised view of a project is for reading; it changes nothing.")
        attribute = getattr(self.project, name)
        if callable(attribute):
            method: Callable[..., Any] = attribute

            def cleaned(*args: Any, **kwargs: Any) -> Any:
                return self.clean(method(*args, **kwargs))

            return cleaned
        return self.clean(attribute)
