"""Sign-in in room mode: a name is claimed by a passphrase, kept only as a salted scrypt hash."""

import json
import time

import pytest

from extramile.exceptions import SignInError
from extramile.identity import REFUSED, Accounts, Participant
from extramile.journal import Journal


@pytest.fixture
def accounts(journal):
    return Accounts(journal)


def all_stored_bytes(directory):
    return b"".join(p.read_bytes() for p in directory.rglob("*") if p.is_file())


def test_first_sign_in_claims_the_name_and_records_the_team(accounts, journal):
    assert accounts.sign_in("Zoë", "Blue", "lemon squeezer") == Participant("Zoë", "Blue")
    [profile] = journal.entries("Zoë")
    assert profile["kind"] == "profile" and profile["answer"] == {"team": "Blue"}


def test_same_name_and_passphrase_signs_in_again(accounts, journal):
    accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    assert accounts.sign_in("Zoë", "Blue", "lemon squeezer").name == "Zoë"
    assert len(journal.entries("Zoë")) == 1  # same team: no new profile entry


def test_wrong_passphrase_is_refused_and_reveals_nothing(accounts, journal):
    accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    with pytest.raises(SignInError) as refused:
        accounts.sign_in("Zoë", "Red", "guess")
    assert str(refused.value) == REFUSED
    assert "Blue" not in str(refused.value)
    assert [e["team"] for e in journal.entries("Zoë")] == ["Blue"]


def test_passphrase_is_never_stored_in_plain_text(accounts, journal):
    accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    accounts.start_session(Participant("Zoë", "Blue"), "browser-session-id")
    stored = all_stored_bytes(journal.directory)
    assert b"lemon squeezer" not in stored and b"lemon" not in stored
    [record] = (journal.directory / ".accounts").glob("*.json")
    assert set(json.loads(record.read_text())) == {"salt", "scrypt", "n"}


def test_similar_names_are_different_accounts(accounts):
    accounts.sign_in("Zoë", "Blue", "one passphrase")
    assert accounts.sign_in("Zoe", "Blue", "another one").name == "Zoe"


@pytest.mark.parametrize("name, team, passphrase, message", [
    ("", "Blue", "secret", "cannot be empty"), ("Zoë", " ", "secret", "team name"),
    ("Zoë", "Blue", "abc", "at least 4"), ("Zo\x07ë", "Blue", "secret", "control character"),
])
def test_unusable_sign_ins_get_a_clear_message(accounts, name, team, passphrase, message):
    with pytest.raises(SignInError, match=message):
        accounts.sign_in(name, team, passphrase)


def test_changing_team_records_a_new_profile_version(accounts, journal):
    accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    accounts.sign_in("Zoë", "Green", "lemon squeezer")
    assert accounts.team_of("Zoë") == "Green"
    assert [e["team"] for e in journal.entries("Zoë")] == ["Green"]


def test_browser_session_resumes_and_is_stored_only_hashed(accounts, journal):
    zoe = accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    browser = "4f0c2b1e-browser-cookie"
    accounts.start_session(zoe, browser)
    assert accounts.resume(browser) == zoe
    assert browser.encode() not in all_stored_bytes(journal.directory)
    assert accounts.resume("another-browser") is None and accounts.resume("") is None and accounts.resume(None) is None
    accounts.end_session(browser)
    assert accounts.resume(browser) is None


def test_the_next_person_at_a_shared_browser_is_signed_in_as_themselves(accounts):
    browser = "shared-laptop"
    accounts.start_session(accounts.sign_in("Zoë", "Blue", "lemon squeezer"), browser)
    sam = accounts.sign_in("Sam", "Green", "pear drops")
    accounts.start_session(sam, browser)
    assert accounts.resume(browser) == sam


def test_expired_session_does_not_resume(accounts, monkeypatch):
    accounts.start_session(Participant("Zoë", "Blue"), "browser")
    later = time.time() + 13 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert accounts.resume("browser") is None


def test_two_tabs_claiming_a_new_name_at_once_cannot_both_win(journal):
    first, second = Accounts(journal), Accounts(Journal(journal.directory))
    first.sign_in("Zoë", "Blue", "first passphrase")
    with pytest.raises(SignInError):
        second.sign_in("Zoë", "Blue", "second passphrase")


def test_hub_sign_in_needs_only_a_team(accounts):
    assert accounts.hub_sign_in("zoe", "Blue") == Participant("zoe", "Blue")
    assert accounts.team_of("zoe") == "Blue"
