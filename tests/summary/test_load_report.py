"""What the report says under its figures about what reading the journals left out."""

from collections import Counter
from pathlib import Path

from extramile.store.journal import Problem
from extramile.summary.load_report import LoadReport


def test_a_clean_read_says_what_it_found_in_the_singular_where_it_is_one():
    found = LoadReport("journal/", files=1, entries=1, participants=1)
    assert found.summary() == "1 participant, 1 entry in 1 journal file"
    assert found.problems() == []


def test_each_kind_of_problem_is_one_sentence_naming_at_most_three():
    found = LoadReport("journal/", files=2, entries=40, participants=2,
                       skipped=[Problem(Path("a.jsonl"), 3, "not valid JSON"),
                                Problem(Path("b.jsonl"), 9, "cut short")],
                       unknown_exercises=Counter({"old-1": 3, "old-2": 2, "old-3": 1, "old-4": 1}),
                       unknown_kinds=Counter({"poll": 1}))
    assert found.problems() == ["2 lines skipped in 2 files",
                                "7 entries for unknown exercises (old-1, old-2, old-3, ...)",
                                "1 entry of an unknown kind (poll)"]
    assert found.summary().startswith("2 participants, 40 entries in 2 journal files; 2 lines skipped")
