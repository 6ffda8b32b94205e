"""'My team this week': the extra-mile stories teammates chose to share, and nothing else.

A story reaches this wall only when its current version says `shared: true`,
it was shared with this team (the team written in the entry, however it was
spelled: a story shared with Blue stays with Blue when its writer moves to
Red), it is about the week being looked at, and the facilitator has not
hidden it (extramile.room.room_state). Un-sharing or hiding a story takes effect
at once because only the newest version of each entry counts. The viewer's
own stories are left out: this is what the others wrote. Every piece of
text is HTML-escaped; a very long name is cut short with an ellipsis, the
whole of it in the title.
"""

from __future__ import annotations

from markupsafe import Markup

from extramile.content.weeks import STORY, STORY_PARTS, weekly_answer
from extramile.identity.teams import team_key
from extramile.names import file_stem_for
from extramile.store.journal_store import JournalStore
from extramile.store.room_file import hidden_answers


def shared_stories(journal: JournalStore, team: str, week: str, viewer: str) -> list[dict]:
    """Teammates' current, shared stories for the week, newest first."""
    own_journal = file_stem_for(viewer)
    key = team_key(team)
    hidden = hidden_answers(journal.directory)
    found = []
    for path in journal.files():
        if path.stem == own_journal:
            continue
        for entry in journal.entries_in(path):
            answer = weekly_answer(entry)
            shared_with = entry.get("team")
            if (entry.get("exercise") == STORY and entry.get("shared") is True and isinstance(shared_with, str)
                    and team_key(shared_with) == key and entry.get("participant") != viewer
                    and answer is not None and answer["week"] == week and str(entry.get("id")) not in hidden):
                found.append(entry)
    return sorted(found, key=lambda e: str(e.get("at", "")), reverse=True)


def wall_html(stories: list[dict], labels: dict[str, str], empty: str) -> Markup:
    """The stories as cards; `labels` names the three parts."""
    if not stories:
        return Markup('<p class="em-empty">{}</p>').format(empty)
    part_html = Markup('<div class="em-label">{}</div><div class="em-prompt">{}</div>')
    card_html = Markup('<div class="em-shared-story"><div class="em-writer" title="{0}">{0}</div>{1}</div>')
    cards = []
    for entry in stories:
        answer = entry["answer"]
        parts = Markup("").join(part_html.format(labels[part], answer[part]) for part in STORY_PARTS
                                if isinstance(answer.get(part), str) and answer[part].strip())
        cards.append(card_html.format(str(entry["participant"]), parts))
    return Markup("").join(cards)
