"""The facilitator's console in real browsers: the passphrase, Reveal, the wall's queue, the pace, a message.

The room is three colleagues in team Blue and three in team Green who
answered before the test (written straight into the server's journal), so
the room's figures already have the answers the privacy rules ask for; the
test's own participant then adds one from a browser, and the projector must
show the new share within 2 seconds of the Save once the facilitator revealed
the results. A shared answer reaches the projector only once approved on the
console; a hidden one leaves the projector and the report.
Screenshots of both views at 1280x720 land in test-output/ for a person to look at.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from extramile import content
from extramile.participant.cards.scenario import SECOND_VOTE, SECOND_VOTE_SAVED
from extramile.store.journal import Journal
from extramile.summary.report import write_report
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


def test_shares_wait_for_reveal_then_a_saved_answer_grows_the_bar_within_two_seconds(room, contexts):
    console = contexts().new_page()
    open_console(console, room)
    expect(console.locator(".em-online")).to_be_visible(timeout=WAIT)
    console.get_by_label("Projector").select_option(label=projector_choice(SCENARIO))
    projector = console.context.new_page()
    open_console(projector, room, "/facilitator/projector")
    _owner, scenario = content.exercise(SCENARIO)
    chosen = scenario.options[1]
    expect(projector.locator(".em-count")).to_have_text("6 answers", timeout=WAIT)
    expect(projector.get_by_text("The results appear when the facilitator reveals them")).to_be_visible()
    assert projector.locator(".em-bar-count").count() == 0 and "%" not in projector.inner_text(".em-projector")
    console.get_by_role("button", name="Reveal results").click()
    row = projector.locator(".em-bar-row", has_text=chosen.text)
    expect(row.locator(".em-bar-count")).to_have_text("30%", timeout=WAIT)  # 2 of 6: 40, 30, 30, 0 add up

    participant = contexts().new_page()
    sign_in(participant, room.base_url, "Newcomer", team="Blue")
    participant.goto(room.base_url + "/notice-small-opportunities")
    card = participant.locator(".em-card", has_text=scenario.title)
    card.get_by_role("radio", name=chosen.text, exact=True).check()
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".em-status")).to_have_text(re.compile("^Saved"), timeout=WAIT)
    saved = time.monotonic()
    expect(row.locator(".em-bar-count")).to_have_text("40%", timeout=LIVE_MS)  # 3 of 7: 30, 40, 30 add up
    assert time.monotonic() - saved < LIVE_MS / 1000
    expect(projector.locator(".em-count")).to_have_text("7 answers")
    expect(console.locator(".em-online")).to_contain_text("1 participant online now", timeout=LIVE_MS)
    SCREENSHOTS.mkdir(exist_ok=True)
    projector.screenshot(path=SCREENSHOTS / "console-projector.png")

    console.get_by_role("button", name="Open a second vote").click()  # after the teams talked it over
    expect(card.get_by_text(SECOND_VOTE)).to_be_visible(timeout=LIVE_MS)
    expect(projector.locator(".em-bar-count")).to_have_count(0, timeout=LIVE_MS)  # a new vote waits for Reveal
    card.get_by_role("radio", name=scenario.options[2].text, exact=True).check()
    card.get_by_role("button", name="Save").click()
    expect(card.get_by_text(SECOND_VOTE_SAVED)).to_be_visible(timeout=WAIT)
    expect(projector.locator(".em-count")).to_have_text("7 answers · second vote: 1 vote", timeout=LIVE_MS)
    console.get_by_role("button", name="Reveal results").click()
    expect(projector.get_by_text("A figure shows once 3 people in a team have answered, and 5 across such teams: "
                                 "Blue 1 so far.")).to_be_visible(timeout=LIVE_MS)
    [entry] = [e for e in Journal(room.journal_dir).entries("Newcomer") if e["exercise"] == SCENARIO]
    assert entry["answer"] == {"option": scenario.options[2].id, "first": chosen.id, "second": scenario.options[2].id}

    console.get_by_role("button", name="Start countdown").click()
    expect(card.page.locator(".em-countdown")).to_contain_text(f"{scenario.title}: time left", timeout=LIVE_MS)
    expect(projector.locator(".em-countdown")).to_contain_text(re.compile(r"Time left\s*[23]:\d\d"))
    console.screenshot(path=SCREENSHOTS / "console-room.png", full_page=True)
    projector.screenshot(path=SCREENSHOTS / "console-projector-second-vote.png")
    card.page.screenshot(path=SCREENSHOTS / "participant-second-vote.png")


def test_only_approved_cards_reach_the_projector_and_a_hidden_one_leaves_it_and_the_report(room, contexts,
                                                                                          tmp_path):
    console = contexts().new_page()
    open_console(console, room)
    console.get_by_label("Projector").select_option(label=projector_choice(SHARED))
    projector = console.context.new_page()
    open_console(projector, room, "/facilitator/projector")
    expect(projector.get_by_text("3 answers shared with the team")).to_be_visible(timeout=WAIT)
    console.get_by_role("button", name="Reveal results").click()
    expect(projector.get_by_text("No card on the wall yet")).to_be_visible(timeout=WAIT)
    queue = console.locator(".em-queue-card")
    expect(queue).to_have_count(3, timeout=WAIT)
    assert "Private story" not in console.content() and "Colleague" not in console.content()
    queue.filter(has_text="Shared story number 1").get_by_role("button", name="Approve").click()
    cards = projector.locator(".em-wall-card")
    expect(cards).to_have_count(1, timeout=LIVE_MS)
    expect(cards).to_have_text("Shared story number 1")  # the other two wait on the console, never on the wall
    console.screenshot(path=SCREENSHOTS / "console-queue.png", full_page=True)
    console.get_by_role("button", name="Approve all 2").click()
    expect(cards).to_have_count(3, timeout=LIVE_MS)
    queue.filter(has_text="Shared story number 1").get_by_role("button", name="Hide").click()
    expect(cards).to_have_count(2, timeout=LIVE_MS)
    expect(projector.get_by_text("Shared story number 1")).to_have_count(0)
    assert "Colleague" not in projector.content() and "Private story" not in projector.content()

    report = tmp_path / "report.html"
    write_report(Journal(room.journal_dir), report)  # the report reads the room's moderation from the folder
    reader = contexts().new_page()
    reader.set_content(report.read_text(encoding="utf-8"))
    expect(reader.get_by_text("Shared story number 0")).to_be_visible()
    expect(reader.get_by_text("Shared story number 1")).to_have_count(0)
    entries = Journal(room.journal_dir).entries("Colleague 1")
    assert [e["answer"]["text"] for e in entries if e["exercise"] == SHARED] == ["Shared story number 1"]


def test_a_locked_lesson_cannot_be_opened_even_by_its_address_and_a_message_reaches_everyone(room, contexts):
    participant = contexts().new_page()
    sign_in(participant, room.base_url, "Paced Person", team="Blue")
    console = contexts().new_page()
    open_console(console, room)
    lesson = content.notebook("02_positive_mindset")
    expect(console.get_by_role("button", name=f"{lesson.title}: Open")).to_be_visible(timeout=WAIT)
    console.get_by_role("button", name=lesson.title).click()
    expect(console.get_by_role("button", name=f"{lesson.title}: Locked")).to_be_visible(timeout=WAIT)
    participant.goto(room.base_url + content.route_of("02_positive_mindset"))
    expect(participant.get_by_text("We'll open this lesson together soon")).to_be_visible(timeout=WAIT)
    expect(participant.locator(".em-card")).to_have_count(0)

    console.get_by_label("Message").fill("Five minutes left")
    console.get_by_role("button", name="Send to everyone").click()
    expect(participant.get_by_role("status").filter(has_text="Five minutes left")).to_be_visible(timeout=LIVE_MS)

    console.get_by_role("button", name=lesson.title).click()  # open it again: the waiting page opens by itself
    expect(participant.locator(".em-card").first).to_be_visible(timeout=WAIT)
    expect(reflection_card(participant)).to_be_visible()
