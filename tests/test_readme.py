"""The README's map of the code stays true: every module is named in "How it is built"."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_how_it_is_built_names_every_module():
    readme = REPO.joinpath("README.md").read_text(encoding="utf-8")
    section = readme.split("## How it is built", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([\w/]+?)(?:\.py)?`", section))
    modules = {path.stem for path in (REPO / "extramile").rglob("*.py") if path.stem != "__init__"}
    assert modules - named == set()
