"""A participant's whole workshop in a real browser, against the real participant app.

One story on one server: Zoë signs in once on the welcome page, answers every
exercise of every page, walks from page to page by the pages' own links
(navigation inside the app, no new sign-in), and finds everything again after
a reload and in her journal on disk; the weekly journal reads her commitment
back. A stranger then tries to get at her journal from another browser. Zoë's name, team and every text she writes
carry markup (`<script>`, `<img onerror>`), so every page she reloads also
shows that participant text is shown as text, never run as markup.

The tests run in file order and share Zoë's browser tab; each one continues
where the previous one stopped. Screenshots land in test-output/ for a person
to look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Error as PageError
from playwright.sync_api import Locator, Page, expect

from extramile import content
from extramile.content import workshop_choices
from extramile.store.journal import Journal
from tests.browser.conftest import offline_context
from tests.browser.widget_sync import wait_until_nothing_in_flight, wait_until_slider_holds

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SCREENSHOTS = REPO / "test-output"  # git-ignored
PAGES = ("00_welcome", "01_notice_small_opportunities", "02_positive_mindset",
         "03_never_an_inconvenience", "04_commitments")
RENDER = 30_000  # ms: generous, for a loaded CI machine
SAVE = 10_000
MARKUP = '<script>window.__xss=1</script> <img src=x onerror="window.__xss=1">'
NAME = f'Zoë {MARKUP}'
TEAM = "Blue <script>window.__xss=1</script>"
PASSPHRASE = "lemon squeezer"
SAVED = re.compile(r"^Saved \d\d:\d\d")
SLIDER_START = 5  # ScaleCard's middle: where an unanswered slider sits


def exercise_ids(notebook: str) -> list[str]:
    """The exercises a page shows, in page order, read from the notebook itself."""
    nb = nbformat.read(NOTEBOOKS / f"{notebook}.ipynb", as_version=4)
    return [m for cell in nb.cells if cell.cell_type == "code"
            for m in re.findall(r'show_exercise\("([^"]+)"\)', cell.source)]


def counted(answers: int) -> str:
    return f"{answers} answer{'' if answers == 1 else 's'} saved so far"


def page_url(server, notebook: str) -> str:
    return server.base_url + content.route_of(notebook)


@dataclass
class Story:
    """What the tests share: Zoë's tab and the answers she gave."""

    page: Page | None = None
    completed: bool = False
    answers: dict[str, dict] = field(default_factory=dict)  # id -> {"answer", "shared", "kind", "lesson"}

    def require(self) -> Page:
        assert self.page is not None and self.completed, "the journey test did not get this far"
        return self.page


@pytest.fixture(scope="module")
def server(app):
    return app


@pytest.fixture(scope="module")
def story(browser):
    context = offline_context(browser)
    yield Story(page=context.new_page())
    assert context.left_the_machine == []
    context.close()


def wait_for_cards(page: Page, notebook: str) -> Locator:
    cards = page.locator(".em-card")
    expect(cards).to_have_count(len(exercise_ids(notebook)), timeout=RENDER)
    return cards


def save(card: Locator) -> None:
    wait_until_nothing_in_flight(card.page, SAVE)
    card.get_by_role("button", name="Save").click()


def screenshot_whole_page(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


# What Zoë answers, per exercise kind: fill the card like a person would and return the journal answer.

def answer_reflection(card: Locator, exercise, n: int) -> tuple[dict, bool]:
    text = f"{MARKUP} my answer to {exercise.id}\nsecond line, Zoë"
    card.locator("textarea").fill(text)
    shared = n % 2 == 0
    if shared:
        card.get_by_role("checkbox", name="Share with my team").check()
    return {"text": text}, shared


def answer_scenario(card: Locator, exercise, n: int) -> tuple[dict, bool]:
    option = exercise.options[(n + 1) % len(exercise.options)]
    for other in exercise.options:  # clicking through every response opens none of the feedback
        card.get_by_role("radio", name=other.text, exact=True).check()
    card.get_by_role("radio", name=option.text, exact=True).check()
    expect(card.get_by_text("press Save; then you can read why")).to_be_visible()
    assert not [o for o in exercise.options if o.feedback in card.inner_text()], "feedback before Save"
    return {"option": option.id, "first": option.id}, False


def answer_reframe(card: Locator, exercise, n: int) -> tuple[dict, bool]:
    expect(card.get_by_role("button", name="One way to see it")).to_be_disabled()  # think first
    boxes = card.locator("textarea")
    answer = {"opportunity": f"{MARKUP} the opportunity in {exercise.id}",
              "help": f"{MARKUP} how I help in {exercise.id}"}
    boxes.nth(0).fill(answer["opportunity"])
    boxes.nth(1).fill(answer["help"])
    return answer, False


def answer_roleplay(card: Locator, exercise, n: int) -> tuple[dict, bool]:
    card.get_by_role("button", name="I play the customer").click()
    expect(card.locator(".em-role-customer")).to_be_visible()
    text = f"{MARKUP} my partner listened first, in {exercise.id}"
    card.locator("textarea").fill(text)
    return {"text": text, "role": "customer"}, False


def answer_scale(card: Locator, exercise, n: int) -> tuple[dict, bool]:
    value = (3, 8, 9, 2)[n % 4]
    card.locator(".noUi-handle").focus()
    key = "ArrowRight" if value > SLIDER_START else "ArrowLeft"
    for _ in range(abs(value - SLIDER_START)):
        card.page.keyboard.press(key)
    expect(card.locator(".widget-readout")).to_have_text(str(value))
    slider = card.locator(".widget-slider")
    with pytest.raises(PageError, match="never held 11"):  # the wait is real: one past the end never passes
        wait_until_slider_holds(slider, 11, 300)
    wait_until_slider_holds(slider, value, SAVE)
    return {"value": value, "measure": exercise.measure, "moment": exercise.moment}, False


def answer_habits(card: Locator, exercise, n: int) -> tuple[dict, bool]:
    ratings = {}
    for row, habit in enumerate(workshop_choices.habits(team=TEAM)):
        rating = ("never", "sometimes", "often", "always")[row % 4]
        card.locator(".widget-toggle-buttons").nth(row).get_by_role("button", name=rating, exact=True).click()
        ratings[habit.id] = rating
    return {"ratings": ratings}, False


def answer_commitment(card: Locator, exercise, n: int) -> tuple[dict, bool]:
    idea = exercise.ideas[-1]
    check_by = (date.today() + timedelta(days=10)).isoformat()
    action = f"{MARKUP} call three customers a week, for {exercise.id}"
    card.locator("select").select_option(value=idea)
    card.locator("textarea").fill(action)
    card.locator("input[type=date]").fill(check_by)
    card.get_by_role("checkbox", name="Share with my team").check()
    return {"idea": idea, "action": action, "check_by": check_by}, True


ANSWER = {"reflection": answer_reflection, "scenario": answer_scenario, "reframe": answer_reframe,
          "scale": answer_scale, "habits": answer_habits, "commitment": answer_commitment,
          "roleplay": answer_roleplay}


def expect_restored(card: Locator, exercise, saved: dict) -> None:
    """The card shows exactly the saved answer, as typed."""
    answer = saved["answer"]
    if exercise.kind in ("reflection", "roleplay"):
        expect(card.locator("textarea")).to_have_value(answer["text"])
    if exercise.kind == "roleplay":
        expect(card.locator("button.mod-active")).to_have_text("I play the customer")
        expect(card.locator(".em-role-customer")).to_be_visible()
    elif exercise.kind == "scenario":
        option = exercise.chosen(answer)
        expect(card.get_by_role("radio", name=option.text, exact=True)).to_be_checked()
        expect(card.locator(".em-feedback")).to_contain_text(option.feedback)  # opened by the Save
    elif exercise.kind == "reframe":
        expect(card.locator("textarea").nth(0)).to_have_value(answer["opportunity"])
        expect(card.locator("textarea").nth(1)).to_have_value(answer["help"])
        card.get_by_role("button", name="One way to see it").click()  # open once her own answer is saved
        expect(card.locator(".em-feedback")).to_have_text(exercise.model_answer)
    elif exercise.kind == "scale":
        expect(card.locator(".widget-readout")).to_have_text(str(answer["value"]))
    elif exercise.kind == "habits":
        for row, habit in enumerate(workshop_choices.habits(team=TEAM)):
            chosen = card.locator(".widget-toggle-buttons").nth(row).locator("button.mod-active")
            expect(chosen).to_have_text(answer["ratings"][habit.id])
    elif exercise.kind == "commitment":
        expect(card.locator("select")).to_have_value(answer["idea"])
        expect(card.locator("textarea")).to_have_value(answer["action"])
        expect(card.locator("input[type=date]")).to_have_value(answer["check_by"])
    if exercise.kind in ("reflection", "reframe", "commitment", "roleplay"):
        share = card.get_by_role("checkbox", name="Share with my team")
        expect(share).to_be_checked(checked=saved["shared"])
    expect(card.locator(".em-status")).to_have_text(SAVED)


def expect_empty(page: Page) -> None:
    """No answer of anyone on the page: empty boxes, nothing chosen, sliders in the middle, no status."""
    texts = page.evaluate("() => [...document.querySelectorAll('.em-card textarea')].map(t => t.value)")
    assert texts and not any(texts)
    expect(page.locator(".em-card input[type=radio]:checked")).to_have_count(0)
    expect(page.locator(".em-card button.mod-active")).to_have_count(0)
    for readout in page.locator(".em-card .widget-readout").all():
        expect(readout).to_have_text(str(SLIDER_START))
    expect(page.locator(".em-card .em-status")).to_have_count(0)
    assert "Zoë" not in page.locator("body").inner_text()


def expect_markup_shown_as_text(page: Page, answers: int) -> None:
    """Zoë's name and team appear exactly as typed; none of the markup in them or her answers ran."""
    expect(page.locator(".em-welcome")).to_have_text(
        f"Welcome, {NAME} (team {TEAM}): {counted(answers)}")
    expect(page.locator('img[src="x"]')).to_have_count(0)
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_a_participant_completes_every_page_signing_in_once(server, story):
    page = story.page
    page.goto(server.base_url + "/")
    page.get_by_placeholder("Your name").fill(NAME)
    page.get_by_placeholder("Your team").fill(TEAM)
    page.get_by_placeholder("At least 6 characters").fill(PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".em-welcome")).to_have_text(f"Welcome, {NAME} (team {TEAM}): 0 answers saved so far",
                                                     timeout=SAVE)

    saved = 0
    for position, notebook in enumerate(PAGES):
        cards = wait_for_cards(page, notebook)
        if position:  # arrived by a link: signed in already, no form
            expect(page.locator(".em-welcome")).to_contain_text(f": {counted(saved)}")
            expect(page.get_by_placeholder("Your name")).to_have_count(0)
        for n, exercise_id in enumerate(exercise_ids(notebook)):
            owner, exercise = content.exercise(exercise_id)
            card = cards.nth(n)
            expect(card.locator("h3")).to_have_text(exercise.title)
            answer, shared = ANSWER[exercise.kind](card, exercise, n)
            save(card)
            expect(card.locator(".em-status")).to_have_text(SAVED, timeout=SAVE)
            if exercise.kind == "scenario":  # the feedback opens with the Save, not before
                expect(card.locator(".em-feedback")).to_contain_text(exercise.chosen(answer).feedback)
            saved += 1
            expect(page.locator(".em-welcome")).to_contain_text(f": {counted(saved)}")
            kind = "commitment" if exercise.kind == "commitment" else "exercise"
            story.answers[exercise_id] = {"answer": answer, "shared": shared, "lesson": owner.lesson,
                                          "kind": kind}
        if position + 1 < len(PAGES):
            following = content.notebook(PAGES[position + 1])
            page.locator(".em-next").get_by_role("link", name=f"{following.title} →").click()
            page.wait_for_url(page_url(server, PAGES[position + 1]))

    assert PASSPHRASE not in page.url and "?" not in page.url
    assert saved == sum(len(exercise_ids(nb)) for nb in PAGES)
    story.completed = True


def test_every_answer_comes_back_after_reload_as_typed_text(server, story):
    page = story.require()
    page.reload()  # still on the last page, where the journey ended
    for notebook in (PAGES[-1], *PAGES[:-1]):
        if notebook != PAGES[-1]:
            page.goto(page_url(server, notebook))
        cards = wait_for_cards(page, notebook)
        for n, exercise_id in enumerate(exercise_ids(notebook)):
            _owner, exercise = content.exercise(exercise_id)
            expect_restored(cards.nth(n), exercise, story.answers[exercise_id])
        expect_markup_shown_as_text(page, len(story.answers))
        screenshot_whole_page(page, f"journey-{notebook}")


def test_the_journal_on_disk_holds_every_answer(server, story):
    story.require()
    entries = Journal(server.journal_dir).entries(NAME)
    answers = {e["exercise"]: e for e in entries if e["kind"] != "profile"}
    assert [e["answer"] for e in entries if e["kind"] == "profile"] == [{"team": TEAM}]
    assert len(answers) == len(entries) - 1 == len(story.answers)
    for exercise_id, expected in story.answers.items():
        entry = answers[exercise_id]
        assert entry["answer"] == expected["answer"], exercise_id
        assert entry["shared"] == expected["shared"], exercise_id
        assert (entry["kind"], entry["lesson"]) == (expected["kind"], expected["lesson"]), exercise_id
        assert (entry["participant"], entry["team"]) == (NAME, TEAM)


def test_the_weekly_journal_shows_her_commitment_as_typed_text(server, story):
    """The weekly page reads back the workshop's commitment: participant text on another page."""
    page = story.require()
    page.goto(page_url(server, "weekly_journal"))
    action = story.answers["commit-my-commitments"]["answer"]["action"]
    expect(page.get_by_text(action, exact=True)).to_be_visible(timeout=RENDER)
    expect_markup_shown_as_text(page, len(story.answers))
    screenshot_whole_page(page, "journey-weekly_journal")


def test_a_stranger_sees_nothing_of_another_participants_journal(server, story, browser):
    story.require()
    before = Journal(server.journal_dir).entries(NAME)
    context = offline_context(browser)
    try:
        page = context.new_page()
        page.goto(server.base_url + "/")
        wait_for_cards(page, PAGES[0])
        expect_empty(page)

        page.get_by_placeholder("Your name").fill(NAME)
        page.get_by_placeholder("Your team").fill("Red")
        page.get_by_placeholder("At least 6 characters").fill("a wrong guess")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator(".em-signin .em-warn")).to_contain_text("do not match", timeout=SAVE)
        expect(page.get_by_placeholder("At least 6 characters")).to_have_value("")
        expect(page.locator(".em-welcome")).to_have_count(0)
        expect_empty(page)
        screenshot_whole_page(page, "stranger-refused")

        page.get_by_placeholder("Your name").fill("Bea")
        page.get_by_placeholder("At least 6 characters").fill("her own passphrase")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator(".em-welcome")).to_have_text("Welcome, Bea (team Red): 0 answers saved so far",
                                                         timeout=SAVE)
        expect_empty(page)

        context.clear_cookies()  # a browser Bea never signed in with, claiming a made-up session
        context.add_cookies([{"name": name, "value": "made-up-session-" + "x" * 20, "url": server.base_url}
                             for name in ("solara-session-id", "extramile-session")])
        page.goto(page_url(server, PAGES[1]))
        cards = wait_for_cards(page, PAGES[1])
        expect(page.get_by_placeholder("Your name")).to_be_visible()
        expect(page.locator(".em-welcome")).to_have_count(0)
        expect_empty(page)
        cards.first.get_by_role("button", name="Save").click()
        expect(cards.first.locator(".em-status")).to_have_text(re.compile("^Sign in at the top"),
                                                               timeout=SAVE)
        assert context.left_the_machine == []
    finally:
        context.close()
    assert Journal(server.journal_dir).entries(NAME) == before
    assert [e["kind"] for e in Journal(server.journal_dir).entries("Bea")] == ["profile"]

