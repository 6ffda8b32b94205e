"""The weekly page and the lessons as Chromium lays them out on a phone and a laptop.

Nothing is clipped (the trend charts' dates and the heat map's habit names stay
inside their drawings), a scenario's response wraps beside its radio button,
the chosen button stands out, and a role-play's role survives a reload. Each
weekly page is saved as a screenshot under test-output/ for a person to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from extramile import content
from extramile.content import weeks, workshop_choices
from extramile.store.journal import Journal
from tests.browser.conftest import SCREENSHOTS, WAIT, sign_in

WIDTHS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}

OUTSIDE_THEIR_DRAWING = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('.em-chart')) {
    if (!svg.getClientRects().length) continue;  // the drawing for the other width, hidden
    const box = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll('text')) {
      const r = text.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        out.push(text.textContent);
    }
  }
  return out;
}"""

RADIOS_BESIDE_THEIR_TEXT = """() => {
  const wrong = [];
  for (const label of document.querySelectorAll('.em-card .widget-radio-box label')) {
    const radio = label.querySelector('input[type=radio]').getBoundingClientRect();
    const words = [...label.childNodes].filter(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const range = document.createRange();
    range.selectNodeContents(words[0]);
    const lines = [...range.getClientRects()];
    const first = lines[0];
    if (lines.some(line => line.left < radio.right - 0.5) || radio.top > first.bottom || radio.bottom < first.top)
      wrong.push(label.textContent.trim().slice(0, 40));
  }
  return wrong;
}"""


def a_season_of_weeks(directory, name: str, team: str) -> None:
    """Twelve weeks of check-ins and habit checks up to this week, and a story in most of them."""
    journal = Journal(directory)
    habits = workshop_choices.habits(team=team)
    for n in range(12):
        week = weeks.shift(weeks.this_week(), -n)
        journal.append(participant=name, team=team, kind="checkin", exercise="weekly-checkin",
                       answer={"week": week, "best": 4 + n % 6, "mindset": 9 - n % 5})
        journal.append(participant=name, team=team, kind="habit", exercise="weekly-habits",
                       answer={"week": week, "values": {h.id: (n % 4 if h.weekly == "count" else n % 2 == 0)
                                                         for h in habits}})
        if n % 3:
            journal.append(participant=name, team=team, kind="weekly", exercise="weekly-story",
                           answer={"week": week, "happened": f"Week {n}", "did": "", "learned": ""})


@pytest.mark.parametrize("width", WIDTHS)
def test_the_weekly_page_fits_and_clips_nothing(app, contexts, width):
    name = f"Weekly reader on a {width}"
    a_season_of_weeks(app.journal_dir, name, "Blue")
    page = contexts(viewport=WIDTHS[width]).new_page()
    sign_in(page, app.base_url, name)
    page.goto(app.base_url + content.route_of(content.WEEKLY_NOTEBOOK))
    expect(page.locator(".em-chart").first).to_be_attached(timeout=WAIT)
    expect(page.locator(".em-theme")).to_be_visible()
    expect(page.locator(".em-team-question")).to_be_visible()
    assert page.evaluate(OUTSIDE_THEIR_DRAWING) == []
    ticks = page.evaluate("() => [...document.querySelectorAll('.em-chart')].filter(s => s.getClientRects().length)"
                          ".flatMap(s => [...s.querySelectorAll('text')].map(t => t.textContent))")
    assert not any(tick.startswith("2025-") or tick.startswith("2026-") for tick in ticks)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"weekly-{width}.png"), full_page=True)


def test_on_a_phone_a_response_wraps_beside_its_radio_and_the_chosen_rating_stands_out(app, contexts):
    page = contexts(viewport=WIDTHS["phone"]).new_page()
    sign_in(page, app.base_url, "Phone reader")
    page.goto(app.base_url + content.route_of("01_notice_small_opportunities"))
    expect(page.locator(".widget-radio-box label").first).to_be_visible(timeout=WAIT)
    assert page.evaluate(RADIOS_BESIDE_THEIR_TEXT) == []
    habits = page.locator(".em-card", has=page.locator("h3", has_text="Seven everyday habits"))
    first_row = habits.locator(".widget-toggle-buttons").first
    first_row.get_by_role("button", name="often", exact=True).click()
    chosen = first_row.locator("button.mod-active")
    expect(chosen).to_have_text("often")
    colors = chosen.evaluate("b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]")
    other = first_row.get_by_role("button", name="never", exact=True).evaluate(
        "b => getComputedStyle(b).backgroundColor")
    assert colors == ["rgb(15, 118, 110)", "rgb(255, 255, 255)"] and other != colors[0]
    SCREENSHOTS.mkdir(exist_ok=True)
    habits.screenshot(path=str(SCREENSHOTS / "habits-phone.png"))
    page.locator(".em-card", has=page.locator(".widget-radio-box")).first.screenshot(
        path=str(SCREENSHOTS / "scenario-phone.png"))


def test_a_picked_role_comes_back_after_a_reload_before_anything_is_saved(app, contexts):
    page = contexts(viewport=WIDTHS["phone"]).new_page()
    sign_in(page, app.base_url, "Role player")
    page.goto(app.base_url + content.route_of("02_positive_mindset"))
    card = page.locator(".em-roleplay")
    card.get_by_role("button", name="I play the staff member").click()
    expect(card.locator(".em-role-staff")).to_be_visible(timeout=WAIT)
    page.reload()
    card = page.locator(".em-roleplay")
    expect(card.locator(".em-role-staff")).to_be_visible(timeout=WAIT)
    expect(card.locator("button.mod-active")).to_have_text("I play the staff member")
    card.get_by_role("button", name="I observe").click()
    expect(card.locator(".em-role-observer")).to_be_visible(timeout=WAIT)
    card.screenshot(path=str(SCREENSHOTS / "roleplay-observer-phone.png"))
