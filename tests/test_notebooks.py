"""The notebooks stay thin and in step with the content files they call."""

import json
import re
import subprocess
import sys
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


BUILD_AND_SAVE = """
import sys
from extramile.store.journal import Journal
from extramile.page import Page

page = Page(sys.argv[1], Journal(sys.argv[2]))
page.bar.name.value, page.bar.team.value, page.bar.passphrase.value = "Zoë", "Blue", "lemon squeezer"
page.bar.sign_in_button.click()
widgets = page.body()
for card in page.cards:
    card.save_button.click()
print(" ".join(name for name in ("pandas", "matplotlib", "jinja2") if name in sys.modules))
"""


@pytest.mark.parametrize("name", content.PARTICIPANT_NOTEBOOKS)
def test_participant_pages_never_load_pandas_or_matplotlib(name, tmp_path):
    """A participant's kernel stays small: building the page, signing in and saving load neither library.

    Nor the export's templates (jinja2), which wait until a participant asks for their files.
    """
    built = subprocess.run([sys.executable, "-c", BUILD_AND_SAVE, name, str(tmp_path)], capture_output=True,
                           text=True, timeout=120, cwd=NOTEBOOKS.parent)
    assert built.returncode == 0, built.stderr
    assert built.stdout.split() == []
    assert list(tmp_path.glob("*.jsonl")), "the page was signed in and used"
