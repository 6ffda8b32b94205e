"""A participant page as the app and the notebooks build it: sign in once, then every page of that browser knows you."""

import pytest

from extramile.content import PARTICIPANT_NOTEBOOKS
from extramile.identity import Accounts
from extramile.page import Page
from tests.conftest import sign_in

BROWSER = "browser-session-of-zoe"


def test_welcome_greets_a_new_participant_with_no_answers(journal):
    page = Page("00_welcome", journal)
    sign_in(page.bar)
    assert "Welcome, Zoë (team Blue): 0 answers saved so far" in page.bar.message.value
    assert page.bar.passphrase.value == ""


def test_signing_in_again_says_how_many_answers_are_saved(journal):
    page = Page("00_welcome", journal)
    sign_in(page.bar)
    card = page.exercise("welcome-mindset-before")
    card.save_button.click()
    assert "1 answer saved so far" in page.bar.message.value
    again = Page("00_welcome", journal)
    sign_in(again.bar)
    assert "1 answer saved so far" in again.bar.message.value


def test_wrong_passphrase_reveals_nothing_of_the_other_journal(journal):
    first = Page("00_welcome", journal)
    sign_in(first.bar)
    card = first.exercise("welcome-someone-went-the-extra-mile")
    card.text.value = "my private memory"
    card.save_button.click()
    intruder = Page("00_welcome", journal)
    intruder_card = intruder.exercise("welcome-someone-went-the-extra-mile")
    sign_in(intruder.bar, passphrase="wrong guess")
    assert "do not match" in intruder.bar.message.value
    assert intruder_card.text.value == "" and intruder.book.participant is None
    intruder_card.text.value = "overwrite attempt"
    intruder_card.save_button.click()
    assert [e["answer"] for e in journal.entries("Zoë") if e["kind"] == "exercise"] == [{"text": "my private memory"}]


def test_the_next_page_in_the_same_browser_needs_no_sign_in(journal):
    welcome = Page("00_welcome", journal, browser_session=BROWSER)
    sign_in(welcome.bar)
    lesson = Page("01_notice_small_opportunities", journal, browser_session=BROWSER)
    assert lesson.book.participant.name == "Zoë"
    assert "Welcome, Zoë" in lesson.bar.message.value
    assert Page("01_notice_small_opportunities", journal, browser_session="another browser").book.participant is None


def test_links_in_a_notebook_lead_to_the_other_notebooks_without_any_token(journal):
    welcome = Page("00_welcome", journal, browser_session=BROWSER)
    sign_in(welcome.bar)
    links = welcome.lessons().value + welcome.next_link().value
    assert 'href="01_notice_small_opportunities.ipynb"' in links and "weekly_journal.ipynb" in links
    assert "?" not in links and BROWSER not in links


def test_a_sign_out_in_another_tab_is_followed_here(journal):
    first = Page("00_welcome", journal, browser_session=BROWSER)
    sign_in(first.bar)
    card = first.exercise("welcome-someone-went-the-extra-mile")
    card.text.value = "private"
    card.save_button.click()
    second = Page("02_positive_mindset", journal, browser_session=BROWSER)
    second.bar.sign_out_button.click()
    first.follow_browser()
    assert first.book.participant is None and card.text.value == ""
    assert "Signed out in another tab" in first.bar.message.value
    sign_in(second.bar)
    first.follow_browser()
    assert first.book.participant.name == "Zoë" and card.text.value == "private"


def test_answers_reappear_when_a_signed_in_page_is_reopened(journal):
    page = Page("00_welcome", journal, browser_session=BROWSER)
    card = page.exercise("welcome-best-before")
    sign_in(page.bar)
    card.value.value = 9
    card.save_button.click()
    reopened = Page("00_welcome", journal, browser_session=BROWSER)
    assert reopened.exercise("welcome-best-before").value.value == 9


def test_signing_in_fills_cards_already_on_the_page(journal):
    first = Page("00_welcome", journal)
    sign_in(first.bar)
    card = first.exercise("welcome-best-before")
    card.value.value = 2
    card.save_button.click()
    later = Page("00_welcome", journal)
    waiting = later.exercise("welcome-best-before")
    assert waiting.value.value == 5
    sign_in(later.bar)
    assert waiting.value.value == 2


def test_sign_out_ends_the_session_and_empties_the_forms(journal):
    page = Page("00_welcome", journal, browser_session=BROWSER)
    sign_in(page.bar)
    card = page.exercise("welcome-someone-went-the-extra-mile")
    card.text.value = "private"
    card.save_button.click()
    page.bar.sign_out_button.click()
    assert card.text.value == "" and Accounts(journal).resume(BROWSER) is None


def test_an_unknown_browser_session_shows_the_sign_in_form(journal):
    page = Page("01_notice_small_opportunities", journal, browser_session="forged")
    assert page.book.participant is None and page.bar.form in page.bar.children


def test_under_jupyterhub_the_hub_user_is_the_identity(journal, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "zoe")
    page = Page("00_welcome", journal)
    assert page.bar.name.value == "zoe" and page.bar.name.disabled
    page.bar.team.value = "Blue"
    page.bar.sign_in_button.click()
    assert page.book.participant.name == "zoe"
    assert Page("02_positive_mindset", journal).book.participant.team == "Blue"


@pytest.mark.parametrize("name", PARTICIPANT_NOTEBOOKS[:5])
def test_every_page_tells_its_story_with_credits(journal, name):
    page = Page(name, journal)
    story = page.story().value
    assert "Told in our own words, after" in story
    for source in page.notebook.sources:
        assert source.title in story and source.author in story


@pytest.mark.parametrize("name", PARTICIPANT_NOTEBOOKS)
def test_the_app_shows_the_same_exercises_in_the_same_order_as_the_notebook(journal, name):
    import json
    import re
    from pathlib import Path

    notebook = Path(__file__).resolve().parents[1] / "notebooks" / f"{name}.ipynb"
    cells = "\n".join("".join(c["source"]) for c in json.loads(notebook.read_text())["cells"])
    page = Page(name, journal)
    page.body()
    assert [card.exercise.id for card in page.cards] == re.findall(r'show_exercise\("([^"]+)"\)', cells)
