"""Workshop content: the lessons under exercises/, checked against a schema on load, and the Catalog of them.

Content authors edit YAML, not Python, so a mistake must be reported the way
an author can fix it: which file, which exercise, which field. The weekly
page's words are in weekly_text.py, the facilitator's choices (habits, the
limits card) in workshop_choices.py; this module puts them together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import Field, field_validator

from extramile.content import workshop_choices
from extramile.content.answer_models import ScenarioAnswer
from extramile.content.content_files import EXERCISES_DIR, Source, Strict, load_model, read_yaml
from extramile.content.weekly_text import WEEKLY_NOTEBOOK, WeeklyJournalContent, weekly_journal
from extramile.exceptions import ContentError
from extramile.identity.teams import team_key

LESSONS = ("notice", "mindset", "inconvenience")
Setting = Literal["phone", "chat-email", "hospitality", "retail", "b2b", "field-service", "internal"]
SETTINGS = get_args(Setting)
PARTICIPANT_NOTEBOOKS = ("00_welcome", "01_notice_small_opportunities", "02_positive_mindset",
                         "03_never_an_inconvenience", "04_commitments", WEEKLY_NOTEBOOK)
MONTHLY_FILE = "monthly_scenarios.yaml"
_NOT_LESSONS = ("habits.yaml", f"{WEEKLY_NOTEBOOK}.yaml", workshop_choices.WORKSHOP_FILE, MONTHLY_FILE)
OPTIONAL = "Optional, if your team has time"


class _Exercise(Strict):
    """What every exercise has; an `optional` one is marked on the page and left out of the guide's timings."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    prompt: str
    optional: bool = False


class Reflection(_Exercise):
    kind: Literal["reflection"]
    placeholder: str = ""


class Option(Strict):
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

    def chosen(self, answer: object) -> Option | None:
        """The option a saved answer chose, however old the entry (answer_models.ScenarioAnswer decodes it)."""
        picked = ScenarioAnswer.decoded(answer, [o.id for o in self.options], [o.text for o in self.options]).option
        return next((option for option in self.options if option.id == picked), None)


class Reframe(_Situation):
    """The two questions; `model_answer` is shown only after the participant has saved their own."""

    kind: Literal["reframe"]
    model_answer: str


class Role(Strict):
    """One side of a role-play card."""

    knows: str
    wants: str
    feels: str


class Variant(Strict):
    """The second round, played after the swap: what changes for the customer, and where the staff member stops."""

    title: str
    customer: str
    staff: str


class Roleplay(_Situation):
    """A role-play in pairs (or a trio with an observer): role cards, rounds, then a reflection saved to the journal.

    `read_minutes` is the time to read a card, given again after the swap: a
    new role means a new card. The observer's three things to watch are the
    same for both rounds.
    """

    kind: Literal["roleplay"]
    minutes: int = Field(gt=0, le=30)
    read_minutes: int = Field(1, gt=0, le=5)
    customer: Role
    staff: Role
    observer: list[str] = Field(min_length=3, max_length=3)
    variant: Variant | None = None
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


class Notebook(Strict):
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


def load_notebook_file(path: Path, limits: workshop_choices.Limits | None = None) -> Notebook:
    """One lesson file, with what the limits card says wherever it names a limit (`{refund}`...)."""
    quoted = workshop_choices.with_limits(path, read_yaml(path), limits or workshop_choices.Limits())
    content = load_model(Notebook, path, quoted)
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
        content = load_notebook_file(path, workshop_choices.workshop(directory).limits)
        for exercise in content.exercises:
            if exercise.id in seen:
                raise ContentError(
                    f"{path.name}: exercise {exercise.id!r}, field 'id': already used in {seen[exercise.id]}.")
            seen[exercise.id] = path.name
        notebooks[content.notebook] = content
    return notebooks


def commitment_ideas(exercise: Commitment, directory: Path = EXERCISES_DIR, team: str | None = None) -> tuple[str, ...]:
    """The ideas offered for a commitment: the seven habits this team tracks first, then the exercise's own.

    The habits come from here rather than the YAML list, so a swapped habit is offered in its place.
    """
    labels = tuple(habit.label for habit in workshop_choices.habits(directory, team))
    return labels + tuple(idea for idea in exercise.ideas if idea not in labels)


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
    """The workshop content, flattened: exercises by id in page order, notebooks in order, every team's habits.

    It lives beside the YAML models, not with the pandas summary, so that the
    demo data and the console can use it without paying for pandas at start.
    """

    exercises: dict[str, ExerciseInfo]
    notebooks: dict[str, str]  # notebook name -> short label, in page order
    habits: tuple[HabitInfo, ...] = ()  # every habit some team tracks
    team_habits: dict[str, tuple[str, ...]] = field(default_factory=dict)  # team_key -> ids; "": everyone else

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
        every = tuple(HabitInfo(h.id, h.label, h.weekly) for h in workshop_choices.every_habit(directory))
        chosen = workshop_choices.workshop(directory)
        own = {team_key(name): tuple(h.id for h in workshop_choices.habits(directory, name)) for name in chosen.teams}
        own[""] = tuple(h.id for h in workshop_choices.habits(directory))
        return cls(exercises, notebooks, every, own)

    def tracks(self, team: str, habit: str) -> bool:
        """Whether this team records this habit: its own seven when workshop.yaml gives it some, else the room's."""
        seven = self.team_habits.get(team_key(team), self.team_habits.get(""))
        return seven is None or habit in seven

    def exercises_in(self, notebook: str) -> list[ExerciseInfo]:
        return [e for e in self.exercises.values() if e.notebook == notebook]


def notebook_label(name: str, lesson: str | None = None) -> str:
    """'Notice' for a lesson, 'Welcome' for 00_welcome: short enough for a chart axis."""
    if lesson:
        return lesson.capitalize()
    words = re.sub(r"^\d+_", "", name).replace("_", " ").strip()
    return words.capitalize() or name
