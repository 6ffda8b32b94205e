"""What the journal stores for each kind of answer: one pydantic model per kind, the only definition of it.

A card builds its answer as a model and puts a saved one back from a model;
the summary's frame, the export, the journal service's privacy rule and the
demo data all read the fields the same models declare. Each field says what
it is: `Words` (free text: private unless the participant shares the entry,
shown under its label) or `Figure` (a rating, a choice among the content's
options, a week, a date or an id: countable, so a facilitator may see it of a
private entry). A new field must be one or the other, so a new kind of words
cannot slip out as a figure by accident.

`journal()` writes exactly the dict the journal format documents (journal/
README.md), in its key order, so lines stay byte for byte what they were.
`read()` takes any stored answer, however old or hand-edited: what does not
fit is left out, never fatal. Old scenario answers (the option's text and its
place, before options had ids) are decoded here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Annotated, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extramile.content import weekly_text, weeks

Rating = Literal["never", "sometimes", "often", "always"]
Role = Literal["customer", "staff", "observer"]
Status = Literal["kept", "partly", "not-yet"]


@dataclass(frozen=True)
class Words:
    """Free text: private unless shared; `label` is what the participant answered, as shown beside the words."""

    label: str = ""


@dataclass(frozen=True)
class Figure:
    """Not free text; `column` names the summary frame's column it is counted in, if any."""

    column: str | None = None


class Answer(BaseModel):
    """One answer as the journal stores it; `entry_kind` is the entry's `kind` it is saved under."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)
    entry_kind: ClassVar[str] = "exercise"
    legacy_figures: ClassVar[tuple[str, ...]] = ()  # countable fields only older entries hold

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: object) -> None:
        """Refuse a field that does not say whether it is words or a figure: privacy must not be a guess."""
        super().__pydantic_init_subclass__(**kwargs)
        unmarked = [name for name, info in cls.model_fields.items()
                    if not any(isinstance(mark, Words | Figure) for mark in info.metadata)]
        if unmarked:
            raise TypeError(f"{cls.__name__}: mark {', '.join(unmarked)} as Words(...) or Figure(...)")

    def journal(self) -> dict:
        """The answer for the journal line: the fields in declared order, unset ones left out."""
        return self.model_dump(exclude_none=True)

    @classmethod
    def read(cls, raw: object) -> Self:
        """A stored answer as this model; a field that does not fit (an odd type, a hand edit) is left out."""
        data = _copy(raw) if isinstance(raw, dict) else {}
        for _attempt in range(50):
            try:
                return cls.model_validate(data)
            except ValidationError as exc:
                for problem in exc.errors():
                    _drop(data, problem["loc"])
        return cls()

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Labels that come from the content rather than from the field's `Words` (the weekly page's YAML)."""
        return {}

    @classmethod
    def words(cls) -> tuple[tuple[str, str], ...]:
        """(field, label) of every free-text field, in the order a reader meets them."""
        return _words(cls)

    @classmethod
    def figures(cls) -> tuple[str, ...]:
        return tuple(name for name, _ in _marked(cls, Figure)) + cls.legacy_figures

    @classmethod
    def columns(cls) -> tuple[tuple[str, str], ...]:
        """(field, frame column) of every figure the summary counts."""
        return tuple((name, mark.column) for name, mark in _marks(cls, Figure) if mark.column)

    @classmethod
    def cells(cls, raw: dict, info: object = None) -> dict[str, object]:
        """The summary frame's cells of a stored answer, read without validation (a thousand journals a refresh).

        `info` is the exercise's catalog entry (content.ExerciseInfo) for lesson answers; values are raw:
        the frame types its columns.
        """
        return {column: raw.get(name) for name, column in _columns(cls)}

    @classmethod
    def shared_parts(cls, raw: dict) -> tuple[tuple[str, str], ...] | None:
        """(label, words) of the free-text fields written, kept apart so no view guesses where a label ends."""
        parts = tuple((label, text.strip()) for name, label in cls.words()
                      if isinstance(text := raw.get(name), str) and text.strip())
        return parts or None


def _marks(model: type[Answer], mark: type) -> list[tuple[str, object]]:
    return [(name, meta) for name, info in model.model_fields.items() for meta in info.metadata
            if isinstance(meta, mark)]


@cache
def _columns(model: type[Answer]) -> tuple[tuple[str, str], ...]:
    return model.columns()


@cache
def _words(model: type[Answer]) -> tuple[tuple[str, str], ...]:
    """Once per model: the summary asks for every shared answer of a year, and labels may come from YAML."""
    return _marked(model, Words)


def _marked(model: type[Answer], mark: type) -> tuple[tuple[str, str], ...]:
    labels = model.labels()
    return tuple((name, labels.get(name, getattr(meta, "label", ""))) for name, meta in _marks(model, mark))


def _copy(raw: dict) -> dict:
    return {key: _copy(value) if isinstance(value, dict) else value for key, value in raw.items()}


def _drop(data: dict, loc: tuple) -> None:
    """Leave out the innermost stored value at a validation error's location (or the field, if none)."""
    if not loc or loc[0] not in data:
        return  # already left out for another error at the same place
    holder, key = data, loc[0]
    for part in loc[1:]:
        inner = holder[key]
        if not isinstance(inner, dict):
            break  # the rest names a type the value did not fit
        if part not in inner:
            return
        holder, key = inner, part
    del holder[key]


Text = Annotated[str, Words()]
Week = Annotated[Annotated[str, Field(pattern=r"^\d{4}-W\d{2}$")] | None, Figure("week")]
Day = Annotated[Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None, Figure()]
Score = Annotated[int, Field(ge=1, le=10)]


class ReflectionAnswer(Answer):
    text: Text = ""


class ScenarioAnswer(Answer):
    """The chosen option's id, the first instinct's (`first`, kept across later choices) and a second vote's.

    Entries from the first edition hold {"choice": 2, "option": "text of the chosen response"}:
    `decoded` reads them by text, else by place, and gives ids throughout.
    """

    option: Annotated[str | None, Figure()] = None
    first: Annotated[str | None, Figure("first_choice")] = None
    second: Annotated[str | None, Figure("second_choice")] = None
    legacy_figures: ClassVar[tuple[str, ...]] = ("choice",)

    @classmethod
    def decoded(cls, raw: object, ids: Sequence[str], texts: Sequence[str]) -> ScenarioAnswer:
        """Ids of the options this answer chose, among the scenario's `ids` (and their `texts`, same order)."""
        raw = raw if isinstance(raw, dict) else {}
        option = option_id(raw.get("option"), raw.get("choice"), ids, texts)
        first = option_id(raw.get("first"), None, ids, texts)
        return cls(option=option, first=first or option, second=option_id(raw.get("second"), None, ids, texts))

    @classmethod
    def cells(cls, raw: dict, info: object = None) -> dict[str, object]:
        """The first instinct's and the second vote's places among the options, as the charts count them."""
        ids, texts = getattr(info, "option_ids", ()), getattr(info, "options", ())
        first = option_place(raw.get("first"), None, ids, texts)
        if first is None:
            first = option_place(raw.get("option"), raw.get("choice"), ids, texts)
        second = option_place(raw.get("second"), None, ids, texts)
        return {"first_choice": first, "second_choice": second}


def option_id(picked: object, index: object, ids: Sequence[str], texts: Sequence[str]) -> str | None:
    """An option named by its id, or, in the first edition's entries, by its text, else by its place."""
    place = option_place(picked, index, ids, texts)
    return ids[place] if place is not None and place < len(ids) else None


def option_place(picked: object, index: object, ids: Sequence[str], texts: Sequence[str]) -> int | None:
    """Where the chosen option stands in the content: found by its id, else its text, else the place saved."""
    if isinstance(picked, str):
        if picked in ids:
            return list(ids).index(picked)
        if picked in texts:
            return list(texts).index(picked)
    if type(index) is int and 0 <= index < max(len(ids), len(texts)):
        return index
    return None


class ReframeAnswer(Answer):
    opportunity: Annotated[str, Words("What is the real opportunity here?")] = ""
    help: Annotated[str, Words("How can I help?")] = ""


class RoleplayAnswer(Answer):
    """The reflection after the role-play, and the role it was written from (older entries hold only `text`)."""

    text: Text = ""
    role: Annotated[Role | None, Figure()] = None


class ScaleAnswer(Answer):
    value: Annotated[Score | None, Figure("value")] = None
    measure: Annotated[Literal["mindset", "best"] | None, Figure("measure")] = None
    moment: Annotated[Literal["before", "after", "weekly"] | None, Figure("moment")] = None

    @classmethod
    def cells(cls, raw: dict, info: object = None) -> dict[str, object]:
        """Older entries may lack the measure and the moment: the exercise's own then."""
        return {"value": raw.get("value"), "measure": raw.get("measure") or getattr(info, "measure", None),
                "moment": raw.get("moment") or getattr(info, "moment", None)}


class HabitRatingsAnswer(Answer):
    ratings: Annotated[dict[str, Rating], Figure()] = {}


class CommitmentAnswer(Answer):
    entry_kind: ClassVar[str] = "commitment"
    idea: Annotated[str, Words("Idea")] = ""
    action: Annotated[str, Words("My action")] = ""
    check_by: Day = None


class StoryAnswer(Answer):
    """This week's extra-mile story; each part's label is the weekly page's (weekly_journal.yaml)."""

    entry_kind: ClassVar[str] = "weekly"
    week: Week = None
    happened: Text = ""
    did: Text = ""
    learned: Text = ""

    @classmethod
    def labels(cls) -> dict[str, str]:
        story = weekly_text.weekly_journal().extra_mile_story
        return {part: getattr(story, part).label for part in weeks.STORY_PARTS}


class WeeklyHabitsAnswer(Answer):
    """The week's count (a number) or tick (true/false) per habit."""

    entry_kind: ClassVar[str] = "habit"
    week: Week = None
    values: Annotated[dict[str, Annotated[int, Field(ge=0)] | bool], Figure("values")] = {}


class CheckinAnswer(Answer):
    entry_kind: ClassVar[str] = "checkin"
    week: Week = None
    best: Annotated[Score | None, Figure("best")] = None
    mindset: Annotated[Score | None, Figure("mindset")] = None


class ReviewAnswer(Answer):
    """An earlier commitment (its entry id) looked back on in a week."""

    entry_kind: ClassVar[str] = "commitment"
    week: Week = None
    commitment: Annotated[str | None, Figure("commitment")] = None
    status: Annotated[Status | None, Figure("status")] = None


class PlanAnswer(Answer):
    """A commitment made in the weekly journal: the workshop's commitment, keyed by its week."""

    entry_kind: ClassVar[str] = "commitment"
    week: Week = None
    idea: Annotated[str, Words("Idea")] = ""
    action: Annotated[str, Words("My action")] = ""
    check_by: Day = None


class ProfileAnswer(Answer):
    """Written at first sign-in and when the team changes."""

    entry_kind: ClassVar[str] = "profile"
    team: Annotated[str | None, Figure()] = None


# Lesson answers by the content's exercise kind (content.Exercise), weekly ones by their fixed exercise id.
LESSON_ANSWERS: Mapping[str, type[Answer]] = {
    "reflection": ReflectionAnswer, "scenario": ScenarioAnswer, "reframe": ReframeAnswer,
    "roleplay": RoleplayAnswer, "scale": ScaleAnswer, "habits": HabitRatingsAnswer, "commitment": CommitmentAnswer,
}
WEEKLY_ANSWERS: Mapping[str, type[Answer]] = {
    weeks.STORY: StoryAnswer, weeks.HABITS: WeeklyHabitsAnswer, weeks.CHECKIN: CheckinAnswer,
    weeks.REVIEW: ReviewAnswer, weeks.COMMITMENT: PlanAnswer,
}
EVERY_ANSWER: tuple[type[Answer], ...] = (*LESSON_ANSWERS.values(), *WEEKLY_ANSWERS.values(), ProfileAnswer)

# Every field that holds no free text, of any kind: what a private entry keeps on its way to a facilitator.
COUNTABLE_FIELDS = frozenset(name for model in EVERY_ANSWER for name in model.figures())

