"""What every content file under exercises/ shares: strict models, credits, and errors an author can fix.

Content authors and facilitators edit YAML, not Python, so a mistake must be
reported the way they can fix it: which file, which exercise, which field.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from extramile.exceptions import ContentError

EXERCISES_DIR = Path(__file__).resolve().parents[2] / "exercises"
EXERCISE_KINDS = {"reflection", "scenario", "reframe", "roleplay", "scale", "habits", "commitment"}


M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """A content model: an unknown field is a typo to report, and nothing changes once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    title: str
    author: str
    note: str = ""


def read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ContentError(f"{path.name}: cannot be read ({exc.strerror}).") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: is not valid YAML: {exc}") from exc


def where_in(raw: object, loc: list) -> tuple[list[str], list]:
    """('exercise 'its-id'', rest of the location) when a location points inside a list of exercises."""
    if loc[:1] in (["exercises"], ["scenarios"]) and len(loc) > 1 and isinstance(loc[1], int):
        index = loc[1]
        items = raw.get(loc[0]) if isinstance(raw, dict) else None
        item = items[index] if isinstance(items, list) and index < len(items) else {}
        ident = item.get("id") if isinstance(item, dict) else None
        return [f"exercise {ident!r}" if ident else f"exercise #{index + 1}"], list(loc[2:])
    return [], list(loc)


def problem_at(path: Path, raw: object, loc: list, message: str) -> str:
    """'file.yaml: exercise 'x', field 'a.b': message', the way an author finds the place to fix."""
    where, rest = where_in(raw, loc)
    field_name = ".".join(str(part) for part in rest) or "(whole entry)"
    return f"{path.name}: {', '.join([*where, f'field {field_name!r}'])}: {message}"


def explain(path: Path, raw: object, error: ValidationError) -> ContentError:
    """Name the file, the exercise (by id when it has one) and the field for each problem."""
    lines = []
    for problem in error.errors():
        where, rest = where_in(raw, list(problem["loc"]))
        loc = ([*problem["loc"][:2], *(part for part in rest if part not in EXERCISE_KINDS)] if where
               else list(problem["loc"]))
        if problem["type"].startswith("union_tag"):
            loc.append("kind")
        lines.append(problem_at(path, raw, loc, problem["msg"]))
    return ContentError("\n".join(lines))


def load_model(model: type[M], path: Path, raw: object) -> M:
    """The file's data as `model`, or a ContentError naming the file and each field at fault."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise explain(path, raw, exc) from None
