"""A small crowd speaking the app's own protocol (benchmarks/crowd.py), as `make bench` runs a large one.

Five participants open the welcome page, sign in, open the first lesson and
save answers, with no browser: widget messages over the real websocket. One
reloads on the way, one leaves early. Every "Saved" they were shown must be
in their own journal, and nothing of theirs in anyone else's. The crowd's own
check of the journals is tested too: it must catch an answer that went
missing or landed in the wrong file.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks import crowd
from tests.conftest import start_app

TIMEOUT = 120  # a ceiling for a step on a busy machine, not a measurement


@pytest.fixture(scope="module")
def five(tmp_path_factory):
    """Five participants' journeys against a server of their own, then stopped; their outcomes and journal folder."""
    journal = tmp_path_factory.mktemp("crowd-journal")
    server = start_app(journal)
    plans = [crowd.Plan(number, arrives=0.2 * number, saves=5, think=(0, 0), reading=(0, 0)) for number in range(5)]
    plans[1].reload_after = 2
    plans[3].leave_after = 3

    async def journeys() -> list[crowd.Outcome]:
        outcomes = await crowd.run(server.base_url, plans, TIMEOUT)
        await crowd.leave_all(outcomes)
        return outcomes
    try:  # a thread of its own: the browser tests' Playwright may already run an event loop in this one
        with ThreadPoolExecutor(1) as thread:
            outcomes = thread.submit(asyncio.run, journeys()).result()
    finally:
        server.stop()
    return outcomes, journal


def test_every_participant_signs_in_and_every_save_is_confirmed(five):
    outcomes, _journal = five
    assert [o.failure for o in outcomes] == [None] * 5
    assert all(o.signed_in for o in outcomes)
    assert [len(o.confirmed) for o in outcomes] == [5, 5, 5, 3, 5]


def test_every_confirmed_answer_is_in_its_owners_journal_and_nowhere_else(five):
    outcomes, journal = five
    check = crowd.check_journals(journal, outcomes)
    assert (check.missing, check.misplaced, check.damaged) == ([], [], [])
    ana = outcomes[0]
    with open(journal / crowd_file(ana), encoding="utf-8") as own:
        saved = [json.loads(line) for line in own]
    assert {e["exercise"] for e in saved if e["kind"] == "exercise"} == {c.exercise for c in ana.confirmed}


def test_a_reload_keeps_the_participant_signed_in_with_their_answers(five):
    outcomes, _journal = five
    assert outcomes[1].reload_kept is True


def test_the_check_counts_an_answer_missing_from_its_owners_journal(five, tmp_path):
    outcomes, journal = five
    copy = copy_of(journal, tmp_path)
    owner = outcomes[0]
    lines = (copy / crowd_file(owner)).read_text(encoding="utf-8").splitlines()
    last_exercise = max(i for i, line in enumerate(lines) if '"kind": "exercise"' in line)
    (copy / crowd_file(owner)).write_text("\n".join(lines[:last_exercise] + lines[last_exercise + 1:]) + "\n",
                                          encoding="utf-8")
    assert len(crowd.check_journals(copy, outcomes).missing) == 1


def test_the_check_counts_an_answer_found_in_someone_elses_journal(five, tmp_path):
    outcomes, journal = five
    copy = copy_of(journal, tmp_path)
    leaver, other = outcomes[3], outcomes[4]
    stray = next(line for line in (copy / crowd_file(other)).read_text(encoding="utf-8").splitlines()
                 if f'"exercise": "{other.confirmed[-1].exercise}"' in line)
    with open(copy / crowd_file(leaver), "a", encoding="utf-8") as wrong:
        wrong.write(stray + "\n")
    assert len(crowd.check_journals(copy, outcomes).misplaced) == 1


def test_the_check_counts_a_line_that_is_not_an_entry(five, tmp_path):
    outcomes, journal = five
    copy = copy_of(journal, tmp_path)
    with open(copy / crowd_file(outcomes[2]), "ab") as torn:
        torn.write(b"\xc1\x7f not an entry\n")
    assert len(crowd.check_journals(copy, outcomes).damaged) == 1


def crowd_file(outcome: crowd.Outcome) -> str:
    from extramile.names import file_stem_for

    return f"{file_stem_for(outcome.plan.name)}.jsonl"


def copy_of(journal, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in journal.glob("*.jsonl"):
        (copy / path.name).write_bytes(path.read_bytes())
    return copy
