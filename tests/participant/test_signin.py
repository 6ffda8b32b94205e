"""The sign-in bar as a participant uses it: type, press Sign in, read what it says."""

import pytest

from extramile.identity.identity import Accounts
from extramile.participant.answers import AnswerBook
from extramile.participant.signin import SignInBar
from tests.conftest import shows_as_text, sign_in


def bar_for(journal):
    changes = []
    bar = SignInBar(Accounts(journal), AnswerBook(journal), changes.append)
    return bar, changes


def test_another_team_than_last_time_is_asked_about_not_taken(journal):
    first, _ = bar_for(journal)
    sign_in(first, "Zoë", "Blue", "lemon squeezer")
    bar, changes = bar_for(journal)
    sign_in(bar, "Zoë", "Green", "lemon squeezer")
    assert "You were in team Blue; move to Green?" in bar.move_question.value
    assert bar.move_box in bar.children
    assert bar.book.participant.team == "Blue" and "(team Blue)" in bar.message.value
    bar.move_button.click()
    assert bar.book.participant.team == "Green"
    assert "(team Green, moved from Blue)" in bar.message.value
    assert bar.move_box not in bar.children
    assert bar.accounts.team_of("Zoë") == "Green" and len(changes) == 2


def test_staying_keeps_the_team(journal):
    first, _ = bar_for(journal)
    sign_in(first, "Zoë", "Blue", "lemon squeezer")
    bar, _ = bar_for(journal)
    sign_in(bar, "Zoë", "Green", "lemon squeezer")
    bar.stay_button.click()
    assert bar.move_box not in bar.children
    assert bar.accounts.team_of("Zoë") == "Blue" and "moved" not in bar.message.value


def test_listed_teams_are_picked_from_a_dropdown(journal, monkeypatch):
    monkeypatch.setenv("EXTRAMILE_TEAMS", "Blue,Green")
    bar, _ = bar_for(journal)
    assert list(bar.team.options) == ["Blue", "Green"] and bar.team.value is None
    bar.name.value, bar.passphrase.value = "Zoë", "lemon squeezer"
    bar.sign_in_button.click()
    assert "team name" in bar.message.value and bar.book.participant is None
    sign_in(bar, "Zoë", "Green", "lemon squeezer")
    assert bar.book.participant.team == "Green"


def test_a_reset_code_lets_the_participant_choose_a_new_passphrase(journal):
    first, _ = bar_for(journal)
    sign_in(first, "Zoë", "Blue", "lemon squeezer")
    code = first.accounts.passphrases.reset("Zoë")
    bar, _ = bar_for(journal)
    sign_in(bar, "Zoë", "Blue", code)
    assert "Reset code accepted" in bar.message.value and bar.book.participant is None
    assert bar.passphrase.value == "" and bar.passphrase.placeholder == "Your new passphrase"
    bar.passphrase.value = "orange press"
    bar.sign_in_button.click()
    assert bar.book.participant.name == "Zoë"
    again, _ = bar_for(journal)
    sign_in(again, "Zoë", "Blue", "orange press")
    assert again.book.participant.name == "Zoë"


@pytest.mark.parametrize("name", ["Zo\u200bë", "\u202eZoë"])
def test_invisible_characters_in_a_name_get_a_clear_message(journal, name):
    bar, _ = bar_for(journal)
    sign_in(bar, name, "Blue", "lemon squeezer")
    assert "invisible or formatting character" in bar.message.value and bar.book.participant is None


def test_a_name_and_team_typed_as_html_are_shown_as_typed(journal):
    name, team, other = "<b>Zoë</b> & co", "<img src=x onerror=alert(1)>", "<script>alert(2)</script>"
    first, _ = bar_for(journal)
    sign_in(first, name, team, "lemon squeezer")
    assert shows_as_text(first.message.value, f"Welcome, {name} (team {team})")
    bar, _ = bar_for(journal)
    sign_in(bar, name, other, "lemon squeezer")
    assert shows_as_text(bar.move_question.value, f"You were in team {team}; move to {other}?")
