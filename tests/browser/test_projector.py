"""The projector in a real browser, as the room sees it: every kind fits the screen, results wait for Reveal.

A room of 40 in five teams of eight has answered everything before the test
(written straight into the server's journal): a scenario with a second vote,
the mindset check-in before and after, a shared reflection and shared
commitments whose words run to 1,000 characters. The facilitator drives the
console as on the day; the projector is checked at 1280x720 and 1920x1080:
no element lies outside the screen and no card is cut inside its box.
Screenshots of every kind land in test-output/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from extramile import content
from extramile.store.journal import Journal
from tests.browser.conftest import SCREENSHOTS, WAIT
from tests.browser.test_facilitator_console import PASSPHRASE, open_console, projector_choice

TEAMS = ("Blue", "Green", "Red", "Gold", "Teal")
SIZES = {"720p": {"width": 1280, "height": 720}, "1080p": {"width": 1920, "height": 1080}}
SCALE_BEFORE, SCALE_AFTER = "welcome-mindset-before", "commit-mindset-after"
SHARED = "welcome-someone-went-the-extra-mile"
COMMITMENT = "commit-my-commitments"
LONG_WORDS = ("We noticed the customer was struggling with the instructions, so we stayed on the line, "
              "walked through every step twice, and then sent a short note with pictures. ")


def longest_scenario() -> content.Scenario:
    scenarios = [item for name in content.PARTICIPANT_NOTEBOOKS[:-1] for item in content.notebook(name).exercises
                 if item.kind == "scenario"]
    return max(scenarios, key=lambda item: sum(len(option.text) for option in item.options))


SCENARIO = longest_scenario()


def thousand_characters(number: int) -> str:
    """A 1,000-character card: prose, a script written wide (CJK), emoji, or one word with no space to break at."""
    body = (LONG_WORDS * 8, "顧客のために一歩先へ進む。" * 80, "🦄🎁 " * 340, "x" * 1000)[number % 4]
    return (f"Card {number}: " + body)[:1000]


@pytest.fixture(scope="module")
def room(app_servers):
    server = app_servers(env={"FACILITATOR_PASSPHRASE": PASSPHRASE})
    journal = Journal(server.journal_dir)
    options = [option.id for option in SCENARIO.options]
    for number in range(40):
        team, name = TEAMS[number % 5], f"Person {number}"
        journal.append(participant=name, team=team, kind="profile", answer={"team": team})
        first, second = options[number % len(options)], options[(number // 3) % len(options)]
        journal.append(participant=name, team=team, kind="exercise", lesson="notice", exercise=SCENARIO.id,
                       answer={"option": second, "first": first, "second": second})
        for exercise, moment in ((SCALE_BEFORE, "before"), (SCALE_AFTER, "after")):
            journal.append(participant=name, team=team, kind="exercise", exercise=exercise,
                           answer={"value": 1 + number % 10, "measure": "mindset", "moment": moment})
        journal.append(participant=name, team=team, kind="exercise", exercise=SHARED, shared=True,
                       answer={"text": thousand_characters(number)})
        journal.append(participant=name, team=team, kind="commitment", exercise=COMMITMENT, shared=True,
                       answer={"idea": "Call a customer", "action": thousand_characters(number),
                               "check_by": "2026-12-01"})
    return server


OUTSIDE = """() => {
  const width = window.innerWidth, height = window.innerHeight, found = [];
  for (const element of document.querySelectorAll('.em-projector *')) {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(element).visibility === 'hidden') continue;
    if (box.left < -1 || box.top < -1 || box.right > width + 1 || box.bottom > height + 1) {
      found.push(`${element.tagName}.${element.className} at ${Math.round(box.left)},${Math.round(box.top)}`
                 + ` to ${Math.round(box.right)},${Math.round(box.bottom)}: ${element.textContent.slice(0, 40)}`);
    }
    if (element.classList.contains('em-wall-card') && element.scrollHeight > element.clientHeight + 1) {
      found.push(`a card cut inside its box: ${element.textContent.slice(0, 40)}`);
    }
  }
  return found;
}"""


def fits(projector) -> list[str]:
    return projector.evaluate(OUTSIDE)


@pytest.fixture(scope="module")
def screens(room, browser):
    """The facilitator's laptop (console) and the projector, in one browser that gave the passphrase."""
    context = browser.new_context(viewport=SIZES["720p"])
    console = context.new_page()
    open_console(console, room)
    expect(console.locator(".em-online")).to_be_visible(timeout=WAIT)
    projector = context.new_page()
    open_console(projector, room, "/facilitator/projector")
    yield console, projector
    context.close()


def show(console, exercise_id: str) -> None:
    console.get_by_label("Projector").select_option(label=projector_choice(exercise_id))
    expect(console.locator(".em-status-line").first).to_contain_text(content.exercise(exercise_id)[1].title,
                                                                      timeout=WAIT)


def reveal(console) -> None:
    button = console.get_by_role("button", name="Reveal results")
    expect(button).to_be_enabled(timeout=WAIT)
    button.click()
    expect(console.get_by_role("button", name="Hide results")).to_be_visible(timeout=WAIT)


def test_the_join_screen_shows_the_address_and_a_qr_code(room, screens):
    _console, projector = screens
    expect(projector.locator(".em-address")).to_have_text(room.base_url + "/", timeout=WAIT)
    expect(projector.locator(".em-qr svg")).to_be_visible()
    for size, viewport in SIZES.items():
        projector.set_viewport_size(viewport)
        assert fits(projector) == [], size
    projector.screenshot(path=SCREENSHOTS / "projector-join.png")


def test_shares_appear_only_after_reveal_and_a_second_vote_shows_first_and_second(screens):
    console, projector = screens
    show(console, SCENARIO.id)
    expect(projector.locator(".em-big")).to_have_text(SCENARIO.title, timeout=WAIT)
    expect(projector.locator(".em-count")).to_contain_text("40 answers", timeout=WAIT)
    assert projector.locator(".em-bar-count").count() == 0
    reveal(console)
    expect(projector.locator(".em-bar-count")).to_have_count(len(SCENARIO.options), timeout=WAIT)
    shares = [int(text.rstrip("%")) for text in projector.locator(".em-bar-count").all_inner_texts()]
    assert sum(shares) == 100
    console.get_by_role("button", name="Open a second vote").click()
    expect(projector.locator(".em-count")).to_contain_text("second vote: 40 votes", timeout=WAIT)
    expect(projector.locator(".em-bar-count")).to_have_count(0)  # a new vote waits for Reveal again
    reveal(console)
    expect(projector.get_by_text("Second vote", exact=True)).to_be_visible(timeout=WAIT)
    expect(projector.locator(".em-second .em-bar-count")).to_have_count(len(SCENARIO.options))
    expect(projector.get_by_text("changed their choice in the second vote")).to_be_visible()
    assert "Person" not in projector.content()
    for size, viewport in SIZES.items():
        projector.set_viewport_size(viewport)
        assert fits(projector) == [], size
        projector.screenshot(path=SCREENSHOTS / f"projector-second-vote-{size}.png")


@pytest.mark.parametrize("exercise_id", [SCALE_BEFORE, SHARED, COMMITMENT])
def test_every_kind_fits_the_projector_at_both_sizes_with_forty_answers(screens, exercise_id):
    console, projector = screens
    projector.set_viewport_size(SIZES["720p"])
    show(console, exercise_id)
    automatic = console.get_by_label("Approve every shared answer for the wall automatically")
    if not automatic.is_checked():
        automatic.check()
    reveal(console)
    shown = ".em-bar-count" if exercise_id == SCALE_BEFORE else ".em-wall-card"
    expect(projector.locator(shown).first).to_be_visible(timeout=WAIT)
    if exercise_id == SCALE_BEFORE:
        expect(projector.locator(".em-bar-count")).to_have_count(20)  # before and after, side by side
    else:
        expect(projector.locator(".em-page-number")).to_contain_text(re.compile(r"Page \d of 7"), timeout=WAIT)
    for size, viewport in SIZES.items():
        projector.set_viewport_size(viewport)
        assert fits(projector) == [], size
        projector.screenshot(path=SCREENSHOTS / f"projector-{exercise_id}-{size}.png")
