"""Sign-in in room mode: a name is claimed by a passphrase, kept only as a salted scrypt hash."""

import errno
import hashlib
import json
import os
import re
import time

import pytest

from extramile import cli
from extramile.exceptions import NewPassphraseNeeded, SignInError
from extramile.identity import REFUSED, Accounts, Participant
from extramile.journal import Journal
from extramile.throttle import FREE_REFUSALS, wait_after


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


def test_a_different_team_at_sign_in_asks_before_moving(accounts, journal):
    accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    zoe = accounts.sign_in("Zoë", "Green", "lemon squeezer")
    assert (zoe.team, zoe.asks_team) == ("Blue", "Green")  # still in Blue until she says yes
    assert accounts.team_of("Zoë") == "Blue"
    moved = accounts.move_team(zoe, zoe.asks_team)
    assert moved == Participant("Zoë", "Green")
    assert accounts.team_of("Zoë") == "Green"
    assert [e["team"] for e in journal.entries("Zoë")] == ["Green"]


def test_browser_session_resumes_and_is_stored_only_hashed(accounts, journal):
    zoe = accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    browser = "4f0c2b1e-browser-cookie"
    accounts.start_session(zoe, browser)
    assert accounts.resume(browser) == zoe
    assert browser.encode() not in all_stored_bytes(journal.directory)
    assert accounts.resume("another-browser") is None and accounts.resume("") is None and accounts.resume(None) is None
    accounts.end_sessions_of("Zoë")
    assert accounts.resume(browser) is None


def test_signing_out_ends_the_persons_sessions_in_every_browser_and_no_one_elses(accounts):
    zoe, sam = accounts.sign_in("Zoë", "Blue", "lemon squeezer"), accounts.sign_in("Sam", "Blue", "pear drops")
    accounts.start_session(zoe, "laptop")
    accounts.start_session(zoe, "phone")
    accounts.start_session(sam, "sams-laptop")
    accounts.end_sessions_of("Zoë")
    assert accounts.resume("laptop") is None and accounts.resume("phone") is None
    assert accounts.resume("sams-laptop") == sam


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


# --- names that cannot be told apart ---------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "Zo\u200bë",  # zero-width space
    "Zo\u00adë",  # soft hyphen
    "\u202eZoë",  # right-to-left override
    "Zoë\u2066",  # left-to-right isolate
    "Zo\ufeffë",  # zero-width no-break space
    "Zoë\u2028Ann",  # line separator
])
def test_names_with_invisible_characters_are_refused(accounts, name):
    with pytest.raises(SignInError, match="invisible or formatting character"):
        accounts.sign_in(name, "Blue", "lemon squeezer")


def test_team_names_with_invisible_characters_are_refused(accounts):
    with pytest.raises(SignInError, match="invisible or formatting character"):
        accounts.sign_in("Zoë", "Blue\u200d", "lemon squeezer")


@pytest.mark.parametrize("lookalike", ["Zοë", "ZOË", "zoë", "Ζoë"])  # Greek omicron; capitals; Greek capital zeta
def test_a_name_that_looks_like_a_claimed_one_cannot_be_claimed(accounts, journal, lookalike):
    accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    with pytest.raises(SignInError, match="looks just like one already taken"):
        accounts.sign_in(lookalike, "Blue", "another passphrase")
    assert not journal.path_for(lookalike).exists()
    assert accounts.sign_in("Zoë", "Blue", "lemon squeezer").name == "Zoë"  # the owner still gets in


def test_a_name_claimed_before_lookalikes_were_kept_is_protected_from_its_next_sign_in(accounts, journal):
    accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    for path in (journal.directory / ".lookalikes").iterdir():
        path.unlink()  # as an account from an older version has no look-alike record
    accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    with pytest.raises(SignInError, match="looks just like"):
        accounts.sign_in("Zοë", "Blue", "another passphrase")


# --- teams ------------------------------------------------------------------------------------------

def test_team_names_match_whatever_the_case_and_the_first_spelling_stays(accounts):
    assert accounts.sign_in("Ann", "Blue", "passphrase one").team == "Blue"
    assert accounts.sign_in("Bob", "  blue ", "passphrase two").team == "Blue"
    assert accounts.sign_in("Cy", "BLUE", "passphrase three").team == "Blue"
    assert accounts.sign_in("Ann", "blue", "passphrase one").asks_team is None  # same team: nothing to ask


def test_the_facilitators_team_list_is_the_only_choice(journal, monkeypatch):
    monkeypatch.setenv("EXTRAMILE_TEAMS", "Blue, Green ,blue")
    accounts = Accounts(journal)
    assert accounts.teams.allowed == ["Blue", "Green"]
    assert accounts.sign_in("Ann", "green", "passphrase one").team == "Green"
    with pytest.raises(SignInError, match="no team called Red here: please choose one of Blue, Green"):
        accounts.sign_in("Bob", "Red", "passphrase two")


def test_the_team_list_can_come_from_a_file(journal, monkeypatch, tmp_path):
    listed = tmp_path / "teams.txt"
    listed.write_text("# this workshop\nBlue\n\nGreen\n", encoding="utf-8")
    monkeypatch.setenv("EXTRAMILE_TEAMS_FILE", str(listed))
    assert Accounts(journal).teams.allowed == ["Blue", "Green"]


# --- guessing, resets and full disks ----------------------------------------------------------------

def test_wrong_passphrases_make_the_name_wait_and_are_logged_without_the_passphrase(accounts, caplog):
    accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    caplog.set_level("INFO")
    for _ in range(FREE_REFUSALS):
        with pytest.raises(SignInError, match="do not match"):
            accounts.sign_in("Zoë", "Blue", "wrong guess")
    with pytest.raises(SignInError, match="Too many wrong passphrases for this name. Please wait"):
        accounts.sign_in("Zoë", "Blue", "lemon squeezer")  # even the right one waits now
    assert "Zoë" in caplog.text and "wrong guess" not in caplog.text


def test_the_wait_survives_a_restart_and_the_facilitator_can_lift_it(journal):
    Accounts(journal).sign_in("Zoë", "Blue", "lemon squeezer")
    for _ in range(FREE_REFUSALS):
        with pytest.raises(SignInError):
            Accounts(journal).sign_in("Zoë", "Blue", "wrong guess")
    restarted = Accounts(Journal(journal.directory))
    with pytest.raises(SignInError, match="Please wait"):
        restarted.sign_in("Zoë", "Blue", "lemon squeezer")
    assert cli.main(["accounts", "--journal", str(journal.directory), "unlock", "Zoë"]) == 0
    assert restarted.sign_in("Zoë", "Blue", "lemon squeezer").name == "Zoë"


def test_the_wait_grows_with_every_refusal():
    waits = [wait_after(n) for n in range(FREE_REFUSALS + 4)]
    assert waits[:FREE_REFUSALS] == [0] * FREE_REFUSALS
    assert waits[FREE_REFUSALS:] == sorted(set(waits[FREE_REFUSALS:])) and waits[-1] > waits[FREE_REFUSALS]


def test_a_refused_sign_in_costs_one_scrypt(accounts, monkeypatch):
    accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    calls = []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: calls.append(1) or real(*a, **k))
    with pytest.raises(SignInError):
        accounts.sign_in("Zoë", "Blue", "wrong guess")
    assert len(calls) == 1


def test_a_full_disk_at_first_sign_in_leaves_the_name_free(accounts, journal, monkeypatch):
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(SignInError, match="full"):
        accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert not list((journal.directory / ".accounts").glob("*"))  # no empty account, no temporary file
    assert accounts.sign_in("Zoë", "Blue", "lemon squeezer").name == "Zoë"


def test_a_forgotten_passphrase_is_reset_with_a_code_and_the_journal_stays(accounts, journal, capsys):
    accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    journal.append(participant="Zoë", team="Blue", kind="exercise", exercise="x", answer={"text": "mine"})
    assert cli.main(["accounts", "--journal", str(journal.directory), "reset", "Zoë"]) == 0
    code = re.search(r"\b([A-Z2-9]{4}-[A-Z2-9]{4})\b", capsys.readouterr().out).group(1)
    with pytest.raises(SignInError, match="do not match"):
        accounts.sign_in("Zoë", "Blue", "lemon squeezer")  # the old passphrase no longer opens it
    with pytest.raises(NewPassphraseNeeded, match="choose a new passphrase"):
        accounts.sign_in("Zoë", "Blue", code.lower().replace("-", " "))
    zoe = accounts.sign_in("Zoë", "Blue", code, new_passphrase="orange press")
    assert zoe.name == "Zoë" and journal.entries("Zoë")[-1]["answer"] == {"text": "mine"}
    assert accounts.sign_in("Zoë", "Blue", "orange press").name == "Zoë"
    with pytest.raises(SignInError, match="do not match"):
        accounts.sign_in("Zoë", "Blue", code)  # the code was for one use


def test_reset_of_an_unknown_name_says_so(journal, capsys):
    journal.directory.mkdir(parents=True)
    assert cli.main(["accounts", "--journal", str(journal.directory), "reset", "Nobody"]) == 1
    assert "no account" in capsys.readouterr().err.lower()


def test_accounts_list_shows_locked_names(accounts, journal, capsys):
    accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    for _ in range(FREE_REFUSALS):
        with pytest.raises(SignInError):
            accounts.sign_in("Zoë", "Blue", "wrong guess")
    assert cli.main(["accounts", "--journal", str(journal.directory), "list"]) == 0
    out = capsys.readouterr().out
    assert "1 account" in out and "Zoë" in out and f"{FREE_REFUSALS} wrong" in out

