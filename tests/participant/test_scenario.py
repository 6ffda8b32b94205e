"""A scenario keeps the participant's first instinct: the choice saved before any feedback, whatever comes after.

The room's bars and the report count first instincts; a second vote opened by
the facilitator keeps the choice saved in it beside the first; a Reset starts
a new round, so a rehearsal's first choice is not carried into the day.
"""

from extramile import content
from extramile.identity.identity import Participant
from extramile.participant.answers import AnswerBook
from extramile.participant.cards import card_for
from extramile.participant.cards.scenario import SECOND_VOTE, SECOND_VOTE_SAVED
from extramile.room.room_state import RoomState
from extramile.store.journal import Journal
from tests.conftest import Shown

SCENARIO = "notice-price-or-service"
ZOE = Participant("Zoë", "Blue")


def card(journal: Journal, room: RoomState | None = None):
    _owner, exercise = content.exercise(SCENARIO)
    return card_for(exercise, AnswerBook(journal, ZOE), "notice", room)


def choose(scenario_card, index: int) -> dict:
    scenario_card.choice.value = scenario_card.exercise.options[index].id
    scenario_card.save_button.click()
    return journal_answer(scenario_card.book.journal)


def journal_answer(journal: Journal) -> dict:
    [entry] = [e for e in journal.entries("Zoë") if e["exercise"] == SCENARIO]
    return entry["answer"]


def test_the_first_saved_choice_stays_the_first_instinct_after_the_feedback_changes_a_mind(journal):
    scenario = card(journal)
    options = scenario.exercise.options
    assert choose(scenario, 0) == {"option": options[0].id, "first": options[0].id}
    assert choose(scenario, 1) == {"option": options[1].id, "first": options[0].id}
    reopened = card(Journal(journal.directory))  # another tab, a reload: still the first instinct
    assert choose(reopened, 2) == {"option": options[2].id, "first": options[0].id}
    assert options[2].feedback in Shown(reopened.feedback.value).text


def test_an_answer_from_before_first_instincts_keeps_its_choice_as_the_first(journal):
    _owner, exercise = content.exercise(SCENARIO)
    journal.append(participant="Zoë", team="Blue", kind="exercise", lesson="notice", exercise=SCENARIO,
                   answer={"option": exercise.options[3].id})
    assert choose(card(journal), 1) == {"option": exercise.options[1].id, "first": exercise.options[3].id}


def test_a_second_vote_keeps_both_choices_and_the_card_says_it_is_open(journal):
    room = RoomState(journal.directory)
    scenario = card(journal, room)
    options = scenario.exercise.options
    choose(scenario, 0)
    assert SECOND_VOTE not in Shown(scenario.vote.value).text
    room.open_second_vote(SCENARIO, "2000-01-01T00:00:00.000Z")
    scenario.follow_room()  # the page follows the room (app.py calls this when the room changes)
    assert SECOND_VOTE in Shown(scenario.vote.value).text
    assert choose(scenario, 2) == {"option": options[2].id, "first": options[0].id, "second": options[2].id}
    assert SECOND_VOTE_SAVED in Shown(scenario.vote.value).text


def test_after_a_reset_a_rehearsals_choice_is_not_carried_into_the_next_round(journal):
    room = RoomState(journal.directory)
    scenario = card(journal, room)
    options = scenario.exercise.options
    choose(scenario, 0)
    room.open_second_vote(SCENARIO, "2000-01-01T00:00:00.000Z")
    choose(scenario, 1)
    room.reset(SCENARIO, "2999-01-01T00:00:00.000Z")  # every answer so far is before it
    scenario.follow_room()
    assert SECOND_VOTE not in Shown(scenario.vote.value).text
    assert choose(scenario, 3) == {"option": options[3].id, "first": options[3].id}
