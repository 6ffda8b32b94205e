"""A participant page as the app and the notebooks build it: sign in once, then every page of that browser knows you."""

import pytest

from extramile.content import PARTICIPANT_NOTEBOOKS
from extramile.identity.identity import Accounts
from extramile.page import Page
from extramile.participant.signin import BrowserLink
from tests.conftest import sign_in


def same_browser(page):
    """A new tab of the browser that signed in on `page`: it brings the session cookie that sign-in set."""
    return BrowserLink(page.bar.link.session)


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
    welcome = Page("00_welcome", journal, link=BrowserLink())
    sign_in(welcome.bar)
    lesson = Page("01_notice_small_opportunities", journal, link=same_browser(welcome))
    assert lesson.book.participant.name == "Zoë"
    assert "Welcome, Zoë" in lesson.bar.message.value
    assert Page("01_notice_small_opportunities", journal, link=BrowserLink("another browser")).book.participant is None


def test_links_and_the_marker_carry_no_session_id(journal):
    welcome = Page("00_welcome", journal, link=BrowserLink())
    sign_in(welcome.bar)
    links = welcome.lessons().value + welcome.next_link().value
    assert 'href="01_notice_small_opportunities.ipynb"' in links and "weekly_journal.ipynb" in links
    assert "?" not in links and welcome.bar.link.session not in links
    assert welcome.bar.link.session not in welcome.bar.marker.value and 'data-person="' in welcome.bar.marker.value


def test_a_sign_out_in_another_tab_is_followed_here(journal):
    first = Page("00_welcome", journal, link=BrowserLink())
    sign_in(first.bar)
    card = first.exercise("welcome-someone-went-the-extra-mile")
    card.text.value = "private"
    card.save_button.click()
    second = Page("02_positive_mindset", journal, link=same_browser(first))
    second.bar.sign_out_button.click()
    first.follow_browser()
    assert first.book.participant is None and card.text.value == ""
    assert "Signed out in another tab" in first.bar.message.value
    sign_in(second.bar)
    first.follow_browser(second.bar.link.session)  # what the browser's cookie holds now
    assert first.book.participant.name == "Zoë" and card.text.value == "private"


def test_the_next_person_in_another_tab_finds_nothing_the_last_one_typed(journal):
    alice = Page("00_welcome", journal, link=BrowserLink())
    sign_in(alice.bar, "Alice", "Blue", "alice's passphrase")
    card = alice.exercise("welcome-someone-went-the-extra-mile")
    card.text.value = "Alice's words, not saved"
    sent = []
    card.text.observe(lambda change: sent.append(change["new"]), names="value")
    bob = Page("02_positive_mindset", journal, link=same_browser(alice))
    bob.bar.sign_out_button.click()
    sign_in(bob.bar, "Bob", "Blue", "bob's passphrase")
    alice.follow_browser(bob.bar.link.session)
    assert "Welcome, Bob" in alice.bar.message.value and card.text.value == ""
    assert sent[-1] == "" and len(sent) >= 2  # re-sent, so a box the browser had not sent yet is emptied too
    card.save_button.click()
    assert not [e for e in journal.entries("Bob") if e["kind"] == "exercise"]


def typed_while_signed_out(journal):
    """A page whose card holds a saved answer, then, signed out, other words typed over it: (page, card)."""
    page = Page("00_welcome", journal, link=BrowserLink())
    card = page.exercise("welcome-someone-went-the-extra-mile")
    sign_in(page.bar)
    card.text.value = "the saved answer"
    card.save_button.click()
    page.bar.sign_out_button.click()
    card.text.value = "typed while signed out"
    return page, card


def test_text_typed_signed_out_over_a_saved_answer_stays_beside_it_after_signing_in(journal):
    page, card = typed_while_signed_out(journal)
    card.save_button.click()
    assert "Sign in" in card.status.value
    sign_in(page.bar)
    assert card.text.value == "typed while signed out"
    assert card.both.layout.display is None and "the saved answer" in card.both_note.value
    card.save_button.click()
    texts = [e["answer"]["text"] for e in journal.entries("Zoë") if e["kind"] == "exercise"]
    assert texts == ["typed while signed out"] and card.both.layout.display == "none"


def test_the_saved_answer_can_be_chosen_over_text_typed_signed_out(journal):
    page, card = typed_while_signed_out(journal)
    sign_in(page.bar)
    [_keep_typed, keep_saved] = card.both.children[1].children
    keep_saved.click()
    assert card.text.value == "the saved answer" and card.both.layout.display == "none"


def test_answers_reappear_when_a_signed_in_page_is_reopened(journal):
    page = Page("00_welcome", journal, link=BrowserLink())
    card = page.exercise("welcome-best-before")
    sign_in(page.bar)
    card.value.value = 9
    card.save_button.click()
    reopened = Page("00_welcome", journal, link=same_browser(page))
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
    page = Page("00_welcome", journal, link=BrowserLink())
    sign_in(page.bar)
    session = page.bar.link.session
    card = page.exercise("welcome-someone-went-the-extra-mile")
    card.text.value = "private"
    card.save_button.click()
    page.bar.sign_out_button.click()
    assert card.text.value == "" and Accounts(journal).resume(session) is None


def test_an_unknown_browser_session_shows_the_sign_in_form(journal):
    page = Page("01_notice_small_opportunities", journal, link=BrowserLink("forged"))
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
