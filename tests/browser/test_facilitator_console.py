"""The facilitator's console in real browsers: the passphrase, the live projector, hiding a card, the pace, a message.

The room is three colleagues in team Blue and three in team Green who
answered before the test (written straight into the server's journal), so
the room's figures already have the answers the privacy rules ask for; the
test's own participant then adds one from a browser, and the projector must
show the new share within 2 seconds.
Screenshots of both views at 1280x720 land in test-output/ for a person to look at.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from extramile import content
from extramile.journal import Journal
from tests.browser.conftest import WAIT, reflection_card, sign_in

PASSPHRASE = "harbor-maple-willow-42"
SCENARIO = "notice-price-or-service"
SHARED = "welcome-someone-went-the-extra-mile"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output"
LIVE_MS = 2_000


@pytest.fixture(scope="module")
def room(app_servers):
    server = app_servers(env={"FACILITATOR_PASSPHRASE": PASSPHRASE})
    journal = Journal(server.journal_dir)
    _owner, scenario = content.exercise(SCENARIO)
    for number, option in enumerate(scenario.options[:3] * 2):
        team = "Blue" if number < 3 else "Green"
        name = f"Colleague {number}"
        journal.append(participant=name, team=team, kind="profile", answer={"team": team})
        journal.append(participant=name, team=team, kind="exercise", lesson="notice", exercise=SCENARIO,
                       answer={"option": option.id})
        journal.append(participant=name, team=team, kind="exercise", exercise=SHARED, shared=team == "Blue",
                       answer={"text": f"{'Shared' if team == 'Blue' else 'Private'} story number {number}"})
    return server


def projector_choice(exercise_id: str) -> str:
    owner, exercise = content.exercise(exercise_id)
    return f"{owner.title}: {exercise.title}"


def open_console(page, room, path: str = "/facilitator") -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(room.base_url + path)
    form = page.get_by_placeholder("As printed by make workshop")
    page.locator(".em-console, .em-projector").or_(form).first.wait_for(timeout=WAIT)
    if form.count():  # a browser that gave the passphrase before is let straight in
        form.fill(PASSPHRASE)
        page.get_by_role("button", name="Open the console").click()


def test_the_console_refuses_a_wrong_passphrase_and_shows_nothing(room, page):
    page.goto(room.base_url + "/facilitator")
    page.get_by_placeholder("As printed by make workshop").fill("a guess")
    page.get_by_role("button", name="Open the console").click()
    expect(page.get_by_role("alert")).to_contain_text("not the console's passphrase", timeout=WAIT)
    assert "Blue" not in page.content() and "online now" not in page.content()
    page.goto(room.base_url + "/facilitator/projector")
    expect(page.get_by_placeholder("As printed by make workshop")).to_be_visible(timeout=WAIT)
    assert "Shared story" not in page.content()


def test_the_welcome_page_never_links_to_the_console(room, page):
    page.goto(room.base_url + "/")
    expect(page.get_by_placeholder("Your name")).to_be_visible(timeout=WAIT)
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert links and not [link for link in links if "facilitator" in link]


def test_a_saved_answer_grows_the_projectors_bar_within_two_seconds(room, contexts):
    console = contexts().new_page()
    open_console(console, room)
    expect(console.locator(".em-online")).to_be_visible(timeout=WAIT)
    console.get_by_label("Projector").select_option(label=projector_choice(SCENARIO))
    projector = console.context.new_page()
    open_console(projector, room, "/facilitator/projector")
    _owner, scenario = content.exercise(SCENARIO)
    chosen = scenario.options[0]
    row = projector.locator(".em-bar-row", has_text=chosen.text)
    expect(row.locator(".em-bar-count")).to_have_text("30%", timeout=WAIT)  # 2 of 6, in tens
    expect(projector.locator(".em-big-hint").first).to_have_text("6 answers")

    participant = contexts().new_page()
    sign_in(participant, room.base_url, "Newcomer", team="Blue")
    participant.goto(room.base_url + "/notice-small-opportunities")
    card = participant.locator(".em-card", has_text=scenario.title)
    card.get_by_role("radio", name=chosen.text, exact=True).check()
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".em-status")).to_have_text(re.compile("^Saved"), timeout=WAIT)
    saved = time.monotonic()
    expect(row.locator(".em-bar-count")).to_have_text("40%", timeout=LIVE_MS)  # 3 of 7
    assert time.monotonic() - saved < LIVE_MS / 1000
    expect(console.locator(".em-online")).to_contain_text("1 participant online now", timeout=LIVE_MS)
    SCREENSHOTS.mkdir(exist_ok=True)
    projector.screenshot(path=SCREENSHOTS / "console-projector.png")
    console.screenshot(path=SCREENSHOTS / "console-room.png")


def test_a_hidden_card_leaves_the_projectors_wall(room, contexts):
    console = contexts().new_page()
    open_console(console, room)
    console.get_by_label("Projector").select_option(label=projector_choice(SHARED))
    projector = console.context.new_page()
    open_console(projector, room, "/facilitator/projector")
    cards = projector.locator(".em-wall-card")
    expect(cards).to_have_count(3, timeout=WAIT)
    assert "Colleague" not in projector.content() and "Private story" not in projector.content()
    expect(cards.first).to_contain_text("Shared story number")  # newest first
    doomed = cards.filter(has_text="Shared story number 1")
    doomed.get_by_role("button", name="Hide").click()
    expect(cards).to_have_count(2, timeout=LIVE_MS)
    expect(projector.get_by_text("Shared story number 1")).to_have_count(0)


def test_a_locked_lesson_cannot_be_opened_even_by_its_address_and_a_message_reaches_everyone(room, contexts):
    participant = contexts().new_page()
    sign_in(participant, room.base_url, "Paced Person", team="Blue")
    console = contexts().new_page()
    open_console(console, room)
    lesson = content.notebook("02_positive_mindset")
    console.get_by_role("button", name=lesson.title).click()  # pressed = open; a click locks it
    participant.goto(room.base_url + content.route_of("02_positive_mindset"))
    expect(participant.get_by_text("We'll open this lesson together soon")).to_be_visible(timeout=WAIT)
    expect(participant.locator(".em-card")).to_have_count(0)

    console.get_by_label("Message").fill("Five minutes left")
    console.get_by_role("button", name="Send to everyone").click()
    expect(participant.get_by_role("status").filter(has_text="Five minutes left")).to_be_visible(timeout=LIVE_MS)

    console.get_by_role("button", name=lesson.title).click()  # open it again: the waiting page opens by itself
    expect(participant.locator(".em-card").first).to_be_visible(timeout=WAIT)
    expect(reflection_card(participant)).to_be_visible()
