"""One family of errors: whatever Extra Mile raises, a caller catches as ExtraMileError and shows its sentence."""

import ast
import builtins
from pathlib import Path

import pytest

from extramile.exceptions import ExtraMileError, NotSignedIn, PageNotStarted
from extramile.participant.answers import AnswerBook

PACKAGE = Path(__file__).resolve().parent.parent / "extramile"
BUILTIN_ERRORS = {name for name, value in vars(builtins).items()
                  if isinstance(value, type) and issubclass(value, BaseException)}
ON_PURPOSE = {
    ("__main__.py", "SystemExit"),  # the command's exit code
    ("store/journal.py", "OSError"),  # a short write joins the disk's own errors, explained as one sentence
    ("participant/cards/card.py", "NotImplementedError"),  # what each kind of card must define
    ("participant/cards/habits.py", "NotImplementedError"),  # what a card with a row per habit must define
    ("content/answer_models.py", "TypeError"),  # an answer model's field that is neither words nor a figure
    # pydantic turns a validator's ValueError into the ContentError that names file, exercise and field
    ("content/__init__.py", "ValueError"),
    ("content/weekly_text.py", "ValueError"),
    ("content/workshop_choices.py", "ValueError"),
    ("weekly/monthly.py", "ValueError"),
}


def raised_builtins(path: Path) -> set[tuple[str, str]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            called = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(called, ast.Name) and called.id in BUILTIN_ERRORS:
                found.add((str(path.relative_to(PACKAGE)), called.id))
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_error_we_raise_is_of_our_family(path):
    assert raised_builtins(path) - ON_PURPOSE == set()


def test_saving_before_signing_in_says_how_to_sign_in(journal):
    with pytest.raises(ExtraMileError) as saving:
        AnswerBook(journal, None).save(kind="exercise", exercise="x", answer={"text": "kept"})
    assert isinstance(saving.value, NotSignedIn) and "Sign in" in str(saving.value)
    assert journal.files() == []


def test_a_notebook_cell_run_before_the_first_says_which_cell_to_run(monkeypatch):
    from extramile import page

    monkeypatch.setattr(page, "_page", None)
    with pytest.raises(PageNotStarted, match="start_page"):
        page.show_story()
