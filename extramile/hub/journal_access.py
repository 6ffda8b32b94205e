"""Who may read which journal entries through the journal service: the room's privacy rules, for a hub.

Under JupyterHub every participant can run any code, so the rules cannot live
in the pages: the service applies them to every answer before it leaves. They
are the rules of room mode, stated once here:

- a participant reads all of their own entries, and of everyone else only the
  entries shared with the team they are in now (their newest profile entry;
  "Blue" and " blue" are one team, as everywhere else: extramile.identity.teams);
- a facilitator reads what the summary and the report need: every entry, but
  a private entry without its free text (the summary counts private answers
  and never shows their words, so the words need not leave the service);
- nobody writes for anyone else: the service puts the caller's hub name on
  every entry it stores.

Pure functions over entry dicts; the service and the tests call them.
"""

from __future__ import annotations

from dataclasses import dataclass

from extramile.content.answer_models import COUNTABLE_FIELDS
from extramile.identity.teams import current_team, team_key


@dataclass(frozen=True)
class Caller:
    """Who the hub says is calling, and whether a facilitator's scope came with the token."""

    name: str
    facilitator: bool = False


def without_private_words(entry: dict) -> dict:
    """A private entry as a facilitator sees it: everything but the free text of its answer."""
    if entry.get("shared") is True:
        return entry
    answer = entry.get("answer")
    if isinstance(answer, dict):
        answer = {key: value for key, value in answer.items() if key in COUNTABLE_FIELDS}  # from the answer models
    elif answer is not None:
        answer = None
    return {**entry, "answer": answer}


def visible_entries(caller: Caller, journals: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """What the caller may read of every journal (current entries, keyed by participant name).

    Journals with nothing visible are left out, so a participant cannot even
    learn who else keeps a journal outside their team.
    """
    if caller.facilitator:
        return {name: entries if name == caller.name else [without_private_words(e) for e in entries]
                for name, entries in journals.items()}
    team = current_team(journals.get(caller.name, []))
    key = team_key(team) if team is not None else None
    visible = {}
    for name, entries in journals.items():
        if name == caller.name:
            visible[name] = entries
            continue
        shared = [e for e in entries if e.get("shared") is True and key is not None
                  and isinstance(e.get("team"), str) and team_key(e["team"]) == key]
        if shared:
            visible[name] = shared
    return visible
