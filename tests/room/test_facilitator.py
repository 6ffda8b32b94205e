"""The facilitator console's door: only the passphrase opens it, guesses wait their turn, it is set up explicitly."""

from __future__ import annotations

import hashlib
import re
import threading
import time

import pytest

from extramile.exceptions import ConsoleNotConfigured
from extramile.room import facilitator


def test_only_the_passphrase_opens_the_console_and_only_for_the_browser_given_a_new_session():
    door = facilitator.Console("amber-birch-cedar-delta-417", pause_after_wrong=0)
    assert door.sign_in("amber-birch-cedar-delta-416") is None
    session = door.sign_in("amber-birch-cedar-delta-417")
    assert session and len(session) >= 43 and door.admits(session)  # 256 bits the server made
    assert door.sign_in("amber-birch-cedar-delta-417") != session
    assert not door.admits("a-cookie-the-browser-chose") and not door.admits(None)
    door.sign_out(session)
    assert not door.admits(session)


def test_the_passphrase_is_kept_only_as_a_hash():
    door = facilitator.Console("amber-birch-cedar-delta-417")
    assert b"amber" not in repr(vars(door)).encode() and "amber" not in repr(vars(door))


def test_new_passphrases_are_four_words_and_a_number_with_at_least_forty_bits():
    made = {facilitator.new_passphrase() for _ in range(20)}
    assert len(made) == 20
    assert all(re.fullmatch(r"[a-z]+-[a-z]+-[a-z]+-[a-z]+-\d{3}", p) for p in made)
    assert len(set(facilitator.words())) == len(facilitator.words()) == 256
    assert facilitator.passphrase_bits() >= 40


def test_guesses_sent_at_once_from_many_browsers_wait_for_each_other(monkeypatch):
    door = facilitator.Console("amber-birch-cedar-delta-417", pause_after_wrong=0.2)
    checked = []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: checked.append(time.monotonic()) or real(*a, **k))
    together = threading.Barrier(10)

    def guess(number):
        together.wait()
        assert door.sign_in(f"a guess number {number}") is None

    guessers = [threading.Thread(target=guess, args=(n,)) for n in range(10)]
    for guesser in guessers:
        guesser.start()
    for guesser in guessers:
        guesser.join()
    gaps = [later - earlier for earlier, later in zip(checked, checked[1:], strict=False)]
    assert len(checked) == 10 and min(gaps) >= 0.2  # one pause for the whole room after every wrong guess


def test_the_console_is_closed_until_the_server_gives_it_a_passphrase(monkeypatch):
    monkeypatch.setattr(facilitator, "_console", None)
    monkeypatch.setenv("FACILITATOR_PASSPHRASE", "amber-birch-cedar-delta-417")
    with pytest.raises(ConsoleNotConfigured, match="make workshop"):
        facilitator.console()  # never a passphrase of its own making, nor one read behind serve's back
    facilitator.configure("amber-birch-cedar-delta-417")
    door = facilitator.console()
    assert door is facilitator.console() and door.sign_in("amber-birch-cedar-delta-417")
