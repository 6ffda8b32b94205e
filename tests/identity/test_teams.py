"""A person's team now: one answer, whether sign-in, the journal service or the summary asks."""

import pytest

from extramile.hub.journal_access import Caller, visible_entries
from extramile.identity.identity import Accounts
from extramile.identity.teams import current_team
from extramile.store.journal import Journal
from extramile.summary.journal_frame import NO_TEAM, load_frame
from tests.participant.test_cards import first_of_kind


def entry(kind, team, answer=None):
    return {"kind": kind, "team": team, "answer": answer}


@pytest.mark.parametrize(("entries", "team"), [
    ([], None),
    ([entry("profile", "Blue", {"team": "Blue"}), entry("exercise", "Blue")], "Blue"),
    ([entry("profile", "Blue", {"team": "Blue"}), entry("profile", "Green", {"team": "Green"}),
      entry("exercise", "Blue")], "Green"),  # a move: the newest profile, whatever an entry says after
    ([entry("profile", "Blue", {"team": " Red "})], "Red"),  # the profile's answer names the team moved to
    ([entry("profile", "Blue", {"team": "  "})], "Blue"),
    ([entry("exercise", "Blue"), entry("weekly", "Green")], "Green"),  # before profiles: the newest entry's
    ([entry("exercise", None), entry("exercise", "")], None),
    ([entry("profile", "Blue", {"team": "Blue"}), entry("exercise", "Green"), entry("profile", None, {})],
     "Green"),  # the newest profile names no team: the newest entry's, not an older profile's
    ([entry("exercise", "Green"), entry("exercise", "  "), entry("exercise", 7)], "Green"),
])
def test_the_team_now_is_the_newest_profiles(entries, team):
    assert current_team(entries) == team
    assert current_team(iter(entries)) == team  # any iterable, read newest first all the same


def test_sign_in_the_service_and_the_summary_agree_on_the_team(journal):
    """They once worked it out three ways; a journal kept before profiles gave three answers."""
    _, reflection = first_of_kind("reflection")
    journal.append(participant="Zoë", team="Blue", kind="exercise", exercise=reflection.id, answer={"text": "x"})
    journal.append(participant="Zoë", team="Green", kind="exercise", exercise=reflection.id, answer={"text": "y"},
                   shared=True)
    journal.append(participant="Ann", team="Green", kind="profile", answer={"team": "Green"})
    assert Accounts(journal).team_of("Zoë") == "Green"
    journals = {name: journal.entries(name) for name in ("Zoë", "Ann")}
    assert "Zoë" in visible_entries(Caller("Ann"), journals)  # Ann sees Zoë's shared answer: one team
    frame, _ = load_frame(Journal(journal.directory))
    assert set(frame.loc[frame["participant"] == "Zoë", "team"]) == {"Green"} != {NO_TEAM}
