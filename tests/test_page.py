"""A participant page as the notebooks build it: sign in once, then every lesson knows you."""

import html
from urllib.parse import parse_qs, urlparse

import pytest

from extramile.content import PARTICIPANT_NOTEBOOKS
from extramile.identity import Accounts
from extramile.page import Page


def sign_in(page, name="Zoë", team="Blue", passphrase="lemon squeezer"):
    page.bar.name.value, page.bar.team.value, page.bar.passphrase.value = name, team, passphrase
    page.bar.sign_in_button.click()


def token_in(link_widget):
    href = link_widget.value.split('href="')[-1].split('"')[0]
    return parse_qs(urlparse(html.unescape(href)).query).get("s", [None])[0]


def test_welcome_greets_a_new_participant_with_no_answers(journal):
    page = Page("00_welcome", journal, query="")
    sign_in(page)
    assert "Welcome, Zoë (team Blue): 0 answers saved so far" in page.bar.message.value
    assert page.bar.passphrase.value == ""


def test_signing_in_again_says_how_many_answers_are_saved(journal):
    page = Page("00_welcome", journal, query="")
    sign_in(page)
    card = page.exercise("welcome-mindset-before")
    card.save_button.click()
    assert "1 answer saved so far" in page.bar.message.value
    again = Page("00_welcome", journal, query="")
    sign_in(again)
    assert "1 answer saved so far" in again.bar.message.value


def test_wrong_passphrase_reveals_nothing_of_the_other_journal(journal):
    first = Page("00_welcome", journal, query="")
    sign_in(first)
    card = first.exercise("welcome-someone-went-the-extra-mile")
    card.text.value = "my private memory"
    card.save_button.click()
    intruder = Page("00_welcome", journal, query="")
    intruder_card = intruder.exercise("welcome-someone-went-the-extra-mile")
    sign_in(intruder, passphrase="wrong guess")
    assert "do not match" in intruder.bar.message.value
    assert intruder_card.text.value == "" and intruder.book.participant is None
    intruder_card.text.value = "overwrite attempt"
    intruder_card.save_button.click()
    assert [e["answer"] for e in journal.entries("Zoë") if e["kind"] == "exercise"] == [{"text": "my private memory"}]


def test_lesson_links_carry_a_session_and_the_next_page_needs_no_sign_in(journal):
    welcome = Page("00_welcome", journal, query="")
    lessons = welcome.lessons()
    assert token_in(lessons) is None
    sign_in(welcome)
    token = token_in(lessons)
    assert token and "lemon" not in lessons.value
    lesson = Page("01_notice_small_opportunities", journal, query=f"s={token}")
    assert lesson.book.participant.name == "Zoë"
    assert "Welcome, Zoë" in lesson.bar.message.value
    assert token_in(lesson.next_link()) == token


def test_answers_reappear_when_a_signed_in_page_is_reopened(journal):
    page = Page("00_welcome", journal, query="")
    card = page.exercise("welcome-best-before")
    sign_in(page)
    card.value.value = 9
    card.save_button.click()
    reopened = Page("00_welcome", journal, query=f"s={page.bar.token}")
    assert reopened.exercise("welcome-best-before").value.value == 9


def test_signing_in_fills_cards_already_on_the_page(journal):
    first = Page("00_welcome", journal, query="")
    sign_in(first)
    card = first.exercise("welcome-best-before")
    card.value.value = 2
    card.save_button.click()
    later = Page("00_welcome", journal, query="")
    waiting = later.exercise("welcome-best-before")
    assert waiting.value.value == 5
    sign_in(later)
    assert waiting.value.value == 2


def test_sign_out_ends_the_session_and_empties_the_forms(journal):
    page = Page("00_welcome", journal, query="")
    sign_in(page)
    card = page.exercise("welcome-someone-went-the-extra-mile")
    card.text.value = "private"
    card.save_button.click()
    token = page.bar.token
    page.bar.sign_out_button.click()
    assert card.text.value == "" and Accounts(journal).resume(token) is None


def test_a_forged_or_stale_token_shows_the_sign_in_form(journal):
    page = Page("01_notice_small_opportunities", journal, query="s=forged")
    assert page.book.participant is None and page.bar.form in page.bar.children


def test_under_jupyterhub_the_hub_user_is_the_identity(journal, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "zoe")
    page = Page("00_welcome", journal, query="")
    assert page.bar.name.value == "zoe" and page.bar.name.disabled
    page.bar.team.value = "Blue"
    page.bar.sign_in_button.click()
    assert page.book.participant.name == "zoe"
    assert Page("02_positive_mindset", journal, query="").book.participant.team == "Blue"


@pytest.mark.parametrize("name", PARTICIPANT_NOTEBOOKS[:5])
def test_every_page_tells_its_story_with_credits(journal, name):
    page = Page(name, journal, query="")
    story = page.story().data
    assert "Told in our own words, after" in story
    for source in page.notebook.sources:
        assert source.title in story and source.author in story
