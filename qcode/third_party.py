"""What qcode is made of: qcode's own licence and the packages it runs on, each with its version, licence and
licence texts, read from the installed package metadata (which the app bundle carries too). Qt-free; the
About dialog shows it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Package:
    """One installed package: its name, version, licence (an SPDX expression or the licence's name) and the
    texts of the licence files it ships."""

    name: str
    version: str
    licence: str
    texts: tuple[str, ...]


def _licence(meta: metadata.PackageMetadata) -> str:
    expression = meta.get_all("License-Expression") or []
    if expression:
        return str(expression[0])
    classifiers = [c.split(" :: ")[-1] for c in (meta.get_all("Classifier") or []) if c.startswith("License ::")]
    if classifiers:
        return "; ".join(classifiers)
    text = str((meta.get_all("License") or [""])[0]).strip()
    return text.splitlines()[0][:80] if text else "see the package"


def describe(name: str) -> Package | None:
    """An installed package as the About dialog lists it, or None when it is not installed."""
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None
    texts = []
    for file in dist.files or ():
        if _LICENCE_FILE.search(file.name):
            try:
                texts.append(file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
    return Package(dist.metadata["Name"], dist.version, _licence(dist.metadata), tuple(texts))


def _requirements(name: str) -> list[str]:
    try:
        requires = metadata.requires(name) or []
    except metadata.PackageNotFoundError:
        return []
    names = []
    for requirement in requires:
        if "extra ==" in requirement:
            continue
        match = _NAME.match(requirement)
        if match:
            names.append(match.group(1))
    return names


def bundled_packages() -> list[Package]:
    """Every package qcode runs on (its requirements, theirs, and so on, as installed), by name; not qcode."""
    seen: dict[str, Package] = {}
    pending = _requirements("qcode")
    while pending:
        name = pending.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        package = describe(name)
        if package is None:  # a requirement for another platform or Python
            continue
        seen[key] = package
        pending += _requirements(name)
    return sorted(seen.values(), key=lambda p: p.name.casefold())
