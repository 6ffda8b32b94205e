"""The console's room view as HTML: who has signed in per team and how far each page of the day is.

Drawn from the figures of extramile.room.room_figures (plain data, made once per
change in the journal) with markupsafe, so every team name is escaped. The
projector's screens are drawn by extramile.room.projector, the console's controls
by extramile.room.console_view.
"""

from __future__ import annotations

from markupsafe import Markup

from extramile.room.room_figures import PageProgress, Progress


def _meter(page: PageProgress) -> Markup:
    return Markup("<td><div class='em-meter' role='img' aria-label='{0} of {1} answers'>"
                  "<span style='width:{2:.0f}%'></span></div>{0}/{1}</td>").format(
        page.answered, page.possible, page.share * 100)


def progress_html(progress: Progress, online: int) -> Markup:
    """Per team: who has signed in, and how far each page of the day is (answers out of possible)."""
    head = Markup("").join(Markup("<th scope='col'>{}</th>").format(label) for label in progress.pages)
    rows = [Markup("<tr><th scope='row'>{}</th><td>{} of {}</td>{}</tr>").format(
        team.team, team.signed_in, team.members, Markup("").join(_meter(page) for page in team.pages))
        for team in progress.teams]
    body = Markup("").join(rows) or Markup("<tr><td colspan='{}'>Nobody has signed in yet.</td></tr>").format(
        len(progress.pages) + 2)
    return Markup("<p class='em-online'><b>{}</b> participant{} online now</p>"
                  "<table class='em-progress'><caption>Progress by team</caption><thead><tr><th scope='col'>Team</th>"
                  "<th scope='col'>Signed in</th>{}</tr></thead><tbody>{}</tbody></table>").format(
        online, "" if online == 1 else "s", head, body)
