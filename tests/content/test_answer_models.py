"""One answer model per exercise kind: every card, the journal line, the summary's frame and the export agree on it."""

import importlib
import json
import pkgutil
import typing
from datetime import date

import pytest

import extramile.participant.cards
from extramile import content
from extramile.content import content_files, weeks
from extramile.content.answer_models import (
    COUNTABLE_FIELDS,
    EVERY_ANSWER,
    LESSON_ANSWERS,
    WEEKLY_ANSWERS,
    Answer,
    Figure,
    ScenarioAnswer,
    Words,
)
from extramile.hub.journal_access import without_private_words
from extramile.participant.answers import AnswerBook
from extramile.participant.cards import card_for
from extramile.participant.cards.card import Card
from extramile.store.journal import Journal
from extramile.summary.journal_frame import WEEKLY_ITEMS, load_frame
from extramile.weekly.export import outline, to_markdown
from extramile.weekly.weekly_page import WeeklyJournalPage
from tests.participant.test_cards import ZOE, build, fill, first_of_kind

TODAY = date(2026, 11, 26)


def _card_classes():
    for module in pkgutil.iter_modules(extramile.participant.cards.__path__):
        importlib.import_module(f"extramile.participant.cards.{module.name}")
    found, todo = [], [Card]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        found.append(cls)
    return found


# --- a kind cannot be added without its model --------------------------------------------------------

def test_every_exercise_kind_in_the_content_schema_has_an_answer_model():
    union = typing.get_args(typing.get_args(content.Exercise)[0])
    kinds = {typing.get_args(model.model_fields["kind"].annotation)[0] for model in union}
    assert kinds == set(LESSON_ANSWERS) == content_files.EXERCISE_KINDS


def test_every_weekly_exercise_has_an_answer_model_and_a_place_in_the_frame():
    assert set(WEEKLY_ANSWERS) == set(weeks.WEEKLY_EXERCISES) == set(WEEKLY_ITEMS)


def test_every_card_that_reads_an_answer_names_its_model():
    readers = [cls for cls in _card_classes() if cls.read is not Card.read]
    assert len(readers) >= 12
    for cls in readers:
        assert issubclass(getattr(cls, "answer_model", object), Answer), f"{cls.__name__} has no answer_model"


def test_a_field_that_is_neither_words_nor_a_figure_is_refused():
    with pytest.raises(TypeError, match="mark note as Words"):
        class Unmarked(Answer):
            note: str = ""


def test_every_free_text_field_is_private_and_every_figure_countable():
    words = {name for model in EVERY_ANSWER for name, _ in model.words()}
    assert words == {"text", "opportunity", "help", "idea", "action", "happened", "did", "learned"}
    assert not words & COUNTABLE_FIELDS
    for model in EVERY_ANSWER:
        for name, info in model.model_fields.items():
            marks = [m for m in info.metadata if isinstance(m, Words | Figure)]
            assert len(marks) == 1, f"{model.__name__}.{name}"


def test_one_label_per_field_wherever_it_is_shown():
    labels = dict(LESSON_ANSWERS["reframe"].words())
    assert labels == {"opportunity": "What is the real opportunity here?", "help": "How can I help?"}
    story = dict(WEEKLY_ANSWERS[weeks.STORY].words())
    text = content.weekly_journal().extra_mile_story
    assert story == {part: getattr(text, part).label for part in weeks.STORY_PARTS}


# --- round trip: card -> journal line -> model -> frame -> export, per kind ---------------------------

def _line_of(journal, exercise_id):
    lines = journal.path_for("Zoë").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if json.loads(line)["exercise"] == exercise_id][-1]


def _through_the_summary_and_export(journal, exercise_id, entry):
    frame, _ = load_frame(Journal(journal.directory))
    [row] = frame[frame["exercise"] == exercise_id].to_dict("records")
    parts = outline(Journal(journal.directory).entries("Zoë"))
    exported = [line for part in parts for section in part.sections for item in section.items for line in item.lines]
    return row, exported


@pytest.mark.parametrize("kind", sorted(LESSON_ANSWERS))
def test_a_lesson_answer_goes_round_through_its_model(journal, kind):
    card = build(kind, journal)
    expected = fill(card)
    if card.shareable:
        card.share.value = True
    card.save_button.click()
    entry = _line_of(journal, card.exercise.id)
    assert list(entry["answer"].items()) == list(expected.items())  # the documented keys, in their order
    model = LESSON_ANSWERS[kind]
    assert entry["kind"] == model.entry_kind == card.kind
    assert model.read(entry["answer"]).journal() == entry["answer"]
    reopened = build(kind, Journal(journal.directory))
    assert reopened.read().journal() == expected
    row, exported = _through_the_summary_and_export(journal, card.exercise.id, entry)
    parts = model.shared_parts(entry["answer"])
    assert (row["shared_parts"] == parts) if parts else row["shared_parts"] is None
    assert set(parts or ()) <= set(exported)  # the export's labels are the frame's
    if kind == "scale":
        assert row["value"] == 8 and row["measure"] == card.exercise.measure and ("", "8 / 10") in exported
    if kind == "scenario":
        assert row["first_choice"] == 1 and ("I chose", card.exercise.options[1].text) in exported


def _weekly_page(journal):
    return WeeklyJournalPage(AnswerBook(Journal(journal.directory), ZOE), Journal(journal.directory), today=TODAY)


def _fill_weekly(page, exercise_id):
    if exercise_id == weeks.STORY:
        for part, area in page.story.parts.items():
            area.value = f"the {part} part 🙂"
        page.story.share.value = True
        return page.story
    if exercise_id == weeks.HABITS:
        for field in page.habits.inputs.values():
            field.value = True if isinstance(field.value, bool) else 3
        return page.habits
    if exercise_id == weeks.CHECKIN:
        page.checkin.best.value, page.checkin.mindset.value = 8, 6
        return page.checkin
    page.commitment.action.value = "Ring Mr Okafor back on Monday"
    page.commitment.share.value = True
    return page.commitment


@pytest.mark.parametrize("exercise_id", [weeks.STORY, weeks.HABITS, weeks.CHECKIN, weeks.COMMITMENT])
def test_a_weekly_answer_goes_round_through_its_model(journal, exercise_id):
    card = _fill_weekly(_weekly_page(journal), exercise_id)
    card.save_button.click()
    assert "Saved" in card.status.value
    entry = _line_of(journal, exercise_id)
    model = WEEKLY_ANSWERS[exercise_id]
    assert list(entry["answer"]) == list(model.model_fields)  # every field, in the documented order
    assert entry["answer"]["week"] == "2026-W48" and entry["kind"] == model.entry_kind
    assert model.read(entry["answer"]).journal() == entry["answer"]
    again = _weekly_page(journal)
    reopened = {weeks.STORY: again.story, weeks.HABITS: again.habits, weeks.CHECKIN: again.checkin,
                weeks.COMMITMENT: again.commitment}[exercise_id]
    assert reopened.read().journal() == entry["answer"]
    row, exported = _through_the_summary_and_export(journal, exercise_id, entry)
    parts = model.shared_parts(entry["answer"])
    assert (row["shared_parts"] == parts) if parts else row["shared_parts"] is None
    assert set(parts or ()) <= set(exported)
    if exercise_id == weeks.CHECKIN:
        assert (row["best"], row["mindset"]) == (8, 6)
        assert (content.weekly_journal().checkin.best.label, "8 / 10") in exported


def test_a_review_goes_round_through_its_model(journal):
    made = journal.append(participant="Zoë", team="Blue", kind="commitment", exercise=weeks.COMMITMENT,
                          answer={"week": "2026-W47", "idea": "Idea", "action": "Call back", "check_by": "2026-11-22"})
    page = _weekly_page(journal)
    [review] = [card for card in page.reviews.children if hasattr(card, "commitment")]
    review.choice.value = "partly"
    review.save_button.click()
    entry = _line_of(journal, weeks.REVIEW)
    assert entry["answer"] == {"week": "2026-W48", "commitment": made["id"], "status": "partly"}
    assert list(entry["answer"]) == ["week", "commitment", "status"]
    row, exported = _through_the_summary_and_export(journal, weeks.REVIEW, entry)
    assert row["status"] == "partly" and row["commitment"] == made["id"] and ("My action", "Call back") in exported


# --- old entries still read --------------------------------------------------------------------------

def test_a_first_edition_scenario_answer_reads_everywhere_as_the_option_it_chose(journal):
    notebook, scenario = first_of_kind("scenario")
    by_text = {"choice": 0, "option": scenario.options[2].text}  # the text wins over the place
    journal.append(participant="Zoë", team="Blue", kind="exercise", lesson=notebook.lesson, exercise=scenario.id,
                   answer=by_text)
    card = card_for(scenario, AnswerBook(Journal(journal.directory), ZOE), notebook.lesson)
    assert card.choice.value == scenario.options[2].id
    frame, _ = load_frame(Journal(journal.directory))
    assert frame.loc[frame["exercise"] == scenario.id, "first_choice"].tolist() == [2.0]
    assert scenario.options[2].text in to_markdown(outline(journal.entries("Zoë")), "Zoë", "Blue", TODAY)
    assert without_private_words({"shared": False, "answer": by_text})["answer"] == by_text  # figures, not words
    card.choice.value = scenario.options[0].id
    card.save_button.click()
    assert journal.entries("Zoë")[-1]["answer"] == {"option": scenario.options[0].id,
                                                    "first": scenario.options[2].id}  # the first instinct kept


def test_a_first_edition_answer_whose_wording_changed_reads_by_its_place():
    ids, texts = ["a", "b", "c"], ["A", "B", "C"]
    assert ScenarioAnswer.decoded({"choice": 1, "option": "an older wording"}, ids, texts).option == "b"
    assert ScenarioAnswer.decoded({"choice": True, "option": "gone"}, ids, texts).option is None
    assert ScenarioAnswer.decoded({"option": "c", "first": "B"}, ids, texts) == ScenarioAnswer(option="c", first="b")


def test_older_and_hand_edited_answers_read_without_losing_what_fits(journal):
    notebook, roleplay = first_of_kind("roleplay")
    journal.append(participant="Zoë", team="Blue", kind="exercise", lesson=notebook.lesson, exercise=roleplay.id,
                   answer={"text": "Before roles were saved"})
    card = card_for(roleplay, AnswerBook(Journal(journal.directory), ZOE), notebook.lesson)
    assert card.text.value == "Before roles were saved" and card.role.value is None
    odd = {"week": "2026-W48", "values": {"a": 3, "b": True, "c": -1, "d": "lots"}, "extra": 1}
    assert WEEKLY_ANSWERS[weeks.HABITS].read(odd).journal() == {"week": "2026-W48", "values": {"a": 3, "b": True}}
    assert LESSON_ANSWERS["scale"].read({"value": True, "measure": "best"}).journal() == {"measure": "best"}
    assert LESSON_ANSWERS["reflection"].read("not an answer").journal() == {"text": ""}
