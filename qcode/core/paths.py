"""Where qcode keeps its own files: the user data folder, the backups inside it, the crash log, the demo.

The data folder is the platform's user data folder (platformdirs), or $QCODE_DATA_DIR when set (the tests and
the benchmark use it). Folders that hold copies of a researcher's data are made private to the user.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "QCODE_DATA_DIR"


def data_dir() -> Path:
    """The user data folder (overridable with $QCODE_DATA_DIR)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("qcode", appauthor=False))


def backups_dir() -> Path:
    """The folder that holds one folder of backups per project."""
    return data_dir() / "backups"


def logs_dir() -> Path:
    """The folder of the crash log."""
    return data_dir() / "logs"


def demo_project_path() -> Path:
    """Where the app builds the demo project once (it keeps the user's changes)."""
    return data_dir() / "demo.qcode"


def make_private_folder(folder: Path) -> Path:
    """Create `folder` (and its missing parents inside the data folder) readable by this user alone (0700).

    Backups and the crash log hold a researcher's confidential material, so the folders qcode makes for them
    do not follow the umask. A data folder that already exists ($QCODE_DATA_DIR) keeps its mode.
    """
    root = data_dir()
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    folder.mkdir(parents=True, exist_ok=True)
    for made in missing:
        if made == root or root in made.parents:
            os.chmod(made, 0o700)
    if folder != root and root in folder.parents:
        os.chmod(folder, 0o700)  # an existing backups folder made by an older qcode becomes private too
    return folder
