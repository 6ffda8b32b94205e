"""The journal service's privacy rules, as plain functions: what each caller may read."""

from extramile.hub.journal_access import COUNTABLE_FIELDS, Caller, current_team, visible_entries, without_private_words
from extramile.store.journal import new_entry


def entry(who, team, answer, shared=False, kind="exercise"):
    return new_entry(participant=who, team=team, kind=kind, exercise="x", answer=answer, shared=shared)


def journals():
    return {
        "ana": [entry("ana", "Blue", {"team": "Blue"}, kind="profile"), entry("ana", "Blue", {"text": "ana own"})],
        "ben": [entry("ben", "Blue", {"text": "ben private"}),
                entry("ben", "Blue", {"text": "ben shared"}, shared=True)],
        "cat": [entry("cat", "Red", {"text": "cat shared"}, shared=True)],
        "dan": [entry("dan", "Red", {"text": "dan shared with Red"}, shared=True),
                entry("dan", "Blue", {"team": "Blue"}, kind="profile")],
    }


def words(seen):
    return sorted(e["answer"].get("text") for entries in seen.values() for e in entries if e["answer"].get("text"))


def test_a_participant_sees_their_own_and_what_their_team_shared():
    assert words(visible_entries(Caller("ana"), journals())) == ["ana own", "ben shared"]


def test_a_story_stays_with_the_team_it_was_shared_with():
    """dan moved to Blue: what he shared with Red stays with Red."""
    assert "dan" not in visible_entries(Caller("ana"), journals())
    assert words(visible_entries(Caller("cat"), journals())) == ["cat shared", "dan shared with Red"]


def test_someone_without_a_journal_or_team_sees_nothing_of_others():
    assert visible_entries(Caller("newcomer"), journals()) == {}


def test_a_facilitator_counts_private_answers_without_their_words():
    seen = visible_entries(Caller("fran", facilitator=True), journals())
    assert sum(len(v) for v in seen.values()) == 7
    assert words(seen) == ["ben shared", "cat shared", "dan shared with Red"]


def test_a_private_answer_keeps_only_countable_fields():
    private = entry("ben", "Blue", {"value": 4, "measure": "mindset", "text": "secret", "new_field": "secret"})
    assert without_private_words(private)["answer"] == {"value": 4, "measure": "mindset"}
    assert without_private_words({**private, "answer": "a bare string"})["answer"] is None
    assert set(without_private_words(private)["answer"]) <= COUNTABLE_FIELDS


def test_the_current_team_is_the_newest_profiles():
    assert current_team(journals()["dan"]) == "Blue"
    assert current_team(journals()["ben"]) == "Blue"
    assert current_team([]) is None


def test_blue_and_blue_are_one_team_however_each_typed_it():
    spelled_apart = {"ana": [entry("ana", "blue ", {"team": "blue "}, kind="profile")],
                     "ben": [entry("ben", "Blue", {"text": "ben shared"}, shared=True)]}
    assert words(visible_entries(Caller("ana"), spelled_apart)) == ["ben shared"]
