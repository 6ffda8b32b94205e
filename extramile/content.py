"""Workshop content: the YAML files under exercises/, checked against a schema on load.

Content authors edit YAML, not Python, so a mistake must be reported the way
an author can fix it: which file, which exercise, which field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from extramile.exceptions import ContentError

EXERCISES_DIR = Path(__file__).resolve().parent.parent / "exercises"
LESSONS = ("notice", "mindset", "inconvenience")
EXERCISE_KINDS = {"reflection", "scenario", "reframe", "roleplay", "scale", "habits", "commitment"}
Setting = Literal["phone", "chat-email", "hospitality", "retail", "b2b", "field-service", "internal"]
SETTINGS = get_args(Setting)
WEEKLY_NOTEBOOK = "weekly_journal"
PARTICIPANT_NOTEBOOKS = ("00_welcome", "01_notice_small_opportunities", "02_positive_mindset",
                         "03_never_an_inconvenience", "04_commitments", WEEKLY_NOTEBOOK)
WORKSHOP_FILE = "workshop.yaml"
MAX_HABIT_SWAPS = 3
_NOT_LESSONS = ("habits.yaml", f"{WEEKLY_NOTEBOOK}.yaml", WORKSHOP_FILE)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: str
    author: str
    note: str = ""


class Habit(_Strict):
    """An everyday habit; `weekly` says how the weekly journal records it."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    label: str
    weekly: Literal["count", "tick"]
    weekly_prompt: str


class _Exercise(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    prompt: str


class Reflection(_Exercise):
    kind: Literal["reflection"]
    placeholder: str = ""


class Option(_Strict):
    """A response; the journal stores its id, so its text and its place on screen may change."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    text: str
    feedback: str


class _Situation(_Exercise):
    """An exercise set in a workplace: `setting` lets the tests check the lessons cover many."""

    situation: str
    setting: Setting
    angry: bool = False


class Scenario(_Situation):
    """Choose a response. A `dilemma` has no single best one: each option's feedback weighs the cost."""

    kind: Literal["scenario"]
    dilemma: bool = False
    options: list[Option] = Field(min_length=3, max_length=4)

    @field_validator("options")
    @classmethod
    def _ids_are_unique(cls, options: list[Option]) -> list[Option]:
        seen = set()
        for option in options:
            if option.id in seen:
                raise ValueError(f"option id {option.id!r} is used twice; each option needs its own id")
            seen.add(option.id)
        return options

    def chosen(self, answer: dict) -> Option | None:
        """The option a saved answer chose: by id; entries from before ids kept the text and the index."""
        picked = answer.get("option")
        for option in self.options:
            if picked in (option.id, option.text):
                return option
        index = answer.get("choice")
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(self.options):
            return self.options[index]
        return None


class Reframe(_Situation):
    """The two questions; `model_answer` is shown only after the participant has saved their own."""

    kind: Literal["reframe"]
    model_answer: str


class Role(_Strict):
    """One side of a role-play card."""

    knows: str
    wants: str
    feels: str


class Roleplay(_Situation):
    """A paired role-play: a customer card, a staff card, then a reflection saved to the journal."""

    kind: Literal["roleplay"]
    minutes: int = Field(gt=0, le=30)
    customer: Role
    staff: Role
    reflection: str
    placeholder: str = ""


class Scale(_Exercise):
    kind: Literal["scale"]
    measure: Literal["mindset", "best"]
    moment: Literal["before", "after", "weekly"]
    low: str
    high: str


class HabitCheck(_Exercise):
    kind: Literal["habits"]


class Commitment(_Exercise):
    kind: Literal["commitment"]
    ideas: list[str] = Field(min_length=1)


Exercise = Annotated[
    Reflection | Scenario | Reframe | Roleplay | Scale | HabitCheck | Commitment,
    Field(discriminator="kind"),
]


class Notebook(_Strict):
    """The content of one participant notebook: story, point, exercises, debrief."""

    notebook: str
    lesson: Literal["notice", "mindset", "inconvenience"] | None = None
    title: str
    minutes: int = Field(gt=0)
    sources: list[Source] = []
    story: str = ""
    point: str = ""
    exercises: list[Exercise] = []
    debrief: list[str] = []


class HabitList(_Strict):
    """The article's seven habits, and the role-appropriate ones a facilitator may swap in."""

    habits: list[Habit] = Field(min_length=7, max_length=7)
    alternatives: list[Habit] = []


class Workshop(_Strict):
    """The facilitator's choices for one workshop (workshop.yaml): habit id -> alternative id."""

    habit_swaps: dict[str, str] = Field(default={}, max_length=MAX_HABIT_SWAPS)


class WeekPickerText(_Strict):
    title: str
    prompt: str
    filled: str


class TextPart(_Strict):
    label: str
    placeholder: str = ""


class StoryText(_Strict):
    """Recognize it, document it, learn from it: the three parts of a week's story."""

    title: str
    prompt: str
    happened: TextPart
    did: TextPart
    learned: TextPart


class HabitsText(_Strict):
    title: str
    prompt: str
    tick: str


class ScaleEnds(_Strict):
    label: str
    low: str
    high: str


class CheckinText(_Strict):
    title: str
    prompt: str
    best: ScaleEnds
    mindset: ScaleEnds


class ReviewStatuses(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    kept: str
    partly: str
    not_yet: str = Field(alias="not-yet")


REVIEW_STATUSES = ("kept", "partly", "not-yet")  # a weekly review's answers, as the journal stores them


class ReviewText(_Strict):
    title: str
    prompt: str
    workshop: str
    last_week: str
    check_by: str
    statuses: ReviewStatuses
    empty: str


class CommitmentText(_Strict):
    title: str
    prompt: str


class Counted(_Strict):
    """What follows a number: `one` after 1, `other` after any other number."""

    one: str
    other: str

    def of(self, number: int) -> str:
        return self.one if number == 1 else self.other


class TrendsText(_Strict):
    title: str
    stories: Counted
    streak: Counted
    best: str
    mindset: str
    average_note: str
    habits: str
    habits_note: str
    empty: str


class TeamText(_Strict):
    title: str
    prompt: str
    empty: str
    signed_out: str


class ExportText(_Strict):
    title: str
    prompt: str
    button: str
    markdown: str
    page: str
    empty: str


class WeeklyJournalContent(_Strict):
    """Every word on the weekly journal page; its exercise ids are fixed by the journal format."""

    notebook: Literal["weekly_journal"]
    title: str
    minutes: int = Field(gt=0)
    sources: list[Source] = []
    story: str = ""
    point: str = ""
    week: WeekPickerText
    extra_mile_story: StoryText
    habits: HabitsText
    checkin: CheckinText
    review: ReviewText
    commitment: CommitmentText
    trends: TrendsText
    team: TeamText
    export: ExportText


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ContentError(f"{path.name}: cannot be read ({exc.strerror}).") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: is not valid YAML: {exc}") from exc


def _explain(path: Path, raw: object, error: ValidationError) -> ContentError:
    """Name the file, the exercise (by id when it has one) and the field for each problem."""
    lines = []
    for problem in error.errors():
        loc = list(problem["loc"])
        where = []
        if loc[:1] == ["exercises"] and len(loc) > 1 and isinstance(loc[1], int):
            index = loc[1]
            items = raw.get("exercises") if isinstance(raw, dict) else None
            item = items[index] if isinstance(items, list) and index < len(items) else {}
            ident = item.get("id") if isinstance(item, dict) else None
            where.append(f"exercise {ident!r}" if ident else f"exercise #{index + 1}")
            loc = [part for part in loc[2:] if part not in EXERCISE_KINDS]
        if problem["type"].startswith("union_tag"):
            loc.append("kind")
        field_name = ".".join(str(part) for part in loc) or "(whole entry)"
        where.append(f"field {field_name!r}")
        lines.append(f"{path.name}: {', '.join(where)}: {problem['msg']}")
    return ContentError("\n".join(lines))


def load_notebook_file(path: Path) -> Notebook:
    raw = _read_yaml(path)
    try:
        content = Notebook.model_validate(raw)
    except ValidationError as exc:
        raise _explain(path, raw, exc) from None
    if content.notebook != path.stem:
        raise ContentError(f"{path.name}: field 'notebook': is {content.notebook!r}, but must match the "
                           f"file name {path.stem!r} (the notebook it belongs to).")
    return content


@cache
def load_all(directory: Path = EXERCISES_DIR) -> dict[str, Notebook]:
    """Every notebook's content, by notebook name; exercise ids must be unique across all."""
    notebooks = {}
    seen: dict[str, str] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        if path.name in _NOT_LESSONS:
            continue
        content = load_notebook_file(path)
        for exercise in content.exercises:
            if exercise.id in seen:
                raise ContentError(
                    f"{path.name}: exercise {exercise.id!r}, field 'id': already used in {seen[exercise.id]}.")
            seen[exercise.id] = path.name
        notebooks[content.notebook] = content
    return notebooks


@cache
def habit_list(directory: Path = EXERCISES_DIR) -> HabitList:
    """Everything in habits.yaml, before any swaps."""
    path = Path(directory) / "habits.yaml"
    raw = _read_yaml(path)
    try:
        listed = HabitList.model_validate(raw)
    except ValidationError as exc:
        raise _explain(path, raw, exc) from None
    ids = [habit.id for habit in listed.habits + listed.alternatives]
    twice = sorted({ident for ident in ids if ids.count(ident) > 1})
    if twice:
        raise ContentError(f"{path.name}: field 'id': {', '.join(map(repr, twice))} used more than once.")
    return listed


@cache
def workshop(directory: Path = EXERCISES_DIR) -> Workshop:
    """This workshop's choices; no workshop.yaml means none (the article's seven habits as they are)."""
    path = Path(directory) / WORKSHOP_FILE
    if not path.exists():
        return Workshop()
    raw = _read_yaml(path) or {}
    try:
        return Workshop.model_validate(raw)
    except ValidationError as exc:
        raise _explain(path, raw, exc) from None


@cache
def habits(directory: Path = EXERCISES_DIR) -> tuple[Habit, ...]:
    """The seven habits of this workshop: the article's, with the facilitator's swaps in their places.

    The lesson's habit check, the weekly journal, the commitment ideas and the
    summary all ask here, so a swap changes every page and the report alike.
    """
    listed = habit_list(directory)
    swaps = workshop(directory).habit_swaps
    seven = {habit.id: habit for habit in listed.habits}
    alternatives = {habit.id: habit for habit in listed.alternatives}
    problems = [f"{old!r} is not one of the seven habits ({', '.join(seven)})" for old in swaps if old not in seven]
    problems += [f"{new!r} is not in the alternatives of habits.yaml ({', '.join(alternatives) or 'none'})"
                 for new in swaps.values() if new not in alternatives]
    problems += [f"{new!r} is swapped in more than once" for new in set(swaps.values())
                 if list(swaps.values()).count(new) > 1]
    if problems:
        raise ContentError(f"{WORKSHOP_FILE}: field 'habit_swaps': " + "; ".join(problems) + ".")
    return tuple(alternatives[swaps[habit.id]] if habit.id in swaps else habit for habit in listed.habits)


def commitment_ideas(exercise: Commitment, directory: Path = EXERCISES_DIR) -> tuple[str, ...]:
    """The ideas offered for a commitment: this workshop's seven habits first, then the exercise's own.

    The habits come from here rather than the YAML list, so a swapped habit is offered in its place.
    """
    labels = tuple(habit.label for habit in habits(directory))
    return labels + tuple(idea for idea in exercise.ideas if idea not in labels)


@cache
def weekly_journal(directory: Path = EXERCISES_DIR) -> WeeklyJournalContent:
    """The weekly journal page's words, from weekly_journal.yaml (not a lesson: load_all skips it)."""
    path = Path(directory) / f"{WEEKLY_NOTEBOOK}.yaml"
    raw = _read_yaml(path)
    try:
        return WeeklyJournalContent.model_validate(raw)
    except ValidationError as exc:
        raise _explain(path, raw, exc) from None


def notebook(name: str, directory: Path = EXERCISES_DIR) -> Notebook | WeeklyJournalContent:
    if name == WEEKLY_NOTEBOOK:
        return weekly_journal(directory)
    try:
        return load_all(directory)[name]
    except KeyError:
        raise ContentError(f"No content for notebook {name!r} in {directory}.") from None


def next_notebook(name: str) -> str | None:
    """The participant notebook after this one, in the order of the day."""
    names = list(PARTICIPANT_NOTEBOOKS)
    position = names.index(name) if name in names else -1
    return names[position + 1] if 0 <= position < len(names) - 1 else None


def route_of(name: str) -> str:
    """The participant app's address for a notebook's page: "/" for the welcome, "/positive-mindset" and so on."""
    if name == PARTICIPANT_NOTEBOOKS[0]:
        return "/"
    return "/" + re.sub(r"^\d+_", "", name).replace("_", "-")


def exercise(exercise_id: str, directory: Path = EXERCISES_DIR) -> tuple[Notebook, Exercise]:
    """The exercise with this id and the notebook it belongs to."""
    for content in load_all(directory).values():
        for item in content.exercises:
            if item.id == exercise_id:
                return content, item
    raise ContentError(f"No exercise with id {exercise_id!r} in {directory}.")


@dataclass(frozen=True)
class ExerciseInfo:
    """What the summary needs to know about one exercise in exercises/*.yaml."""

    id: str
    kind: str
    notebook: str
    title: str
    lesson: str | None = None
    measure: str | None = None
    moment: str | None = None
    options: tuple[str, ...] = ()
    option_ids: tuple[str, ...] = ()
    ideas: tuple[str, ...] = ()


@dataclass(frozen=True)
class HabitInfo:
    """A habit as the summary and the demo data count it: they need neither its prompt nor pydantic."""

    id: str
    label: str
    weekly: str  # "count" or "tick"


@dataclass(frozen=True)
class Catalog:
    """The workshop content, flattened: exercises by id in page order, notebooks in order, habits.

    It lives beside the YAML models, not with the pandas summary, so that the
    demo data and the console can use it without paying for pandas at start.
    """

    exercises: dict[str, ExerciseInfo]
    notebooks: dict[str, str]  # notebook name -> short label, in page order
    habits: tuple[HabitInfo, ...] = ()

    @classmethod
    def from_content(cls, directory: Path = EXERCISES_DIR) -> Catalog:
        exercises, notebooks = {}, {}
        for name, book in load_all(directory).items():
            notebooks[name] = notebook_label(name, book.lesson)
            for item in book.exercises:
                exercises[item.id] = ExerciseInfo(
                    id=item.id, kind=item.kind, notebook=name, title=item.title, lesson=book.lesson,
                    measure=getattr(item, "measure", None), moment=getattr(item, "moment", None),
                    options=tuple(o.text for o in getattr(item, "options", ())),
                    option_ids=tuple(o.id for o in getattr(item, "options", ())),
                    ideas=commitment_ideas(item, directory) if item.kind == "commitment" else (),
                )
        return cls(exercises, notebooks, tuple(HabitInfo(h.id, h.label, h.weekly) for h in habits(directory)))

    def exercises_in(self, notebook: str) -> list[ExerciseInfo]:
        return [e for e in self.exercises.values() if e.notebook == notebook]


def notebook_label(name: str, lesson: str | None = None) -> str:
    """'Notice' for a lesson, 'Welcome' for 00_welcome: short enough for a chart axis."""
    if lesson:
        return lesson.capitalize()
    words = re.sub(r"^\d+_", "", name).replace("_", " ").strip()
    return words.capitalize() or name
