"""Each exercise kind as a participant uses it: fill it in, press Save, find it in the journal."""

import pytest

from extramile import content
from extramile.answers import AnswerBook
from extramile.exceptions import AnswerChanged
from extramile.identity import Participant
from extramile.journal import Journal
from extramile.widgets import card_for
from extramile.widgets.card import MAX_TEXT, NOT_SIGNED_IN

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
        card.choice.value = 1
        return {"choice": 1, "option": card.exercise.options[1].text}
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


KINDS = ["reflection", "reframe", "scenario", "scale", "habits", "commitment"]


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
    assert reopened.read() == expected
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
        card.choice.value = 0
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


@pytest.mark.parametrize("kind", ["reflection", "reframe"])
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


def test_scenario_choice_shows_feedback_that_explains(journal):
    card = build("scenario", journal)
    card.choice.value = 2
    assert card.exercise.options[2].feedback[:40].replace("'", "&#x27;").replace('"', "&quot;") in card.feedback.value


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
