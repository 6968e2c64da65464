"""Errors a researcher can read.

Every expected problem is a `QcodeError` subclass carrying one calm sentence that says what happened and
what to do next. Anything else that escapes the core is a bug and is reported as such by the faces.
"""

from __future__ import annotations


class QcodeError(Exception):
    """An expected problem; `message` is shown to the user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- project files -------------------------------------------------------------------------------------------


class ProjectFileError(QcodeError):
    """The project file cannot be used as asked."""


class ProjectNotFoundError(ProjectFileError):
    """No file at the path given."""

    def __init__(self, path: object) -> None:
        super().__init__(f"There is no project at {path}. Check the path, or create one with 'qcode new'.")


class ProjectExistsError(ProjectFileError):
    """A new project would replace an existing file."""

    def __init__(self, path: object) -> None:
        super().__init__(f"{path} already exists. Choose another file name, or remove the old file first.")


class NotAProjectError(ProjectFileError):
    """A file that is not a qcode project (another SQLite database, or not SQLite at all)."""

    def __init__(self, path: object, detail: str = "") -> None:
        extra = f" ({detail})" if detail else ""
        super().__init__(f"{path} is not a qcode project{extra}. Open a .qcode file made by qcode.")


class ProjectTooNewError(ProjectFileError):
    """A project written by a newer qcode, whose format this version does not know."""

    def __init__(self, path: object, version: int, supported: int) -> None:
        super().__init__(
            f"{path} was saved by a newer version of qcode (format {version}; this version reads up to "
            f"{supported}). Update qcode to open it."
        )


class ProjectLockedError(ProjectFileError):
    """Another process holds the project's write lock; `holder` names it when it is a command."""

    def __init__(self, holder: str | None = None) -> None:
        if holder:
            message = (f"This project is being changed by {holder}. Wait for it to finish, or open a copy.")
        else:
            message = "This project is open in another qcode window. Close it there, or open a copy."
        super().__init__(message)
        self.holder = holder


class ReadOnlyProjectError(ProjectFileError):
    """A change asked of a project opened for reading only."""

    def __init__(self, reason: str = "it was opened read-only") -> None:
        super().__init__(f"This project cannot be changed here: {reason}. Open it for editing to make changes.")


class ReadOnlyFileError(ReadOnlyProjectError):
    """The project file itself is read-only: it can be read, searched and exported, not changed."""

    def __init__(self, path: object) -> None:
        ProjectFileError.__init__(
            self,
            f"The project file is read-only ({path}), so nothing can be changed in it. Make it writable, or "
            "save a copy, to change it; reading, searching and exporting work as usual.",
        )


class ReadOnlyFolderError(ReadOnlyProjectError):
    """The folder of the project is read-only, so its lock file cannot be made."""

    def __init__(self, folder: object) -> None:
        ProjectFileError.__init__(
            self,
            f"The folder {folder} is read-only, so qcode cannot lock the project there to change it. Move or "
            "copy the project to a folder you can write to; reading, searching and exporting work as usual.",
        )


class DiskFullError(ProjectFileError):
    """The disk (or the user's quota) is full: what was being written was not kept, and says so."""

    def __init__(self, lost: str, kept: str) -> None:
        super().__init__(f"The disk is full, so {lost}. {kept} Free some space, then try again.")


class SqliteUnsupportedError(ProjectFileError):
    """The Python's SQLite library lacks what qcode needs."""


class BackupError(ProjectFileError):
    """A backup cannot be made, found or restored."""


# --- requests that make no sense -------------------------------------------------------------------------------


class InvalidRequestError(QcodeError):
    """A request the project cannot carry out; nothing was changed."""


class NotFoundError(InvalidRequestError):
    """No object of this kind by this id, name or path."""

    def __init__(self, what: str, ref: object) -> None:
        super().__init__(f"There is no {what} {ref!s} in this project.")
        self.what = what
        self.ref = ref


class AmbiguousNameError(InvalidRequestError):
    """A bare name that several objects share; the message lists them with their paths and ids."""

    def __init__(self, what: str, name: str, candidates: list[str]) -> None:
        listed = "; ".join(candidates)
        super().__init__(
            f"More than one {what} is called '{name}': {listed}. Give its full path or its id."
        )
        self.candidates = candidates


class DuplicateNameError(InvalidRequestError):
    """A name already taken where it would go (names are unique among siblings, ignoring case)."""

    def __init__(self, what: str, name: str, where: str = "") -> None:
        place = f" {where}" if where else ""
        super().__init__(f"There is already a {what} called '{name}'{place}. Choose another name.")


class InvalidNameError(InvalidRequestError):
    """An empty name, or one with a '/' (which separates the parts of a path)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"A {what} needs a name that is not empty and has no '/' in it.")


class InvalidRangeError(InvalidRequestError):
    """A range that is empty or lies outside its source's text."""

    def __init__(self, start: int, end: int, length: int) -> None:
        if end <= start:
            msg = f"The selection {start}-{end} is empty. Select some text first."
        else:
            msg = (
                f"The selection {start}-{end} lies outside the text, which has {length} characters "
                f"(positions 0 to {length})."
            )
        super().__init__(msg)


class TreeCycleError(InvalidRequestError):
    """A move that would put a code or folder inside itself."""

    def __init__(self, name: str) -> None:
        super().__init__(f"'{name}' cannot be moved inside itself or one of its own sub-codes.")


class InvalidOperationError(InvalidRequestError):
    """A request that is well-formed but not possible in the project's current state."""


class InvalidAttributeValueError(InvalidRequestError):
    """A value that does not fit its attribute's type."""


class InvalidQueryError(InvalidRequestError):
    """A search or filter that cannot be understood."""


class QuerySyntaxError(InvalidQueryError):
    """A coding query that cannot be read; `position` is the 0-based character where the fault is."""

    def __init__(self, query: str, position: int, what: str) -> None:
        self.query = query
        self.position = position
        near = query[position:position + 20].strip()
        at = f" (at '{near}')" if near else ""
        super().__init__(f"The query cannot be read at character {position + 1}{at}: {what}.")


# --- importing ---------------------------------------------------------------------------------------------


class ImportError_(QcodeError):
    """A file that cannot be imported; nothing of it was written."""


class UnsupportedFormatError(ImportError_):
    """A file of a type qcode does not read (or that is not what its name says)."""


class UnreadableFileError(ImportError_):
    """A file that is damaged, encrypted or otherwise cannot be read."""


class EmptySourceError(ImportError_):
    """A file that holds no text to import."""


class FileTooLargeError(ImportError_):
    """A file, or what it unpacks to, beyond the sizes qcode reads safely."""


class DuplicateCodingError(InvalidOperationError):
    """The same passage coded twice with one code by one coder."""

    def __init__(self) -> None:
        super().__init__("This passage already has this code from this coder.")


class AutocodeCancelled(InvalidQueryError):
    """Autocoding stopped by the user before anything was written."""

    def __init__(self) -> None:
        super().__init__("Autocoding was cancelled; nothing was coded.")


class BlindCodingError(InvalidRequestError):
    """A request that would show other coders' codings while blind coding is on (a usage error on the command
    line); nothing is shown or changed."""

    def __init__(self, viewer: str, what: str) -> None:
        super().__init__(
            f"Blind coding is on: {viewer} sees only their own codings until the team compares, so {what} "
            "cannot be shown. To compare, end blind coding for the team: 'qcode coders PROJECT --blind off', "
            "or untick Code > Blind coding in the app."
        )
        self.viewer = viewer
        self.what = what


class AgreementCancelled(QcodeError):
    """Computing agreement stopped by the user (nothing is changed by it in any case)."""

    def __init__(self) -> None:
        super().__init__("Comparing the coders was cancelled.")


class ExportError(QcodeError):
    """An export that could not be written; nothing was left behind."""


class OptionNotApplicableError(InvalidRequestError):
    """An option was given that the chosen export does not apply (a usage error on the command line)."""

    def __init__(self, what: str, fmt: str, options: list[str]) -> None:
        flags = ", ".join(f"--{name}" for name in options)
        verb = "does" if len(options) == 1 else "do"
        them = "it" if len(options) == 1 else "them"
        hint = " The source of a transcript is given with --transcript-source." if (
            what == "transcript" and "source" in options) else ""
        super().__init__(f"{flags} {verb} not apply to --what {what} as {fmt}; leave {them} out, or choose an "
                         f"export that uses {them}.{hint}")
        self.options = options


class DamagedProjectError(NotAProjectError):
    """The project file fails its check; nothing is written to it. `path` is None when only a row tells."""

    def __init__(self, path: object | None, detail: str) -> None:
        where = path if path is not None else "This project"
        listed = path if path is not None else "PROJECT"
        ProjectFileError.__init__(
            self,
            f"{where} seems damaged ({detail}). Restore a backup as a copy: 'qcode backups {listed}' lists them.",
        )
        self.path = path
        self.detail = detail


class BackupRefusedError(DamagedProjectError, BackupError):
    """The project failed its check, so no backup was made of it: the backups already made are kept."""

    def __init__(self, path: object, detail: str) -> None:
        ProjectFileError.__init__(
            self,
            f"{path} seems damaged ({detail}), so no backup was made of it and the earlier backups are kept. "
            f"Restore one as a copy: 'qcode backups {path}' lists them.",
        )
        self.path = path
        self.detail = detail


# --- exchange (REFI-QDA) -------------------------------------------------------------------------------------


class NameCheckCancelled(QcodeError):
    """The check before a pseudonymised export stopped by the user; nothing was exported."""

    def __init__(self) -> None:
        super().__init__("The check of names was cancelled; nothing was exported.")


class ExchangeFileError(ImportError_):
    """A .qdpx or .qdc file that cannot be imported (damaged, unsafe or not an exchange file); nothing was
    written."""


class ExchangeCancelled(QcodeError):
    """The user cancelled a REFI-QDA import or export: nothing was written (the transaction rolled back, or the file was
    not kept)."""

    def __init__(self, what: str = "The exchange") -> None:
        super().__init__(f"{what} was cancelled; nothing was changed.")
