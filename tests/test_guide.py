"""The facilitator guide agrees with itself and with the content: a facilitator follows both on the day.

The agenda table, the per-page timings, the exercise lists and the debrief
questions are parsed from the markdown and checked against exercises/*.yaml,
so changing a lesson without changing the guide fails here.
"""

import re
from pathlib import Path

import pytest

from extramile import content
from extramile.content.weekly_text import weekly_journal

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


def breaks():
    return [row for row in agenda() if row[2].lower().startswith("break")]


def test_the_agenda_adds_up_to_three_and_a_half_hours():
    rows = agenda()
    for (start, minutes, what, _), (following, *_rest) in zip(rows, rows[1:]):
        assert start + minutes == following, f"{what!r} starts at {start} and lasts {minutes}"
    end, minutes, _, _ = rows[-1]
    assert minutes is None and end == 210
    assert sum(row[1] for row in rows[:-1]) == 210
    assert "## The agenda (3 hours 30 minutes)" in GUIDE


def test_there_are_two_breaks_around_a_quarter_past_one_and_half_past_two():
    starts = [start for start, *_ in breaks()]
    assert len(starts) == 2
    for start, around in zip(starts, (clock("1:15"), clock("2:30"))):
        assert abs(start - around) <= 10, start
    said = flat(section(GUIDE, "## The agenda"))
    for start, minutes, _, _ in breaks():
        assert f"{minutes}-minute break at {start // 60}:{start % 60:02d}" in said


def test_nobody_sits_for_more_than_75_minutes():
    rows = agenda()[:-1]
    sitting = 0
    for _, minutes, what, _ in rows:
        sitting = 0 if what.lower().startswith("break") else sitting + minutes
        assert sitting <= 75, what


def test_the_welcome_is_fifteen_minutes_with_sign_in_on_arrival_at_the_join_screen():
    start, minutes, _, page = agenda()[0]
    assert (start, minutes, page) == (0, 15, "Welcome") == (0, content.notebook("00_welcome").minutes, "Welcome")
    agenda_text = flat(section(GUIDE, "## The agenda")).lower()
    assert "join screen" in agenda_text and "as they arrive" in agenda_text
    signing_in = flat(section(GUIDE, "## Signing in, and what to say about privacy")).lower()
    assert "join screen" in signing_in and "ten minutes" not in signing_in


def test_every_page_has_the_minutes_its_content_file_has():
    pages = [(page, minutes) for _, minutes, _, page in agenda() if page]
    assert [PAGES[page] for page, _ in pages] == LESSON_PAGES
    for page, minutes in pages:
        assert minutes == content.notebook(PAGES[page]).minutes, page


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
        timed = [int(re.search(r"(\d+) min$", parenthesis)[1]) for _, parenthesis, _ in items
                 if "optional" not in parenthesis]
        assert sum(timed) == int(re.search(r"exercises (\d+) min", timing)[1]), heading


@pytest.mark.parametrize("name", LESSON_PAGES)
def test_optional_exercises_are_the_ones_the_content_marks_optional(name):
    body = dict(zip(LESSON_PAGES, (body for _, body in lesson_sections())))[name]
    marked = {title: "optional" in parenthesis.split(", ") for title, parenthesis, _ in exercise_items(body)}
    assert marked == {exercise.title: exercise.optional for exercise in content.notebook(name).exercises}


@pytest.mark.parametrize("name", LESSON_PAGES)
def test_the_debrief_questions_are_the_ones_on_the_page(name):
    body = dict(zip(LESSON_PAGES, (body for _, body in lesson_sections())))[name]
    debrief = body.split("**Debrief**")[1]
    questions = [flat(line[2:]) for line in debrief.strip().splitlines() if line.startswith("- ")]
    assert questions == [flat(question) for question in content.notebook(name).debrief]
    assert len(questions) == 2, "two questions a page; the rest are the weekly journal's team questions"


def test_the_10000_dollar_line_is_told_with_the_exercise_that_holds_it():
    holders = [exercise.title for name in LESSON_PAGES for exercise in content.notebook(name).exercises
               if "$10,000" in flat(str(exercise.model_dump()))]
    told = [title for _, body in lesson_sections() for title, _, text in exercise_items(body) if "$10,000" in text]
    assert holders and told == holders
    assert flat(GUIDE).count("$10,000") == len(holders)


def test_role_plays_are_timed_as_their_cards_say_with_time_to_read_the_new_card():
    for (_, body), name in zip(lesson_sections(), LESSON_PAGES):
        by_title = {title: (parenthesis, text) for title, parenthesis, text in exercise_items(body)}
        for exercise in content.notebook(name).exercises:
            if exercise.kind == "roleplay":
                parenthesis, text = by_title[exercise.title]
                read = exercise.read_minutes
                assert f"two rounds of {exercise.minutes} minutes" in text
                assert f"{read} minute to read the new card after the swap" in text
                pick, write = (int(re.search(rf"(\d+) minutes? to {what}", text)[1])
                               for what in ("pair up", "write"))
                total = int(re.search(r"(\d+) min$", parenthesis)[1])
                assert pick + 2 * (read + exercise.minutes) + write == total, exercise.title


def test_the_observer_card_in_the_guide_watches_what_the_cards_watch():
    said = flat(section(GUIDE, "## The lessons")).lower()
    assert "observer card" in said
    for watched in ("first words", 'offered before the "no"', "tone at the limit"):
        assert watched in said, watched


def test_one_weekly_slot_everywhere_the_guide_and_the_page_give_one():
    slot = weekly_journal().slot
    texts = {"the guide": flat(GUIDE), "the weekly page": flat(weekly_journal().story),
             "the commitments debrief": flat(" ".join(content.notebook("04_commitments").debrief))}
    for where, text in texts.items():
        lengths = set(re.findall(r"(\d+)[- ]minute (?:team |weekly )?slot|meets for (\d+) minutes", text))
        assert {int(a or b) for a, b in lengths} == {slot.minutes}, where
    for where in ("the guide", "the weekly page"):
        assert f"{slot.write} minutes to write" in texts[where], where
        assert f"{slot.together} minutes together" in texts[where], where
    follow_up = flat(section(GUIDE, "## The weekly follow-up"))
    for word in ("Owner", "Length", "Reminder", "Monthly report", "JupyterHub", "monthly scenario"):
        assert word.lower() in follow_up.lower()


def test_the_guide_names_each_weeks_question_in_the_order_the_page_asks_them():
    said = flat(section(GUIDE, "## The weekly follow-up")).lower()
    places = [said.find(theme.title.lower()) for theme in weekly_journal().rotation]
    assert -1 not in places and places == sorted(places)


def test_the_guide_tells_the_facilitator_to_fill_in_the_limits_card_with_the_fields_it_has():
    from extramile.content.workshop_choices import Limits

    prepare = section(GUIDE, "## What to prepare")
    block = prepare.split("**The limits card.**")[1].split("```yaml")[1].split("```")[0]
    fields = [line.split(":")[0].strip() for line in block.strip().splitlines()[1:]]
    assert fields == list(Limits.model_fields)
    assert all(f"{name}: {getattr(Limits(), name)}" in flat(block).replace('"', "") for name in fields)


def test_the_privacy_script_says_what_the_facilitator_sees_and_who_gets_the_report():
    script = flat(section(GUIDE, "## Signing in, and what to say about privacy")).lower()
    for seen in ("check-in scores", "answered each scenario", "habits", "commitments", "chose to share",
                 "report", "am i doing my best"):
        assert seen in script, seen
    assert "goes to" in script


@pytest.mark.parametrize("trouble", ["wrong team", "client isolation", "Restarting the server"])
def test_troubleshooting_covers(trouble):
    assert trouble.lower() in section(GUIDE, "## Troubleshooting").lower()


def words(text):
    return re.findall(r"[a-z0-9$']+", text.replace("\u2019", "'").lower())


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"source articles not found in {SEEDS_DIR}")
def test_the_guide_tells_the_stories_in_its_own_words():
    size = 16  # no run of more than 15 words copied from an article
    guide_words = words(GUIDE)
    runs = {tuple(guide_words[i:i + size]) for i in range(len(guide_words) - size + 1)}
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        seed_words = words(seed.read_text(encoding="utf-8"))
        for start in range(len(seed_words) - size + 1):
            assert tuple(seed_words[start:start + size]) not in runs, seed.name
