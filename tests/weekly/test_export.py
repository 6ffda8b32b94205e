"""Exporting my journal: everything I wrote, in Markdown and in one HTML page, with my text shown as typed."""

import base64
import re
from datetime import date

from extramile import content
from extramile.content import weekly_text, workshop_choices
from extramile.store.journal import Journal
from extramile.weekly.export import download_link, file_name, outline, to_html, to_markdown
from tests.conftest import Shown

TODAY_WEEK = "2026-W48"
STORY = {"week": TODAY_WEEK, "happened": "A customer wrote <script>alert('x')</script> in the form",
         "did": "I called & explained", "learned": "Line one\nline two"}


def write(journal, exercise, answer, kind, shared=False, lesson=None, participant="Zoë"):
    return journal.append(participant=participant, team="Blue", kind=kind, lesson=lesson, exercise=exercise,
                          answer=answer, shared=shared)


def a_journal(journal):
    write(journal, "weekly-story", STORY, "weekly", shared=True)
    write(journal, "weekly-story", {"week": "2026-W46", "happened": "older story", "did": "", "learned": ""},
          "weekly")
    write(journal, "weekly-checkin", {"week": TODAY_WEEK, "best": 8, "mindset": 6}, "checkin")
    write(journal, "weekly-habits", {"week": TODAY_WEEK, "values": {"call-customers": 4,
                                                                     "service-requests-first": True}}, "habit")
    commitment = write(journal, "weekly-commitment", {"week": "2026-W46", "idea": "Send a handwritten thank-you note",
                                                      "action": "Two notes", "check_by": "2026-11-22"}, "commitment")
    write(journal, "weekly-commitment-review", {"week": TODAY_WEEK, "commitment": commitment["id"],
                                                "status": "partly"}, "commitment")
    first_reflection = next(e for nb in content.load_all().values() for e in nb.exercises if e.kind == "reflection")
    write(journal, first_reflection.id, {"text": "my workshop answer"}, "exercise", lesson="notice")
    return Journal(journal.directory).entries("Zoë"), first_reflection


def rendered(journal):
    entries, reflection = a_journal(journal)
    parts = outline(entries)
    today = date(2026, 11, 26)
    return to_markdown(parts, "Zoë", "Blue", today), to_html(parts, "Zoë", "Blue", today), reflection


def test_a_script_in_a_story_comes_out_as_text_in_the_html(journal):
    _markdown, page, _ = rendered(journal)
    document = Shown(page)
    assert "script" not in document.tags
    assert "A customer wrote <script>alert('x')</script> in the form" in document.text
    assert "I called & explained" in document.text


def test_the_html_page_is_self_contained(journal):
    _markdown, page, _ = rendered(journal)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_markdown_shows_markup_as_typed_and_keeps_line_breaks(journal):
    markdown, _page, _ = rendered(journal)
    assert "\\<script\\>alert('x')\\</script\\>" in markdown
    assert "I called \\& explained" in markdown
    assert "Line one  \nline two" in markdown


def test_everything_written_is_there_newest_week_first_then_the_workshop(journal):
    markdown, page, reflection = rendered(journal)
    for text in (markdown, page):
        assert text.index("Week 48, 23") < text.index("Week 46, 9") < text.index("The workshop")
        assert "older story" in text and "my workshop answer" in text and reflection.title in text
        assert "Two notes" in text and "Partly" in text
        assert "8 / 10" in text and "6 / 10" in text
        assert "shared with my team" in text
    labels = {habit.id: habit.label for habit in workshop_choices.habits()}
    assert f"- **{labels['call-customers']}**: 4" in markdown
    assert f"- **{labels['service-requests-first']}**: yes" in markdown


def test_weeks_and_dates_are_written_as_dates_that_stay_true_later(journal):
    markdown, page, _ = rendered(journal)
    for text in (markdown, Shown(page).text):
        assert "Week 48, 23\u201329 Nov 2026" in text and "Week 46, 9\u201315 Nov 2026" in text
        assert "This week" not in text and "Last week" not in text
        assert "Sun 22 Nov 2026" in text and "2026-11-22" not in text and "2026-W4" not in text


def test_each_story_says_which_weeks_question_it_answered(journal):
    markdown, _page, _ = rendered(journal)
    theme = weekly_text.weekly_journal().theme_of(TODAY_WEEK).title
    assert f"My extra-mile story: {theme}" in markdown


def test_an_empty_journal_has_nothing_to_export(journal):
    assert outline([]) == []


def test_answers_to_exercises_no_longer_in_the_content_are_kept(journal):
    write(journal, "retired-exercise", {"text": "still mine"}, "exercise", lesson="notice")
    parts = outline(Journal(journal.directory).entries("Zoë"))
    assert "still mine" in to_markdown(parts, "Zoë", "Blue", date(2026, 11, 26))


def test_the_download_link_holds_the_whole_file(journal):
    link = download_link("journal.html", "<p>Zoë</p>", "text/html", "Download <it>")
    data = re.search(r'base64,([^"]+)"', link)[1]
    assert base64.b64decode(data).decode("utf-8") == "<p>Zoë</p>"
    [anchor] = Shown(link).attributes
    assert anchor["download"] == "journal.html" and Shown(link).text == "Download <it>" and Shown(link).tags == ["a"]


def test_file_names_are_readable_and_never_a_path():
    assert file_name("Zoë Müller", date(2026, 11, 26), "md") == "extramile-journal-zoe-muller-2026-11-26.md"
    assert "/" not in file_name("../../etc/passwd", date(2026, 11, 26), "html")
