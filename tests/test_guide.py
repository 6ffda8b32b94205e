"""The facilitator guide agrees with itself and with the content: a facilitator follows both on the day.

The agenda table, the per-page timings, the exercise lists and the debrief
questions are parsed from the markdown and checked against exercises/*.yaml,
so changing a lesson without changing the guide fails here.
"""

import re
from pathlib import Path

import pytest

from extramile import content

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "facilitator_guide.md").read_text(encoding="utf-8")
SEEDS_DIR = ROOT.parent / "shared" / "seeds"
PAGES = {"Welcome": "00_welcome", "1": "01_notice_small_opportunities", "2": "02_positive_mindset",
         "3": "03_never_an_inconvenience", "4": "04_commitments"}
LESSON_PAGES = list(PAGES.values())


def section(text, heading):
    """The text under a heading, up to the next heading of the same level."""
    level = heading.split(" ")[0]
    start = text.index(heading + "\n") if heading + "\n" in text else text.index(heading)
    rest = text[start + len(heading):]
    following = re.search(rf"^{level} ", rest, flags=re.M)
    return rest[:following.start()] if following else rest


def flat(text):
    return " ".join(text.split())


def clock(time):
    hours, minutes = time.split(":")
    return int(hours) * 60 + int(minutes)


def agenda():
    """(start minute, minutes or None, what, page) for each row of the agenda table."""
    lines = [line for line in section(GUIDE, "## The agenda").splitlines() if line.startswith("|")]
    rows = []
    for line in lines[2:]:
        time, minutes, what, page = (cell.strip() for cell in line.strip().strip("|").split("|"))
        rows.append((clock(time), int(minutes) if minutes else None, what, page))
    return rows


def lesson_sections():
    """Each page's section in the lessons part of the guide, in order: (heading, body)."""
    block = GUIDE.split("<!-- lessons:start -->")[1].split("<!-- lessons:end -->")[0]
    parts = re.split(r"^### (.+)$", block, flags=re.M)
    return list(zip(parts[1::2], parts[2::2]))


def exercise_items(body):
    """(title, parenthesis, full text) of each numbered item under "Exercises, in order"."""
    listing = body.split("**Exercises, in order**")[1].split("**Debrief**")[0]
    items = re.split(r"^\d+\. ", listing.strip(), flags=re.M)[1:]
    found = []
    for item in items:
        match = re.match(r"\*(.+?)\* \(([^)]*)\)", flat(item))
        assert match, f"an exercise item must start with *Title* (kind, N min): {item[:60]!r}"
        found.append((match[1], match[2], flat(item)))
    return found


def test_the_agenda_adds_up_to_three_and_a_half_hours():
    rows = agenda()
    for (start, minutes, what, _), (following, *_rest) in zip(rows, rows[1:]):
        assert start + minutes == following, f"{what!r} starts at {start} and lasts {minutes}"
    end, minutes, _, _ = rows[-1]
    assert minutes is None and end == 210
    assert sum(row[1] for row in rows[:-1]) == 210
    assert "## The agenda (3 hours 30 minutes)" in GUIDE


def test_every_page_has_the_minutes_its_content_file_has():
    pages = [(page, minutes) for _, minutes, _, page in agenda() if page]
    assert [PAGES[page] for page, _ in pages] == LESSON_PAGES
    for page, minutes in pages:
        assert minutes == content.notebook(PAGES[page]).minutes, page


def test_the_one_break_is_between_lessons_two_and_three_in_the_table_and_the_text():
    rows = agenda()
    breaks = [i for i, row in enumerate(rows) if row[2].lower().startswith("break")]
    assert len(breaks) == 1
    [at] = breaks
    assert rows[at - 1][3] == "2" and rows[at + 1][3] == "3"
    said = re.findall(r"(\d+)-minute break between lesson (\d) and lesson (\d)", flat(GUIDE))
    assert said and set(said) == {(str(rows[at][1]), "2", "3")}
    assert not re.search(r"break after lesson [13]", flat(GUIDE), flags=re.I)


def test_each_page_section_follows_its_content_file():
    sections = lesson_sections()
    assert len(sections) == len(LESSON_PAGES)
    for (heading, body), name in zip(sections, LESSON_PAGES):
        notebook = content.notebook(name)
        minutes = int(re.search(r"\((\d+) minutes\)$", heading)[1])
        assert minutes == notebook.minutes, heading
        timing = re.search(r"\*\*Timing\.\*\* (.+)", body)[1]
        assert sum(int(n) for n in re.findall(r"(\d+) min", timing)) == minutes, heading
        items = exercise_items(body)
        assert [title for title, _, _ in items] == [exercise.title for exercise in notebook.exercises], heading
        item_minutes = [int(re.search(r"(\d+) min$", parenthesis)[1]) for _, parenthesis, _ in items]
        assert sum(item_minutes) == int(re.search(r"exercises (\d+) min", timing)[1]), heading


@pytest.mark.parametrize("name", LESSON_PAGES)
def test_the_debrief_questions_are_the_ones_on_the_page(name):
    body = dict(zip(LESSON_PAGES, (body for _, body in lesson_sections())))[name]
    debrief = body.split("**Debrief**")[1]
    questions = [flat(line[2:]) for line in debrief.strip().splitlines() if line.startswith("- ")]
    assert questions == [flat(question) for question in content.notebook(name).debrief]


def test_the_10000_dollar_line_is_told_with_the_exercise_that_holds_it():
    holders = [exercise.title for name in LESSON_PAGES for exercise in content.notebook(name).exercises
               if "$10,000" in flat(str(exercise.model_dump()))]
    told = [title for _, body in lesson_sections() for title, _, text in exercise_items(body) if "$10,000" in text]
    assert holders and told == holders
    assert flat(GUIDE).count("$10,000") == len(holders)


def test_role_plays_are_timed_as_their_cards_say():
    for (_, body), name in zip(lesson_sections(), LESSON_PAGES):
        by_title = {title: text for title, _, text in exercise_items(body)}
        for exercise in content.notebook(name).exercises:
            if exercise.kind == "roleplay":
                assert f"two rounds of {exercise.minutes} minutes" in by_title[exercise.title]


def test_the_weekly_writing_time_is_the_one_the_journal_page_gives():
    weekly = content.weekly_journal()
    follow_up = flat(section(GUIDE, "## The weekly follow-up"))
    assert f"{weekly.minutes} minutes to write" in follow_up
    for word in ("Owner", "Length", "Reminder", "Monthly report", "JupyterHub"):
        assert word in follow_up


def test_the_privacy_script_says_what_the_facilitator_sees_and_who_gets_the_report():
    script = flat(section(GUIDE, "## Signing in, and what to say about privacy")).lower()
    for seen in ("check-in scores", "answered each scenario", "habits", "commitments", "chose to share",
                 "report"):
        assert seen in script, seen
    assert "goes to" in script


@pytest.mark.parametrize("trouble", ["wrong team", "client isolation", "Restarting the server"])
def test_troubleshooting_covers(trouble):
    assert trouble.lower() in section(GUIDE, "## Troubleshooting").lower()


def words(text):
    return re.findall(r"[a-z0-9$']+", text.replace("\u2019", "'").lower())


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"source articles not found in {SEEDS_DIR}")
def test_the_guide_tells_the_stories_in_its_own_words():
    size = 21
    guide_words = words(GUIDE)
    runs = {tuple(guide_words[i:i + size]) for i in range(len(guide_words) - size + 1)}
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        seed_words = words(seed.read_text(encoding="utf-8"))
        for start in range(len(seed_words) - size + 1):
            assert tuple(seed_words[start:start + size]) not in runs, seed.name
