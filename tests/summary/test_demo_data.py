"""Demo data: a believable room, written in exactly the journal's own format."""

import json
import os
import re
import stat
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from extramile import cli, content
from extramile.content import Catalog
from extramile.exceptions import DemoDataRefused
from extramile.names import file_stem_for
from extramile.store.journal import Journal
from extramile.summary.demo_data import generate
from extramile.summary.journal_frame import WEEKLY_ITEMS

ROOT = Path(__file__).resolve().parents[2]
WORKSHOP_DAY = date(2026, 11, 24)
AT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "journal"
    summary = generate(out, participants=24, teams=4, weeks=6, seed=3, workshop_day=WORKSHOP_DAY)
    return out, summary


def lines_of(directory):
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            yield path, line


def test_lines_are_exactly_what_the_journal_writes(demo, tmp_path):
    out, _ = demo
    real = Journal(tmp_path / "real").append(participant="Zoë", team="Blue", kind="profile",
                                             answer={"team": "Blue"})
    for path, line in lines_of(out):
        entry = json.loads(line)
        assert list(entry) == list(real), line
        assert line == json.dumps(entry, ensure_ascii=False, allow_nan=False) + "\n"
        assert entry["v"] == real["v"] and re.fullmatch(r"[0-9a-f]{32}", entry["id"])
        assert AT.match(entry["at"])
        assert isinstance(entry["shared"], bool)
        assert path.name == f"{file_stem_for(entry['participant'])}.jsonl"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_journal_reads_it_back_without_problems(demo):
    out, summary = demo
    journal = Journal(out)
    entries = list(journal.read_all())
    assert not journal.problems.items
    assert len(journal.participants()) == summary.participants == 24
    assert len({e["team"] for e in entries if e["kind"] == "profile"}) == summary.teams == 4
    assert sum(1 for _ in lines_of(out)) == summary.entries


def test_answers_use_the_workshops_exercise_ids(demo):
    out, _ = demo
    known = {item.id for book in content.load_all().values() for item in book.exercises}
    exercises = {e["exercise"] for e in Journal(out).read_all() if e["kind"] != "profile"}
    assert exercises <= known | set(WEEKLY_ITEMS)
    assert known <= exercises  # every exercise is answered by someone


def test_scenario_answers_name_the_option_by_id(demo):
    out, _ = demo
    options = {item.id: {o.id for o in item.options} for book in content.load_all().values()
               for item in book.exercises if item.kind == "scenario"}
    answers = [e for e in Journal(out).read_all() if e["exercise"] in options]
    assert answers
    for entry in answers:
        assert list(entry["answer"]) == ["option"] and entry["answer"]["option"] in options[entry["exercise"]]


def test_weeks_are_missed_and_most_text_stays_private(demo):
    out, _ = demo
    entries = list(Journal(out).read_all())
    stories = Counter(e["participant"] for e in entries if e["exercise"] == "weekly-story")
    assert any(count < 6 for count in stories.values())  # nobody is perfect every week
    free_text = {"text", "happened", "action", "opportunity"}
    texts = [e for e in entries if e["kind"] in ("exercise", "weekly", "commitment")
             and isinstance(e["answer"], dict) and free_text & set(e["answer"])]
    shared = sum(e["shared"] for e in texts)
    assert 0 < shared < len(texts) / 2
    assert any(e["replaces"] for e in entries)  # some answers were edited
    weeks = {e["answer"]["week"] for e in entries if e["kind"] == "checkin"}
    assert weeks <= {f"2026-W{n}" for n in range(49, 55)} | {f"2027-W0{n}" for n in range(1, 6)}


def test_same_seed_gives_the_same_journal(tmp_path):
    catalog = Catalog.from_content()
    for name in ("a", "b"):
        generate(tmp_path / name, participants=5, teams=2, weeks=3, seed=9, catalog=catalog,
                 workshop_day=WORKSHOP_DAY)
    first = {p.name: p.read_bytes() for p in (tmp_path / "a").glob("*.jsonl")}
    second = {p.name: p.read_bytes() for p in (tmp_path / "b").glob("*.jsonl")}
    assert first == second


def test_refuses_to_write_into_a_folder_that_holds_journals(demo):
    out, _ = demo
    with pytest.raises(DemoDataRefused, match="already holds journal files"):
        generate(out, participants=2, teams=1, weeks=1)


def test_command_line_writes_demo_data(tmp_path, capsys):
    out = tmp_path / "cli"
    code = cli.main(["demo-data", "--participants", "6", "--teams", "2", "--weeks", "2", "--out", str(out),
                     "--seed", "4"])
    assert code == 0
    assert "Wrote 6 journals" in capsys.readouterr().out
    assert len(list(out.glob("*.jsonl"))) == 6
    assert cli.main(["demo-data", "--participants", "6", "--out", str(out)]) == 2


def test_writing_demo_data_does_not_load_pandas(tmp_path):
    """The demo data is plain JSON lines: paying a second for pandas at start would be for nothing."""
    out = str(tmp_path / "journal")
    script = ("import sys\nfrom extramile import cli\n"
              f"cli.main(['demo-data', '--participants', '3', '--teams', '1', '--weeks', '1', '--out', {out!r}])\n"
              "print('pandas' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.splitlines()[-1] == "False", done.stdout + done.stderr
