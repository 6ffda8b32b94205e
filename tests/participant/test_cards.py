"""Each exercise kind as a participant uses it: fill it in, press Save, find it in the journal."""

import pytest

from extramile import content
from extramile.content import workshop_choices
from extramile.exceptions import AnswerChanged
from extramile.identity.identity import Participant
from extramile.participant.answers import AnswerBook
from extramile.participant.cards import card_for
from extramile.participant.cards.card import MAX_TEXT, NOT_SIGNED_IN
from extramile.store.journal import Journal
from extramile.weekly.weekly_page import WeeklyJournalPage
from tests.conftest import Shown

ZOE = Participant("Zoë", "Blue")


def first_of_kind(kind):
    for notebook in content.load_all().values():
        for exercise in notebook.exercises:
            if exercise.kind == kind:
                return notebook, exercise
    raise AssertionError(f"no {kind} exercise shipped")


def build(kind, journal, participant=ZOE):
    notebook, exercise = first_of_kind(kind)
    return card_for(exercise, AnswerBook(journal, participant), notebook.lesson)


def fill(card):
    """Fill the card as a participant would, returning the answer expected in the journal."""
    kind = card.exercise.kind
    if kind == "reflection":
        card.text.value = "I asked which flavour 🍓 — שלום <script>alert(1)</script>"
        return {"text": card.text.value}
    if kind == "reframe":
        card.opportunity.value, card.help.value = "Win them back", "Call today"
        return {"opportunity": "Win them back", "help": "Call today"}
    if kind == "scenario":
        card.choice.value = card.exercise.options[1].id
        return {"option": card.exercise.options[1].id, "first": card.exercise.options[1].id}
    if kind == "roleplay":
        card.role.value = "customer"
        card.text.value = "She used my name and said what she could do first."
        return {"text": card.text.value, "role": "customer"}
    if kind == "scale":
        card.value.value = 8
        return {"value": 8, "measure": card.exercise.measure, "moment": card.exercise.moment}
    if kind == "habits":
        first, second = list(card.ratings)[:2]
        card.ratings[first].value, card.ratings[second].value = "often", "never"
        return {"ratings": {first: "often", second: "never"}}
    if kind == "commitment":
        card.idea.value = card.exercise.ideas[-1]
        card.action.value = "Call Mrs Patel back before noon"
        return {"idea": card.exercise.ideas[-1], "action": "Call Mrs Patel back before noon",
                "check_by": card.check_by.value.isoformat()}
    raise AssertionError(kind)


KINDS = ["reflection", "reframe", "roleplay", "scenario", "scale", "habits", "commitment"]


@pytest.mark.parametrize("kind", KINDS)
def test_save_puts_the_answer_on_disk_and_confirms_it(journal, kind):
    card = build(kind, journal)
    expected = fill(card)
    card.save_button.click()
    assert "Saved" in card.status.value
    [entry] = [e for e in Journal(journal.directory).entries("Zoë") if e["exercise"] == card.exercise.id]
    assert entry["answer"] == expected
    assert entry["team"] == "Blue" and entry["shared"] is False
    assert entry["kind"] == ("commitment" if kind == "commitment" else "exercise")


@pytest.mark.parametrize("kind", KINDS)
def test_reload_shows_the_saved_answer(journal, kind):
    card = build(kind, journal)
    expected = fill(card)
    card.save_button.click()
    reopened = build(kind, Journal(journal.directory))
    assert reopened.read().journal() == expected
    assert "Saved" in reopened.status.value


@pytest.mark.parametrize("kind", KINDS)
def test_changing_an_answer_saves_a_new_version(journal, kind):
    card = build(kind, journal)
    fill(card)
    card.save_button.click()
    first = journal.entries("Zoë")[-1]
    card.save_button.click()
    assert "nothing changed" in card.status.value
    if kind == "scale":
        card.value.value = 3
    elif kind == "scenario":
        card.choice.value = card.exercise.options[0].id
    elif kind == "habits":
        card.ratings[list(card.ratings)[0]].value = "always"
    elif kind == "commitment":
        card.action.value += " and Mr Obi"
    elif kind == "reframe":
        card.help.value += " and write"
    else:
        card.text.value += " (edited)"
    card.save_button.click()
    current = [e for e in journal.entries("Zoë") if e["exercise"] == card.exercise.id]
    assert len(current) == 1 and current[0]["replaces"] == first["id"]
    assert len(journal.path_for("Zoë").read_text().splitlines()) == 2


def test_share_tick_marks_the_entry_shared(journal):
    card = build("reflection", journal)
    fill(card)
    card.share.value = True
    card.save_button.click()
    assert "shared with your team" in card.status.value
    assert journal.entries("Zoë")[-1]["shared"] is True


@pytest.mark.parametrize("kind", ["reflection", "reframe", "roleplay"])
def test_empty_answer_is_refused_with_a_message_and_nothing_saved(journal, kind):
    card = build(kind, journal)
    card.save_button.click()
    assert "Please write something" in card.status.value
    assert journal.entries("Zoë") == []


def test_huge_answer_is_refused_and_kept_in_the_form(journal):
    card = build("reflection", journal)
    card.text.value = "x" * (MAX_TEXT + 1)
    card.save_button.click()
    assert "keep it under" in card.status.value
    assert len(card.text.value) == MAX_TEXT + 1 and journal.entries("Zoë") == []


def test_a_scenarios_feedback_opens_only_once_the_choice_is_saved(journal):
    card = build("scenario", journal)
    feedback = {option.feedback for option in card.exercise.options}
    for option in card.exercise.options:  # clicking through every response shows none of the feedback
        card.choice.value = option.id
        assert not [text for text in feedback if text in Shown(card.feedback.value).text]
        assert "press Save" in Shown(card.feedback.value).text
    card.choice.value = card.exercise.options[2].id
    card.save_button.click()
    assert card.exercise.options[2].feedback in Shown(card.feedback.value).text


def test_unsigned_visitor_is_asked_to_sign_in_and_keeps_the_text(journal):
    card = build("reflection", journal, participant=None)
    card.text.value = "typed before signing in"
    card.save_button.click()
    assert NOT_SIGNED_IN.split(".")[0] in card.status.value
    assert card.text.value == "typed before signing in"
    assert not journal.directory.exists()


def test_a_failed_save_shows_the_error_and_keeps_the_text(journal):
    journal.directory.mkdir(parents=True)
    journal.path_for("Zoë").symlink_to("/dev/full")
    card = build("reflection", journal)
    card.text.value = "my precious story"
    card.save_button.click()
    assert "full" in card.status.value and "em-error" in card.status.value
    assert card.text.value == "my precious story"


def test_markup_in_an_answer_is_shown_as_text_after_reload(journal):
    card = build("reflection", journal)
    card.text.value = '<img src=x onerror="alert(1)">'
    card.save_button.click()
    reopened = build("reflection", Journal(journal.directory))
    assert reopened.text.value == '<img src=x onerror="alert(1)">'  # a Textarea value is never markup


def test_a_save_after_another_tabs_save_says_so_and_keeps_the_text(journal):
    tab_one, tab_two = build("reflection", journal), build("reflection", Journal(journal.directory))
    tab_one.text.value = "from tab one"
    tab_one.save_button.click()
    tab_two.text.value = "from tab two"
    tab_two.save_button.click()
    assert "This answer was changed in another tab: reload to see it" in tab_two.status.value
    assert tab_two.text.value == "from tab two"
    [current] = journal.entries("Zoë")
    assert current["answer"] == {"text": "from tab one"}
    tab_two.save_button.click()  # seen and meant: the second press keeps tab two's version
    [current] = journal.entries("Zoë")
    assert current["answer"] == {"text": "from tab two"}
    assert len(journal.path_for("Zoë").read_text().splitlines()) == 2


def test_two_tabs_editing_a_restored_answer_never_leave_two_current_versions(journal):
    first = build("reflection", journal)
    first.text.value = "first version"
    first.save_button.click()
    tab_one, tab_two = build("reflection", Journal(journal.directory)), build("reflection", Journal(journal.directory))
    tab_one.text.value, tab_two.text.value = "edited in tab one", "edited in tab two"
    tab_one.save_button.click()
    tab_two.save_button.click()
    assert "changed in another tab" in tab_two.status.value
    assert [e["answer"]["text"] for e in journal.entries("Zoë")] == ["edited in tab one"]


def test_a_save_racing_another_under_the_lock_is_refused(journal):
    book = AnswerBook(journal, ZOE)
    sneaky = AnswerBook(Journal(journal.directory), ZOE)
    real_append = journal.append

    def append_after_another_tab(**entry):
        sneaky.save(kind="exercise", exercise="x", answer={"text": "other tab"})  # lands between read and write
        return real_append(**entry)

    journal.append = append_after_another_tab
    with pytest.raises(AnswerChanged):
        book.save(kind="exercise", exercise="x", answer={"text": "this tab"}, loaded=None)
    journal.append = real_append
    assert [e["answer"]["text"] for e in journal.entries("Zoë")] == ["other tab"]


def test_control_characters_are_taken_out_of_text_and_the_confirmation_says_so(journal):
    card = build("reflection", journal)
    card.text.value = "Tab\there\nnew line\x00 NUL\x1b[31m ESC"
    card.save_button.click()
    assert "Saved" in card.status.value and "2 control characters taken out" in card.status.value
    assert journal.entries("Zoë")[-1]["answer"] == {"text": "Tab\there\nnew line NUL[31m ESC"}
    assert card.text.value == "Tab\there\nnew line NUL[31m ESC"


# --- scenarios: no guessable order ----------------------------------------------------------------

PEOPLE = ("Zoë", "Zoe", "Amara", "Ben", "Chloé", "Dmitri", "Elif", "Farah")


def every_scenario():
    return [(notebook, exercise) for notebook in content.load_all().values()
            for exercise in notebook.exercises if exercise.kind == "scenario"]


def shown_ids(card):
    return [value for _label, value in card.choice.options]


def scenario_card(exercise, journal, name, lesson="notice"):
    participant = Participant(name, "Blue") if name else None
    return card_for(exercise, AnswerBook(journal, participant), lesson)


@pytest.mark.parametrize("exercise", [e for _, e in every_scenario()], ids=lambda e: e.id)
def test_each_participant_sees_the_options_in_an_order_of_their_own(journal, exercise):
    orders = {name: shown_ids(scenario_card(exercise, journal, name)) for name in PEOPLE}
    assert len({tuple(order) for order in orders.values()}) > 1
    assert any(order != [o.id for o in exercise.options] for order in orders.values())
    for name, order in orders.items():
        assert sorted(order) == sorted(o.id for o in exercise.options)
        assert shown_ids(scenario_card(exercise, Journal(journal.directory), name)) == order, name


def test_the_first_option_in_the_content_is_not_always_shown_first(journal):
    firsts = [shown_ids(scenario_card(exercise, journal, name))[0] == exercise.options[0].id
              for _, exercise in every_scenario() for name in PEOPLE]
    assert 0 < sum(firsts) < len(firsts)


def test_the_journal_stores_the_chosen_option_id_never_its_position(journal):
    _, exercise = every_scenario()[0]
    card = scenario_card(exercise, journal, "Zoë")
    shown = shown_ids(card)
    picked = next(o for i, o in enumerate(exercise.options) if shown.index(o.id) != i)
    card.choice.value = picked.id
    card.save_button.click()
    [entry] = journal.entries("Zoë")
    assert entry["answer"] == {"option": picked.id, "first": picked.id}
    reopened = scenario_card(exercise, Journal(journal.directory), "Zoë")
    assert reopened.choice.value == picked.id and picked.feedback[:30] in reopened.feedback.value


def test_signing_in_puts_the_options_in_the_participants_order_with_their_answer(journal):
    _, exercise = every_scenario()[0]
    earlier = scenario_card(exercise, journal, "Zoë")
    earlier.choice.value = exercise.options[3].id
    earlier.save_button.click()
    card = scenario_card(exercise, journal, None)
    signed_out = shown_ids(card)
    assert signed_out == shown_ids(scenario_card(exercise, journal, None))
    card.book.participant = ZOE
    card.book.refresh()
    card.restore()
    assert shown_ids(card) == shown_ids(earlier) and card.choice.value == exercise.options[3].id
    card.book.participant = None
    card.restore()
    assert shown_ids(card) == signed_out and card.choice.value is None


@pytest.mark.parametrize("old_answer", [{"choice": 2, "option": "a response worded as in the first edition"},
                                        {"choice": 2}], ids=["index and old text", "index only"])
def test_an_answer_saved_before_option_ids_is_still_shown(journal, old_answer):
    _, exercise = every_scenario()[0]
    journal.append(participant="Zoë", team="Blue", kind="exercise", lesson="notice", exercise=exercise.id,
                   answer=old_answer)
    card = scenario_card(exercise, journal, "Zoë")
    assert card.choice.value == exercise.options[2].id
    assert "Saved" in card.status.value


# --- reframes: one way to see it, after thinking first --------------------------------------------

def test_one_way_to_see_it_opens_only_after_the_reframe_is_saved(journal):
    card = build("reframe", journal)
    assert card.model_button.disabled and card.model_hint.layout.display != "none"
    card.model_button.click()
    assert not card.model_shown and card.exercise.model_answer[:30] not in card.model.value
    fill(card)
    card.save_button.click()
    assert not card.model_button.disabled and card.model_hint.layout.display == "none"
    card.model_button.click()
    assert card.model_shown and card.exercise.model_answer in Shown(card.model.value).text
    card.model_button.click()
    assert not card.model_shown


def test_a_reframe_that_fails_to_save_keeps_the_model_answer_closed(journal):
    card = build("reframe", journal)
    card.opportunity.value = "Only the first question"
    card.save_button.click()
    assert "Please write something" in card.status.value and card.model_button.disabled


def test_one_way_to_see_it_is_open_after_a_reload_and_closed_for_the_next_person(journal):
    card = build("reframe", journal)
    fill(card)
    card.save_button.click()
    reopened = build("reframe", Journal(journal.directory))
    assert not reopened.model_button.disabled
    reopened.model_button.click()
    reopened.book.participant = Participant("Ben", "Blue")
    reopened.book.refresh()
    reopened.restore()
    assert reopened.model_button.disabled and not reopened.model_shown


def test_every_reframe_has_a_model_answer_worth_reading():
    reframes = [e for nb in content.load_all().values() for e in nb.exercises if e.kind == "reframe"]
    assert reframes and all(len(e.model_answer.split()) >= 30 for e in reframes)


# --- role-play: each partner reads only their own card --------------------------------------------

def test_a_role_play_card_shows_only_the_role_picked(journal):
    card = build("roleplay", journal)
    customer, staff = card.exercise.customer, card.exercise.staff
    assert card.card.value == ""
    card.role.value = "customer"
    assert customer.wants in Shown(card.card.value).text and staff.knows not in Shown(card.card.value).text
    card.role.value = "staff"
    assert staff.knows in Shown(card.card.value).text and customer.wants not in Shown(card.card.value).text


def test_a_role_play_reflection_is_saved_to_the_journal_and_can_be_shared(journal):
    card = build("roleplay", journal)
    card.text.value = "He sighed first; after that nothing felt generous."
    card.share.value = True
    card.save_button.click()
    [entry] = journal.entries("Zoë")
    assert entry["answer"] == {"text": "He sighed first; after that nothing felt generous."}
    assert entry["shared"] is True and entry["exercise"] == card.exercise.id


def test_a_trio_has_an_observer_card_with_three_things_to_watch(journal):
    card = build("roleplay", journal)
    card.role.value = "observer"
    shown = Shown(card.card.value).text
    assert all(thing in shown for thing in card.exercise.observer) and len(card.exercise.observer) == 3
    assert card.exercise.customer.wants not in shown and card.exercise.staff.knows not in shown


def test_the_card_gives_time_to_read_the_new_card_after_the_swap(journal):
    card = build("roleplay", journal)
    said = " ".join(Shown(child.value).text for child in card.children if hasattr(child, "value")
                    and isinstance(child.value, str))
    assert card.exercise.read_minutes == 1
    assert "A minute to read your card" in said and f"{card.exercise.minutes} minutes a round" in said
    assert "At the swap, take another minute to read your new card" in said


def abusive_roleplay():
    [found] = [e for nb in content.load_all().values() for e in nb.exercises if e.kind == "roleplay" and e.variant]
    return found


def test_the_abusive_variant_shows_each_player_only_their_side_and_where_the_extra_mile_stops(journal):
    exercise = abusive_roleplay()
    card = card_for(exercise, AnswerBook(journal, ZOE), "inconvenience")
    card.role.value = "staff"
    staff = Shown(card.card.value).text
    assert "The extra mile stops at abuse" in staff and exercise.variant.customer.split(":")[0] not in staff
    card.role.value = "customer"
    customer = Shown(card.card.value).text
    assert "insult" in customer and "The extra mile stops" not in customer


def test_the_role_comes_back_with_the_reflection_after_a_reload(journal):
    card = build("roleplay", journal)
    card.role.value = "staff"
    card.text.value = "I said what I could do before what I couldn't."
    card.save_button.click()
    again = build("roleplay", journal)
    assert again.role.value == "staff" and again.exercise.staff.knows in Shown(again.card.value).text
    assert build("roleplay", journal, Participant("Ann", "Blue")).role.value is None


# --- optional exercises are marked where a participant sees them ----------------------------------

def test_an_optional_exercise_says_so_on_its_card_and_no_other_does(journal):
    book = AnswerBook(journal, ZOE)
    exercises = [(nb, e) for nb in content.load_all().values() for e in nb.exercises]
    assert any(e.optional for _, e in exercises) and not all(e.optional for _, e in exercises)
    for notebook, exercise in exercises:
        title = Shown(card_for(exercise, book, notebook.lesson).children[0].value).text
        assert (content.OPTIONAL in title) == exercise.optional, exercise.id


# --- a commitment's date ------------------------------------------------------------------------

def test_a_commitment_due_in_the_past_is_refused_and_kept_in_the_form(journal):
    from datetime import date, timedelta

    card = build("commitment", journal)
    card.action.value = "Call Mrs Patel back"
    card.check_by.value = date.today() - timedelta(days=1)
    card.save_button.click()
    assert "has already passed" in card.status.value and journal.entries("Zoë") == []
    assert card.action.value == "Call Mrs Patel back"
    card.check_by.value = date.today()
    card.save_button.click()
    assert journal.entries("Zoë")[-1]["answer"]["check_by"] == date.today().isoformat()


# --- habits: the facilitator's swaps reach every page ---------------------------------------------

SWAP = {"call-customers": "offer-help-to-a-colleague"}
SWAPPED = "offer-help-to-a-colleague"


@pytest.fixture
def swapped_habits(workshop_yaml):
    workshop_yaml("habit_swaps:\n  call-customers: offer-help-to-a-colleague\n")
    return next(h for h in workshop_choices.habit_list().alternatives if h.id == SWAPPED)


def test_a_swapped_habit_is_rated_in_the_lesson_in_the_place_of_the_one_it_replaces(journal, swapped_habits):
    card = build("habits", journal)
    assert list(card.ratings)[0] == swapped_habits.id and "call-customers" not in card.ratings
    assert swapped_habits.label in Shown(card.rows.children[0].children[0].value).text
    card.ratings[swapped_habits.id].value = "often"
    card.save_button.click()
    assert journal.entries("Zoë")[-1]["answer"] == {"ratings": {swapped_habits.id: "often"}}


def test_a_swapped_habit_is_tracked_every_week_and_offered_as_a_commitment(journal, swapped_habits):
    page = WeeklyJournalPage(AnswerBook(journal, ZOE), journal)
    assert list(page.habits.inputs)[0] == swapped_habits.id
    page.habits.inputs[swapped_habits.id].value = 3
    page.habits.save_button.click()
    assert journal.entries("Zoë")[-1]["answer"]["values"][swapped_habits.id] == 3
    commitment = build("commitment", journal)
    assert commitment.idea.options[0] == swapped_habits.label


NOT_SELLING = "teams:\n  Support desk:\n    sells: false\n"


def test_a_team_that_does_not_sell_sees_no_sales_habit_anywhere(journal, workshop_yaml):
    workshop_yaml(NOT_SELLING)
    sales = {h.id: h.label for h in workshop_choices.habit_list().habits if h.sales}
    support = Participant("Sam", "support DESK")  # however the team is typed at sign-in
    lesson = build("habits", journal, support)
    weekly = WeeklyJournalPage(AnswerBook(journal, support), journal)
    ideas = build("commitment", journal, support).idea.options
    assert sales and not set(sales) & (set(lesson.ratings) | set(weekly.habits.inputs))
    assert not set(sales.values()) & set(ideas)
    assert len(lesson.ratings) == len(weekly.habits.inputs) == 7
    blue = build("habits", journal, ZOE)
    assert set(sales) <= set(blue.ratings), "a team that sells keeps the article's habits"


def test_signing_in_as_someone_of_another_team_lays_out_that_teams_habits(journal, workshop_yaml):
    workshop_yaml(NOT_SELLING)
    book = AnswerBook(journal, ZOE)
    card = build("habits", journal)
    card.book = book
    book.participant = Participant("Sam", "Support desk")
    card.restore()
    assert "call-customers" not in card.ratings and "close-the-loop" in card.ratings
