"""The room's screen: the join screen, then one exercise at a time, always inside the screen.

What the room sees is what the facilitator chose to show. The number of
answers is live; the results (bars, cards) appear when the facilitator
presses Reveal, unless the console's setting shows them live. A wall shows
only the cards the facilitator approved (or all, with auto-approve), never a
hidden one, cut short to fit (the whole text is on the console), a page at
a time, turning every few seconds. Every sentence about a figure that waits
comes from extramile.summary.disclosure, in the room's words.

Everything here is HTML made with markupsafe, so every word that came from
a journal or a team name is escaped.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from markupsafe import Markup

from extramile.room.room_figures import Projectable, RoomFigures, WallCard
from extramile.store.room_file import Pace
from extramile.summary import disclosure

if TYPE_CHECKING:
    from extramile.summary.choices import Spread, Votes

CARDS_PER_PAGE = 6
PAGE_SECONDS = 12
CARD_CHARACTERS = 200
NOT_REVEALED = "The results appear when the facilitator reveals them."


@lru_cache(maxsize=4)
def qr_svg(address: str) -> Markup:
    """The address as a QR code, drawn on this machine (segno), dark on light so every phone reads it."""
    import segno

    code = segno.make(address, error="m")
    return Markup(code.svg_inline(omitsize=True, border=2, dark="#000", light="#fff"))


def join_screen(address: str, online: int) -> Markup:
    """The projector's first view: where to go, big enough for the back row, and how many are in."""
    return Markup("<div class='em-join'><div class='em-join-text'><h1 class='em-big'>Join the workshop</h1>"
                  "<p class='em-big-hint'>Open this address on your laptop or phone:</p>"
                  "<p class='em-address'>{0}</p><p class='em-big-hint em-joined'><b>{1}</b> {2} signed in</p></div>"
                  "<div class='em-qr' role='img' aria-label='QR code of {0}'>{3}</div></div>").format(
        address, online, "person" if online == 1 else "people", qr_svg(address))


def projector_html(item: Projectable | None, figures: RoomFigures, pace: Pace, *, online: int, address: str,
                   page: int = 0) -> Markup:
    """One exercise for the whole room, or the join screen when none is chosen."""
    if item is None:
        return join_screen(address, online)
    since = pace.counted_from.get(item.id, "")
    shown = pace.shows_results(item.id)
    title = Markup("<h1 class='em-big'>{}</h1>").format(item.title)
    if item.kind == "scenario":
        body = scenario_view(item, figures.votes(item.id, since), shown, item.id in pace.second_vote)
    elif item.kind == "scale":
        body = scale_view(item, figures.scale(item.exercise.measure, since), shown)
    else:
        body = wall_view(item, figures, pace, since, shown, page)
    return Markup("<div class='em-screen em-kind-{}'>{}{}</div>").format(item.kind, title, body)


def _hint(text: str, css: str = "") -> Markup:
    return Markup("<p class='em-big-hint {}'>{}</p>").format(css, text)


def _answers(n: int, what: str = "answer") -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _bar(label: str, share: float, css: str = "") -> Markup:
    """One response and the room's share for it, in the steps the privacy rule allows."""
    return Markup("<div class='em-bar-row {2}'><div class='em-bar-label'>{0}</div>"
                  "<div class='em-bar' role='img' aria-label='{1:.0%}'><span style='width:{1:.0%}'>"
                  "</span></div><div class='em-bar-count'>{1:.0%}</div></div>").format(label, share, css)


def _bars(labels: list[str], found: Spread, css: str = "") -> Markup:
    if found.shares is None:
        return _hint(found.why_waiting(), "em-waiting")
    rows = Markup("").join(_bar(label, share) for label, share in zip(labels, found.shares))
    return Markup("<div class='em-bars {}'>{}</div>").format(css, rows)


def scenario_view(item: Projectable, votes: Votes, shown: bool, second_vote: bool) -> Markup:
    """The room's first instincts; with a second vote, first and second side by side (who moved, as shares)."""
    labels = [option.text for option in item.exercise.options]
    count = _answers(votes.first.total)
    if second_vote:
        count += f" · second vote: {_answers(votes.second.total, 'vote')}"
    head = _hint(count, "em-count")
    if not shown:
        return head + _hint(NOT_REVEALED)
    if not second_vote:
        return head + _bars(labels, votes.first)
    if votes.first.shares is None or votes.second.shares is None:
        return head + _hint((votes.second if votes.first.shares else votes.first).why_waiting(), "em-waiting")
    rows = Markup("").join(
        Markup("<div class='em-vote-label'>{}</div>{}{}").format(
            label, _bar("", first, "em-first"), _bar("", second, "em-second"))
        for label, first, second in zip(labels, votes.first.shares, votes.second.shares))
    moved = "" if votes.moved is None else f"{votes.moved:.0%} changed their choice in the second vote."
    return head + Markup("<div class='em-votes'><div></div><h2 class='em-big-moment'>First vote</h2>"
                         "<h2 class='em-big-moment'>Second vote</h2>{}</div>{}").format(
        rows, _hint(moved) if moved else "")


def scale_view(item: Projectable, spreads: dict[str, Spread], shown: bool) -> Markup:
    """A check-in before and after the session, side by side."""
    ends = _hint(f"1 = {item.exercise.low} · 10 = {item.exercise.high}")
    columns = []
    for moment, found in spreads.items():
        heading = Markup("<h2 class='em-big-moment'>{} <span class='em-count'>({})</span></h2>").format(
            moment.capitalize(), _answers(found.total))
        body = _bars([str(point) for point in range(1, 11)], found, "em-scale") if shown else Markup("")
        columns.append(Markup("<div class='em-moment'>{}{}</div>").format(heading, body))
    reveal = Markup("") if shown else _hint(NOT_REVEALED)
    return ends + reveal + Markup("<div class='em-before-after'>{}</div>").format(Markup("").join(columns))


def shortened(text: str, limit: int = CARD_CHARACTERS) -> str:
    """A card's words on one line (its parts joined by " · "), cut at a word once `limit` is reached, with an
    ellipsis; the console has the whole text. Wide characters (CJK, emoji) count twice: they take twice the room.
    """
    text = " · ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    width = 0
    for end, character in enumerate(text):
        width += 2 if unicodedata.east_asian_width(character) in "WF" else 1
        if width > limit:
            cut = text[:end]
            cut = cut.rsplit(" ", 1)[0] if " " in cut[len(cut) // 2:] else cut
            return cut.rstrip(" ,.;:·") + " …"
    return text


def wall_page(cards: list[WallCard], page: int) -> tuple[list[WallCard], int, int]:
    """The cards on page `page` (turning round), which page that is, and how many pages there are."""
    pages = max(1, math.ceil(len(cards) / CARDS_PER_PAGE))
    page %= pages
    return cards[page * CARDS_PER_PAGE:(page + 1) * CARDS_PER_PAGE], page, pages


def wall_view(item: Projectable, figures: RoomFigures, pace: Pace, since: str, shown: bool, page: int) -> Markup:
    """Commitments made per team (counts), then the approved cards, a page at a time."""
    parts = []
    if item.kind == "commitment":
        made = figures.answered(item.id, since)
        teams = ", ".join(f"{team} {n}" for team, n in made.items())
        parts.append(_hint(f"{_answers(sum(made.values()), 'commitment')} made" + (f": {teams}" if teams else ""),
                           "em-count"))
    cards = [card for card in figures.cards(item.id, since) if card.key not in pace.hidden]
    on_wall = [card for card in cards if pace.on_wall(card.key)]
    count = f"{_answers(len(cards))} shared with the team"
    withheld = figures.withheld(item.id, since)
    if withheld:
        count += f" · {withheld} more from teams under {disclosure.MIN_ANSWERS} people: counted, not shown"
    parts.append(_hint(count + ". No names.", "em-count"))
    if not shown:
        return Markup("").join(parts) + _hint(NOT_REVEALED)
    if not on_wall:
        return Markup("").join(parts) + _hint("No card on the wall yet: the facilitator approves them first.")
    visible, page, pages = wall_page(on_wall, page)
    cards_html = Markup("").join(Markup("<div class='em-wall-card'><p class='em-wall-text'>{}</p></div>").format(
        shortened(card.text)) for card in visible)
    turning = _hint(f"Page {page + 1} of {pages}", "em-page-number") if pages > 1 else Markup("")
    return Markup("").join(parts) + Markup("<div class='em-wall'>{}</div>").format(cards_html) + turning
