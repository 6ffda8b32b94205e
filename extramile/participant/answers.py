"""One participant's answers, as the widgets see them: the latest answer per exercise.

Widgets never touch files: they ask this book for the saved answer and hand
it new ones. The book reads the participant's journal once per page, keeps
it in memory, and re-reads just before a save. A save names the version its
form was filled from; if a second tab has saved a newer one since, the save
is refused (AnswerChanged) rather than leave two "current" versions, and the
check is repeated under the journal file's lock, so two tabs pressing Save
at the same instant cannot both win.
"""

from __future__ import annotations

from extramile.exceptions import AnswerChanged, NotSignedIn
from extramile.identity.identity import Participant
from extramile.store.journal_store import JournalStore

ANSWER_KINDS = frozenset({"exercise", "weekly", "habit", "commitment", "checkin"})
ANY = object()  # save() without a version to check: replace whatever is newest


class AnswerBook:
    def __init__(self, journal: JournalStore, participant: Participant | None = None) -> None:
        self.journal = journal
        self.participant = participant
        self._entries: list[dict] | None = None

    @property
    def signed_in(self) -> bool:
        return self.participant is not None

    def entries(self) -> list[dict]:
        if self.participant is None:
            return []
        if self._entries is None:
            self._entries = self.journal.entries(self.participant.name)
        return self._entries

    def refresh(self) -> None:
        self._entries = None

    def latest(self, exercise: str, match: dict | None = None) -> dict | None:
        """The newest current entry for an exercise; `match` narrows by answer fields (e.g. week)."""
        return _latest(self.entries(), exercise, match)

    def answer_count(self) -> int:
        return sum(1 for entry in self.entries() if entry.get("kind") in ANSWER_KINDS)

    def save(self, *, kind: str, exercise: str, answer: object, lesson: str | None = None,
             shared: bool = False, match: dict | None = None, loaded: object = ANY) -> dict:
        """Append the answer as a new version of the exercise's latest entry; raises JournalError.

        `loaded` is the id of the entry the form was filled from (None: it
        started empty). AnswerChanged when the newest version is another one.
        """
        if self.participant is None:
            raise NotSignedIn()
        self.refresh()
        previous = self.latest(exercise, match)
        previous_id = previous["id"] if previous else None
        if loaded is not ANY and loaded != previous_id:
            raise AnswerChanged(previous_id)

        def still_newest(entries: list[dict]) -> None:
            newest = _latest(entries, exercise, match)
            if (newest["id"] if newest else None) != previous_id:
                raise AnswerChanged(newest["id"] if newest else None)

        entry = self.journal.append(
            participant=self.participant.name, team=self.participant.team, kind=kind, lesson=lesson,
            exercise=exercise, answer=answer, shared=shared, replaces=previous_id, precondition=still_newest)
        self._entries = [e for e in self.entries() if e is not previous] + [entry]
        return entry


def _latest(entries: list[dict], exercise: str, match: dict | None) -> dict | None:
    for entry in reversed(entries):
        if entry.get("exercise") != exercise:
            continue
        answer = entry.get("answer")
        if match and not (isinstance(answer, dict) and all(answer.get(k) == v for k, v in match.items())):
            continue
        return entry
    return None
