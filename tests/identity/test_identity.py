"""Sign-in in room mode: a name is claimed by a passphrase, kept only as a salted scrypt hash."""

import errno
import hashlib
import json
import os
import re
import threading
import time

import pytest

from extramile import cli
from extramile.exceptions import NewPassphraseNeeded, SignInError
from extramile.identity.identity import REFUSED, Accounts, Participant
from extramile.identity.throttle import FREE_REFUSALS, wait_after
from extramile.store.journal import Journal


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
    accounts.start_session(Participant("Zoë", "Blue"))
    stored = all_stored_bytes(journal.directory)
    assert b"lemon squeezer" not in stored and b"lemon" not in stored
    [record] = (journal.directory / ".accounts").glob("*.json")
    assert set(json.loads(record.read_text())) == {"salt", "scrypt", "n"}


def test_similar_names_are_different_accounts(accounts):
    accounts.sign_in("Zoë", "Blue", "one passphrase")
    assert accounts.sign_in("Zoe", "Blue", "another one").name == "Zoe"


@pytest.mark.parametrize("name, team, passphrase, message", [
    ("", "Blue", "pear drops", "cannot be empty"), ("Zoë", " ", "pear drops", "team name"),
    ("Zoë", "Blue", "", "type your passphrase"), ("Zo\x07ë", "Blue", "pear drops", "control character"),
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


def test_a_session_is_a_new_id_the_server_made_and_is_stored_only_hashed(accounts, journal):
    zoe = accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    first, second = accounts.start_session(zoe), accounts.start_session(zoe)
    assert first != second and min(len(first), len(second)) >= 43  # 32 random bytes, URL-safe: 256 bits
    assert accounts.resume(first) == zoe == accounts.resume(second)
    assert first.encode() not in all_stored_bytes(journal.directory)
    assert accounts.resume("a-value-the-browser-chose") is None and accounts.resume("") is None
    assert accounts.resume(None) is None


def test_signing_out_ends_the_persons_sessions_in_every_browser_and_no_one_elses(accounts):
    zoe, sam = accounts.sign_in("Zoë", "Blue", "lemon squeezer"), accounts.sign_in("Sam", "Blue", "pear drops")
    laptop, phone, sams_laptop = accounts.start_session(zoe), accounts.start_session(zoe), accounts.start_session(sam)
    accounts.end_sessions_of("Zoë")
    assert accounts.resume(laptop) is None and accounts.resume(phone) is None
    assert accounts.resume(sams_laptop) == sam


def test_a_session_ended_at_sign_out_never_opens_anything_again(accounts):
    zoe = accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    copied = accounts.start_session(zoe)
    accounts.end_sessions_of("Zoë")
    later = [accounts.start_session(accounts.sign_in("Zoë", "Blue", "lemon squeezer")),
             accounts.start_session(accounts.sign_in("Sam", "Green", "pear drops"))]
    assert copied not in later and accounts.resume(copied) is None


def test_expired_session_does_not_resume(accounts, monkeypatch):
    session = accounts.start_session(Participant("Zoë", "Blue"))
    later = time.time() + 13 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert accounts.resume(session) is None


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
    with pytest.raises(SignInError, match="looks just like it .* is already taken"):
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
    with pytest.raises(SignInError, match="full") as failure:
        accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    assert str(journal.directory) not in str(failure.value)
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



# --- guessing at once, weak passphrases, names typed another way ------------------------------------

def test_thirty_guesses_sent_at_once_are_checked_one_at_a_time_and_only_until_the_name_waits(journal, monkeypatch):
    Accounts(journal).sign_in("Zoë", "Blue", "lemon squeezer")
    checks = []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: checks.append(1) or real(*a, **k))
    together = threading.Barrier(30)
    answers = []

    def guess(number):
        tab = Accounts(Journal(journal.directory))  # every guess from a tab of its own
        together.wait()
        try:
            tab.sign_in("Zoë", "Blue", f"guess number {number}")
        except SignInError as refused:
            answers.append(str(refused))

    guessers = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
    for guesser in guessers:
        guesser.start()
    for guesser in guessers:
        guesser.join()
    assert len(answers) == 30 and len(checks) == FREE_REFUSALS
    [lock] = Accounts(journal).throttle.locks()
    assert lock.refusals == FREE_REFUSALS and lock.wait <= wait_after(FREE_REFUSALS)  # not an hour


@pytest.mark.parametrize("weak", ["1234", "12345", "123456", "111111", "aaaaaaa", "987654", "7890123",
                                  "password", "Pass Word", "qwerty123", "extra mile"])
def test_a_new_name_is_not_claimed_with_a_passphrase_a_guesser_tries_first(accounts, journal, weak):
    with pytest.raises(SignInError, match="at least 6 characters|one of the first a guesser would try"):
        accounts.sign_in("Zoë", "Blue", weak)
    assert not accounts.passphrases.exists("Zoë") and journal.participants() == []


def test_a_short_passphrase_claimed_before_the_rules_still_opens_its_journal(accounts, journal):
    assert accounts.passphrases.claim("Zoë", "lime")  # four characters, as an older release allowed
    assert accounts.sign_in("Zoë", "Blue", "lime").name == "Zoë"
    with pytest.raises(SignInError, match="do not match"):
        accounts.sign_in("Zoë", "Blue", "lim")


def test_a_new_passphrase_after_a_reset_follows_the_rules(accounts):
    accounts.sign_in("Zoë", "Blue", "lemon squeezer")
    code = accounts.passphrases.reset("Zoë")
    with pytest.raises(NewPassphraseNeeded, match="guesser"):
        accounts.sign_in("Zoë", "Blue", code, new_passphrase="123456")
    assert accounts.sign_in("Zoë", "Blue", code, new_passphrase="orange press").name == "Zoë"


@pytest.mark.parametrize("typed", ["ana walker", "ANA WALKER", "  Ana Walker ", "Ana W\u0430lker"])
def test_a_returning_participant_signs_in_however_the_name_is_typed_and_is_shown_as_first_claimed(
        accounts, journal, typed):
    accounts.sign_in("Ana Walker", "Blue", "lemon squeezer")
    assert accounts.sign_in(typed, "Blue", "lemon squeezer") == Participant("Ana Walker", "Blue")
    assert journal.participants() == ["Ana Walker"]


def test_a_look_alike_name_with_a_wrong_passphrase_counts_as_a_guess_at_that_name(accounts):
    accounts.sign_in("Ana Walker", "Blue", "lemon squeezer")
    with pytest.raises(SignInError, match="looks just like it"):
        accounts.sign_in("ana walker", "Blue", "another passphrase")
    assert [(lock.name, lock.refusals) for lock in accounts.throttle.locks()] == [("Ana Walker", 1)]


def test_zoe_typed_with_a_combining_accent_is_zoe(accounts, journal):
    accounts.sign_in("Zo\u00eb", "Blue", "lemon squeezer")
    assert accounts.sign_in("Zoe\u0308", "Blue", "lemon squeezer").name == "Zo\u00eb"
    assert journal.participants() == ["Zo\u00eb"]


# a combining grapheme joiner, the accent typed twice, a variation selector
@pytest.mark.parametrize("lookalike", ["Zo\u00eb\u034f", "Zoe\u0308\u0308", "Zo\u00eb\ufe0f"])
def test_marks_that_draw_nothing_more_do_not_make_another_person(accounts, journal, lookalike):
    accounts.sign_in("Zo\u00eb", "Blue", "lemon squeezer")
    with pytest.raises(SignInError, match="looks just like it|invisible or formatting character"):
        accounts.sign_in(lookalike, "Blue", "another passphrase")
    assert journal.participants() == ["Zo\u00eb"]


def test_a_team_typed_with_a_letter_from_another_alphabet_is_the_same_team(accounts, journal, monkeypatch):
    assert accounts.sign_in("Ann", "Blue", "passphrase one").team == "Blue"
    assert accounts.sign_in("Bob", "\u0412lue", "passphrase two").team == "Blue"  # a Cyrillic capital Ve
    monkeypatch.setenv("EXTRAMILE_TEAMS", "Blue,Green")
    assert Accounts(journal).sign_in("Cy", "\u0412LUE", "passphrase three").team == "Blue"
