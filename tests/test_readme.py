"""The README's map of the code stays true: every folder has its block, and every module is named in it."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "extramile"


def map_section() -> str:
    readme = REPO.joinpath("README.md").read_text(encoding="utf-8")
    return readme.split("## How it is built", 1)[1].split("\n## ", 1)[0].split("### ", 1)[0]


def blocks() -> dict[str, str]:
    """The map's paragraphs by the folder they start with (`**`store/`**`), '' for the rest."""
    found: dict[str, str] = {}
    for paragraph in map_section().split("\n\n"):
        folder = re.match(r"\*\*`(\w+)/`\*\*", paragraph)
        key = folder.group(1) if folder else ""
        found[key] = found.get(key, "") + paragraph
    return found


def named(text: str) -> set[str]:
    return set(re.findall(r"`([\w/]+?)(?:\.py)?`", text))


def test_every_folder_has_a_block_naming_each_of_its_modules():
    by_folder = blocks()
    missing = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if path.stem == "__init__" and len(path.read_text(encoding="utf-8").splitlines()) < 20:  # a docstring
            continue
        folder = parts[0] if len(parts) > 1 else ""
        if path.stem not in named(by_folder.get(folder, "")):
            missing.setdefault(folder or "(top level)", []).append(path.stem)
    assert missing == {}

