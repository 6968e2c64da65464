"""The name register of a project: terms with their pseudonyms, and suggestions of names to add."""

from __future__ import annotations

from qcode.core.errors import DuplicateNameError, InvalidRequestError, NotFoundError
from qcode.core.model import RegisterEntry
from qcode.core.privacy.pseudonymise import Pseudonymiser, Term
from qcode.core.privacy.suggest import Suggestion, suggest
from qcode.core.project.base import ProjectBase
from qcode.core.store import meta
from qcode.core.store import names as name_store
from qcode.core.store import sources as source_store

MAX_TERM = 200
#: the project setting that makes every export pseudonymised unless the researcher says otherwise
PSEUDONYMISE_KEY = "pseudonymise_exports"


class NamesMixin(ProjectBase):
    """The register that pseudonymised exports apply: add, change, disable and remove terms; suggest new ones."""

    def name_register(self) -> list[RegisterEntry]:
        """Every entry of the register, by term."""
        return name_store.entries(self._store.read)

    def name_entry(self, term: str) -> RegisterEntry:
        """The entry of a term (in any letter case); NotFoundError when the register has none."""
        found = name_store.entry_by_term(self._store.read, " ".join(str(term).split()))
        if found is None:
            raise NotFoundError("term", f"'{term}' in the name register")
        return found

    @staticmethod
    def _clean_term(text: str, what: str) -> str:
        cleaned = " ".join(str(text).split())
        if not cleaned:
            raise InvalidRequestError(f"A {what} cannot be empty.")
        if len(cleaned) > MAX_TERM:
            raise InvalidRequestError(f"A {what} has at most {MAX_TERM} characters.")
        return cleaned

    def add_name(self, term: str, pseudonym: str, *, enabled: bool = True, entry_id: int | None = None) -> RegisterEntry:
        """Register a term with its pseudonym ("Marcus" -> "P01"); a term is matched as a whole word in any
        letter case, so registering it twice in another case is refused."""
        term = self._clean_term(term, "term")
        pseudonym = self._clean_term(pseudonym, "pseudonym")
        if name_store.entry_by_term(self._store.read, term) is not None:
            raise DuplicateNameError("term", term, "in the name register")
        with self._store.transaction() as tx:
            new_id = name_store.insert_entry(tx, term, pseudonym, enabled, self._store.now(), entry_id)
        self._notify("names", "added", (new_id,))
        return self.name_entry(term)

    def update_name(self, term: str, *, pseudonym: str | None = None, enabled: bool | None = None) -> RegisterEntry:
        """Change a term's pseudonym, or switch it off (kept, not applied) and on."""
        entry = self.name_entry(term)
        new_pseudonym = entry.pseudonym if pseudonym is None else self._clean_term(pseudonym, "pseudonym")
        new_enabled = entry.enabled if enabled is None else enabled
        with self._store.transaction() as tx:
            name_store.update_entry(tx, entry.id, pseudonym=new_pseudonym, enabled=new_enabled)
        self._notify("names", "changed", (entry.id,))
        return self.name_entry(entry.term)

    def remove_name(self, term: str) -> RegisterEntry:
        """Take a term out of the register; returns the entry, so that `add_name(..., entry_id=)` can put it back."""
        entry = self.name_entry(term)
        with self._store.transaction() as tx:
            name_store.delete_entry(tx, entry.id)
        self._notify("names", "removed", (entry.id,))
        return entry

    @property
    def pseudonymise_exports(self) -> bool:
        """True when exports are pseudonymised unless asked otherwise (a setting stored in the project, so
        that every face and every member of a team gets the same default)."""
        return meta.get_meta(self._store.read, PSEUDONYMISE_KEY) == "on"

    def set_pseudonymise_exports(self, on: bool) -> None:
        """Make pseudonymised exports the project's default, or stop doing so."""
        with self._store.transaction() as tx:
            meta.set_meta(tx, PSEUDONYMISE_KEY, "on" if on else "off")
        self._notify("names", "changed")

    def pseudonymiser(self) -> Pseudonymiser:
        """A pseudonymiser for the register's enabled entries."""
        return Pseudonymiser(Term(e.term, e.pseudonym) for e in self.name_register() if e.enabled)

    def suggest_names(self, *, limit: int = 100) -> list[Suggestion]:
        """Names the register may lack: the speakers of the sources (less role labels such as "Interviewer"),
        then capitalised words and word pairs that recur mid-sentence across the sources."""
        read = self._store.read
        speakers: dict[str, None] = {}
        texts = []
        for source in source_store.sources(read):
            text = source_store.source_text(read, source.id) or ""
            for span in source_store.spans(read, source.id, "turn"):
                if span.value:
                    speakers.setdefault(span.value, None)
            for span in source_store.spans(read, source.id, "heading"):  # titles capitalise every word
                text = text[:span.start] + " " * (span.end - span.start) + text[span.end:]
            texts.append((source.id, text))
        return suggest(texts, speakers, [e.term for e in self.name_register()], limit=limit)
