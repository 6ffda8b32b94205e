"""The journal service behind a real hub: who may read and write what, told as participants would see it.

Each test uses hub users of its own (the hub is shared by the session), with
tokens the hub issued them, against the service on 127.0.0.1.
"""

from __future__ import annotations

import pytest

from extramile.hub.journal_access import COUNTABLE_FIELDS
from extramile.store.remote_journal import RemoteJournal
from tests.hub.hubtools import FACILITATOR, http


def journal_of(hub, name) -> RemoteJournal:
    return RemoteJournal(hub.journal_url, hub.token_for(name))


def say(journal, name, team, text, *, shared=False, exercise="welcome-someone-went-the-extra-mile"):
    return journal.append(participant=name, team=team, kind="exercise", lesson=None, exercise=exercise,
                          answer={"text": text}, shared=shared)


def profile(journal, name, team):
    return journal.append(participant=name, team=team, kind="profile", answer={"team": team})


def texts(journal) -> set[str]:
    return {e["answer"].get("text") for e in journal.read_all() if isinstance(e.get("answer"), dict)} - {None}


def test_a_participant_reads_their_own_and_only_what_teammates_shared(hub):
    ana, ben, dee = journal_of(hub, "ana"), journal_of(hub, "ben"), journal_of(hub, "dee")
    profile(ana, "ana", "Teal"), profile(ben, "ben", "Teal"), profile(dee, "dee", "Plum")
    say(ana, "ana", "Teal", "ana private")
    say(ben, "ben", "Teal", "ben private")
    say(ben, "ben", "Teal", "ben shared", shared=True)
    say(dee, "dee", "Plum", "dee shared with Plum", shared=True)

    assert texts(ana) == {"ana private", "ben shared"}
    assert [e["answer"]["text"] for e in ana.entries("ben")] == ["ben shared"]
    assert ana.entries("dee") == []
    assert ana.participants() == ["ana", "ben"]


def test_nobody_can_save_into_someone_elses_journal(hub):
    eve = journal_of(hub, "eve")
    status, reply = http("POST", f"{hub.journal_url}api/entries", hub.token_for("eve"),
                         {"participant": "ben", "team": "Teal", "kind": "exercise", "answer": {"text": "forged"}})
    assert status == 403 and reply["message"] == "You can only save to your own journal."
    with pytest.raises(Exception, match="only save to your own journal"):
        say(eve, "ben", "Teal", "forged")
    assert "forged" not in texts(journal_of(hub, FACILITATOR))


def test_a_token_without_the_journal_scope_is_turned_away(hub):
    narrow = hub.token_for("gus", scopes=["read:users:name!user=gus"])
    status, reply = http("GET", f"{hub.journal_url}api/entries", narrow)
    assert status == 403 and "Log out of the hub and in again" in reply["message"]
    status, reply = http("GET", f"{hub.journal_url}api/entries", "not-a-token")
    assert status == 403


def test_the_facilitator_reads_counts_and_shared_words_never_private_words(hub):
    hal = journal_of(hub, "hal")
    profile(hal, "hal", "Gold")
    say(hal, "hal", "Gold", "hal private words")
    say(hal, "hal", "Gold", "hal shared words", shared=True, exercise="notice-flavour-reflection")
    hal.append(participant="hal", team="Gold", kind="exercise", exercise="welcome-mindset-before",
               answer={"value": 4, "measure": "mindset", "moment": "before"})

    seen = journal_of(hub, FACILITATOR).entries("hal")
    assert len(seen) == 4  # every entry counts toward progress
    answers = [e["answer"] for e in seen]
    assert {"team": "Gold"} in answers and {"text": "hal shared words"} in answers
    assert {"value": 4, "measure": "mindset", "moment": "before"} in answers
    assert all(set(a) <= COUNTABLE_FIELDS for e, a in zip(seen, answers) if not e["shared"])
    assert "hal private words" not in str(seen)


def test_whoami_names_the_caller_and_their_team(hub):
    ivy = journal_of(hub, "ivy")
    profile(ivy, "ivy", "Sky")
    assert http("GET", f"{hub.journal_url}api/whoami", hub.token_for("ivy"))[1] == {
        "name": "ivy", "facilitator": False, "team": "Sky"}
    assert http("GET", f"{hub.journal_url}api/whoami", hub.token_for(FACILITATOR))[1]["facilitator"] is True
