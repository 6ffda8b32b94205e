"""The notebooks stay thin and in step with the content files they call."""

import json
import re
from pathlib import Path

import pytest

from extramile import content

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSON_NOTEBOOKS = sorted(NOTEBOOKS.glob("0*.ipynb"))


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_has_kernelspec_no_outputs_and_hidden_short_code(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
            assert "hide-input" in cell["metadata"].get("tags", [])
            assert len("".join(cell["source"]).splitlines()) <= 4


def test_all_five_participant_notebooks_are_there():
    assert [p.stem for p in LESSON_NOTEBOOKS] == [
        "00_welcome", "01_notice_small_opportunities", "02_positive_mindset", "03_never_an_inconvenience",
        "04_commitments"]


@pytest.mark.parametrize("path", LESSON_NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_shows_exactly_its_exercises_in_order(path):
    source = "\n".join("".join(c["source"]) for c in cells(path) if c["cell_type"] == "code")
    shown = re.findall(r'show_exercise\("([^"]+)"\)', source)
    assert shown == [e.id for e in content.notebook(path.stem).exercises]
    assert f'start_page("{path.stem}")' in source


@pytest.mark.parametrize("path", LESSON_NOTEBOOKS, ids=lambda p: p.name)
def test_each_exercise_is_one_cell_in_the_yaml_order_like_every_other(path):
    """The participant server renders pages from the YAML; the notebook must show the same page."""
    code = [c for c in cells(path) if c["cell_type"] == "code"]
    calls = [c for c in code if "".join(c["source"]).startswith("show_exercise(")]
    assert ["".join(c["source"]) for c in calls] == [
        f'show_exercise("{e.id}")' for e in content.notebook(path.stem).exercises]
    assert all(c["metadata"] == code[0]["metadata"] for c in calls)
    positions = [cells(path).index(c) for c in calls]
    assert positions == list(range(positions[0], positions[0] + len(calls))), "exercise cells stay together"


@pytest.mark.parametrize("path", LESSON_NOTEBOOKS, ids=lambda p: p.name)
def test_lesson_notebooks_never_import_pandas_or_matplotlib(path):
    source = "\n".join("".join(c["source"]) for c in cells(path))
    assert "pandas" not in source and "matplotlib" not in source
