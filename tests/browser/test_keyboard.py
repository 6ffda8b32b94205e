"""A participant without a mouse: sign in and complete a whole lesson with Tab, Space, Enter and typing.

Every field and button of the lesson is reached by Tab alone (no click, no
focus set by the test), a response is chosen with Space, a rating toggled
with Space, and every Save pressed with Enter; the journal then holds every
answer and each card says "Saved".
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from extramile import content
from extramile.participant.signin import PASSPHRASE_HINT
from extramile.store.journal import Journal
from tests.browser.conftest import WAIT

LESSON = "01_notice_small_opportunities"
MOST_TABS = 80  # between two fields of one card there are far fewer stops than this


def tab_to(page, target) -> None:
    """Press Tab until `target` has the keyboard focus, as a keyboard user moves through the page."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_a_lesson_can_be_completed_by_keyboard_alone(app, page):
    page.goto(app.base_url + "/")
    for placeholder, typed in (("Your name", "Kim Keyboard"), ("Your team", "Blue"),
                               (PASSPHRASE_HINT, "lemon squeezer")):
        tab_to(page, page.get_by_placeholder(placeholder))
        page.keyboard.type(typed)
    tab_to(page, page.get_by_role("button", name="Sign in"))
    page.keyboard.press("Enter")
    expect(page.locator(".em-welcome")).to_contain_text("Welcome, Kim Keyboard", timeout=WAIT)

    lesson = content.notebook(LESSON)
    link = page.locator(".em-lessons").get_by_role("link", name=lesson.title)
    tab_to(page, link)
    page.keyboard.press("Enter")
    cards = page.locator(".em-card")
    expect(cards).to_have_count(len(lesson.exercises), timeout=WAIT)
    for card, exercise in zip(cards.all(), lesson.exercises):
        if exercise.kind == "scenario":
            tab_to(page, card.get_by_role("radio").first)  # into the group: Space chooses the focused response
            page.keyboard.press("Space")
            expect(card.get_by_role("radio").first).to_be_checked()
        elif exercise.kind == "habits":
            for row in card.locator(".widget-toggle-buttons").all():
                tab_to(page, row.get_by_role("button", name="often", exact=True))
                page.keyboard.press("Space")
                expect(row.locator("button.mod-active")).to_have_text("often")
        else:
            for box in card.locator("textarea").all():
                tab_to(page, box)
                page.keyboard.type(f"Typed without a mouse for {exercise.id}.")
        tab_to(page, card.get_by_role("button", name="Save"))
        page.keyboard.press("Enter")
        expect(card.locator(".em-status")).to_have_text(re.compile("^Saved"), timeout=WAIT)
    saved = {e["exercise"] for e in Journal(app.journal_dir).entries("Kim Keyboard") if e["kind"] != "profile"}
    assert saved == {exercise.id for exercise in lesson.exercises}
