"""The weekly journal as a team member uses it: this week's story, habits, check-in, commitments, trends, team."""

import base64
import json
import re
from datetime import date
from pathlib import Path

import pytest

from extramile import content
from extramile.content import weeks, workshop_choices
from extramile.identity.identity import Participant
from extramile.page import Page
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import NOT_SIGNED_IN
from extramile.participant.signin import BrowserLink
from extramile.store.journal import Journal
from extramile.weekly.weekly_page import SECTIONS, WeeklyJournalPage
from tests.conftest import Shown, sign_in

ZOE = Participant("Zoë", "Blue")
TODAY = date(2026, 11, 26)  # a Thursday
THIS_WEEK = "2026-W48"
LAST_WEEK = "2026-W47"
NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "weekly_journal.ipynb"


def open_weekly(journal, participant=ZOE, today=TODAY):
    return WeeklyJournalPage(AnswerBook(Journal(journal.directory), participant), Journal(journal.directory),
                         today=today)


def saved(journal, exercise, participant="Zoë"):
    return [e for e in Journal(journal.directory).entries(participant) if e["exercise"] == exercise]


def write_story(page, happened="A parcel went missing", did="I drove it over", learned="Small things count"):
    parts = page.story.parts
    parts["happened"].value, parts["did"].value, parts["learned"].value = happened, did, learned
    page.story.save_button.click()


def add(journal, exercise, answer, participant="Zoë", team="Blue", shared=False, kind=None, replaces=None):
    kinds = {"weekly-story": "weekly", "weekly-habits": "habit", "weekly-checkin": "checkin"}
    return journal.append(participant=participant, team=team, kind=kind or kinds.get(exercise, "commitment"),
                          exercise=exercise, answer=answer, shared=shared, replaces=replaces)


# --- this week's entries, in the journal format -------------------------------------------------

def test_the_story_is_saved_in_three_parts_for_this_week_and_private(journal):
    page = open_weekly(journal)
    write_story(page)
    assert "Saved" in page.story.status.value
    [entry] = saved(journal, "weekly-story")
    assert entry["kind"] == "weekly" and entry["lesson"] is None and entry["shared"] is False
    assert entry["answer"] == {"week": THIS_WEEK, "happened": "A parcel went missing", "did": "I drove it over",
                               "learned": "Small things count"}


def test_a_story_can_be_shared_with_the_team(journal):
    page = open_weekly(journal)
    page.story.parts["happened"].value = "Walked to meet a colleague halfway"
    page.story.share.value = True
    page.story.save_button.click()
    assert "shared with your team" in page.story.status.value
    assert saved(journal, "weekly-story")[0]["shared"] is True


def test_an_empty_story_is_refused_with_a_message(journal):
    page = open_weekly(journal)
    page.story.save_button.click()
    assert "Please write your story" in page.story.status.value
    assert saved(journal, "weekly-story") == []


def test_habits_are_saved_as_counts_and_ticks_as_each_habit_says(journal):
    page = open_weekly(journal)
    habits = workshop_choices.habits()
    counted = next(h for h in habits if h.weekly == "count")
    ticked = next(h for h in habits if h.weekly == "tick")
    page.habits.inputs[counted.id].value = 5
    page.habits.inputs[ticked.id].value = True
    page.habits.save_button.click()
    [entry] = saved(journal, "weekly-habits")
    assert entry["kind"] == "habit" and entry["answer"]["week"] == THIS_WEEK
    values = entry["answer"]["values"]
    assert set(values) == {h.id for h in habits}
    assert values[counted.id] == 5 and values[ticked.id] is True
    for habit in habits:
        assert type(values[habit.id]) is (int if habit.weekly == "count" else bool)


def test_the_check_in_saves_best_and_mindset(journal):
    page = open_weekly(journal)
    page.checkin.best.value, page.checkin.mindset.value = 8, 6
    page.checkin.save_button.click()
    [entry] = saved(journal, "weekly-checkin")
    assert entry["kind"] == "checkin"
    assert entry["answer"] == {"week": THIS_WEEK, "best": 8, "mindset": 6}


def test_a_new_commitment_is_saved_for_the_week_with_a_date_to_check_it(journal):
    page = open_weekly(journal)
    page.commitment.action.value = "Call Mrs Patel back before noon"
    page.commitment.save_button.click()
    [entry] = saved(journal, "weekly-commitment")
    assert entry["kind"] == "commitment"
    assert entry["answer"] == {"week": THIS_WEEK, "idea": page.commitment.idea.value,
                               "action": "Call Mrs Patel back before noon", "check_by": "2026-12-06"}


def test_reopening_the_page_shows_this_weeks_answers(journal):
    page = open_weekly(journal)
    write_story(page)
    page.checkin.best.value = 9
    page.checkin.save_button.click()
    again = open_weekly(journal)
    assert again.story.parts["did"].value == "I drove it over"
    assert again.checkin.best.value == 9 and "Saved" in again.checkin.status.value


# --- any past week ------------------------------------------------------------------------------

def test_a_past_week_can_be_filled_in_and_this_week_is_left_alone(journal):
    page = open_weekly(journal)
    write_story(page, happened="this week")
    page.weeks.pick("2026-W45")
    assert page.story.parts["happened"].value == "" and page.story.status.value == ""
    write_story(page, happened="three weeks ago")
    stories = {e["answer"]["week"]: e["answer"]["happened"] for e in saved(journal, "weekly-story")}
    assert stories == {THIS_WEEK: "this week", "2026-W45": "three weeks ago"}
    page.weeks.pick(THIS_WEEK)
    assert page.story.parts["happened"].value == "this week"


def test_correcting_a_past_week_replaces_only_that_weeks_entry(journal):
    add(journal, "weekly-checkin", {"week": "2026-W40", "best": 3, "mindset": 4})
    add(journal, "weekly-checkin", {"week": "2026-W41", "best": 7, "mindset": 7})
    page = open_weekly(journal)
    page.weeks.pick("2026-W40")
    assert page.checkin.best.value == 3
    page.checkin.best.value = 5
    page.checkin.save_button.click()
    current = {e["answer"]["week"]: e["answer"]["best"] for e in saved(journal, "weekly-checkin")}
    assert current == {"2026-W40": 5, "2026-W41": 7}


def test_the_week_picker_offers_this_week_first_a_year_back_and_ticks_written_weeks(journal):
    add(journal, "weekly-story", {"week": LAST_WEEK, "happened": "x", "did": "", "learned": ""})
    page = open_weekly(journal)
    values = [value for _label, value in page.weeks.dropdown.options]
    assert values[0] == THIS_WEEK and values[1] == LAST_WEEK and page.weeks.dropdown.value == THIS_WEEK
    assert len(values) == 53 and values == sorted(values, reverse=True)
    labels = {value: label for label, value in page.weeks.dropdown.options}
    assert labels[THIS_WEEK] == "This week (23\u201329 Nov 2026)"
    assert labels[LAST_WEEK] == "Last week (16\u201322 Nov 2026) \u2713"
    write_story(page)
    assert {value: label for label, value in page.weeks.dropdown.options}[THIS_WEEK].endswith("\u2713")
    assert page.weeks.dropdown.value == THIS_WEEK


def test_every_card_shows_which_week_it_is_about(journal):
    page = open_weekly(journal)
    page.weeks.pick(LAST_WEEK)
    for card in (page.story, page.habits, page.checkin):
        assert "16\u201322 Nov 2026" in card.week_tag.value
    assert "Last week" in page.team_week.value


def test_the_browsers_local_date_decides_which_week_is_this_week(journal):
    page = open_weekly(journal, today=date(2026, 11, 29))  # Sunday night on the server
    assert page.weeks.dropdown.value == THIS_WEEK
    page.weeks.browser_says("2026-11-29")
    assert page.weeks.current == THIS_WEEK
    page.weeks.browser_says("2026-11-30")  # already Monday where the participant is
    assert page.weeks.current == "2026-W49" and page.weeks.dropdown.value == "2026-W49"
    assert page.weeks.dropdown.options[0] == ("This week (30 Nov\u20136 Dec 2026)", "2026-W49")


def test_a_browser_date_does_not_move_a_week_the_participant_picked(journal):
    page = open_weekly(journal, today=date(2026, 11, 29))
    page.weeks.pick("2026-W40")
    page.weeks.browser_says("2026-11-30")
    assert page.weeks.current == "2026-W49" and page.weeks.dropdown.value == "2026-W40"


def test_a_nonsense_or_distant_browser_date_is_ignored(journal):
    page = open_weekly(journal)
    for value in ("", "yesterday", "1999-01-01", "<script>"):
        page.weeks.browser_says(value)
        assert page.weeks.current == THIS_WEEK


# --- commitments shown back ---------------------------------------------------------------------

def test_the_workshop_and_last_weeks_commitments_come_back_to_be_reviewed(journal):
    now = weeks.local_today()  # the workshop commitment is dated by the clock, so use the real week
    workshop = add(journal, "commit-my-commitments",
                   {"idea": "Handle service requests first", "action": "Answer tickets <b>before</b> e-mail",
                    "check_by": "2026-11-01"})
    weekly = add(journal, "weekly-commitment", {"week": weeks.shift(weeks.this_week(now), -1),
                                                "idea": "Send a handwritten thank-you note",
                                                "action": "Two notes to new customers", "check_by": "2026-11-29"})
    page = open_weekly(journal, today=now)
    assert [card.commitment["id"] for card in page.review_cards] == [workshop["id"], weekly["id"]]
    from_workshop, from_last_week = page.review_cards
    assert from_workshop.exercise.title == "From the workshop"
    about = Shown(from_workshop.children[1].value)
    assert "Answer tickets <b>before</b> e-mail" in about.text and "b" not in about.tags
    assert "Two notes to new customers" in from_last_week.children[1].value
    from_last_week.choice.value = "partly"
    from_last_week.save_button.click()
    [entry] = saved(journal, "weekly-commitment-review")
    assert entry["kind"] == "commitment"
    assert entry["answer"] == {"week": page.weeks.week, "commitment": weekly["id"], "status": "partly"}


def test_the_workshop_commitment_is_not_asked_about_before_the_workshop(journal):
    add(journal, "commit-my-commitments", {"idea": "x", "action": "y", "check_by": "2026-11-01"})
    page = open_weekly(journal, today=weeks.local_today())
    page.weeks.pick(weeks.shift(page.weeks.current, -3))
    assert page.review_cards == []


def test_a_commitment_kept_in_one_week_is_not_asked_about_again(journal):
    workshop = journal.append(participant="Zoë", team="Blue", kind="commitment", lesson=None,
                              exercise="commit-my-commitments",
                              answer={"idea": "Call customers to offer help", "action": "Five calls a day",
                                      "check_by": "2026-11-01"})
    page = open_weekly(journal, today=weeks.local_today())
    [card] = page.review_cards
    assert card.commitment["id"] == workshop["id"] and card.exercise.title == "From the workshop"
    card.choice.value = "kept"
    card.save_button.click()
    later = open_weekly(journal, today=weeks.monday(weeks.shift(page.weeks.current, 1)))
    assert later.review_cards == []
    assert "Nothing to look back on yet" in later.reviews.children[0].value


def test_only_the_latest_earlier_commitment_is_shown_back(journal):
    for week in ("2026-W44", "2026-W45", "2026-W46"):
        add(journal, "weekly-commitment", {"week": week, "idea": "x", "action": f"plan of {week}",
                                           "check_by": "2026-12-01"})
    page = open_weekly(journal)
    [card] = page.review_cards
    assert card.commitment["answer"]["week"] == "2026-W46"
    assert card.exercise.title == "From the week of 9\u201315 Nov 2026"
    page.weeks.pick("2026-W45")
    assert [c.commitment["answer"]["week"] for c in page.review_cards] == ["2026-W44"]


def test_a_commitment_shown_back_gives_its_date_as_people_write_it(journal):
    add(journal, "weekly-commitment", {"week": LAST_WEEK, "idea": "x", "action": "y", "check_by": "2025-07-04"})
    about = Shown(open_weekly(journal).review_cards[0].children[1].value).text
    assert "Check by Fri 4 Jul 2025" in about and "2025-07-04" not in about


def test_a_commitment_made_for_a_week_long_past_is_not_due_in_the_past(journal):
    page = open_weekly(journal)
    page.weeks.pick("2026-W40")
    assert page.commitment.check_by.value == date(2026, 12, 3)  # a week from today, not 13 days after W40
    page.commitment.action.value = "Late, but still mine"
    page.commitment.check_by.value = date(2026, 11, 25)
    page.commitment.save_button.click()
    assert "Wed 25 Nov 2026 has already passed" in page.commitment.status.value
    assert saved(journal, "weekly-commitment") == []


def test_a_review_needs_a_choice(journal):
    add(journal, "weekly-commitment", {"week": LAST_WEEK, "idea": "x", "action": "y", "check_by": "2026-12-01"})
    page = open_weekly(journal)
    page.review_cards[0].save_button.click()
    assert "Please choose Kept, Partly, Not yet first" in page.review_cards[0].status.value


# --- trends -------------------------------------------------------------------------------------

def test_week_one_shows_a_friendly_empty_state_and_no_charts(journal):
    page = open_weekly(journal)
    assert "Your trends start with your first saved week" in page.trends.value
    assert "<svg" not in page.trends.value


def test_trends_follow_what_is_saved_on_the_page(journal):
    page = open_weekly(journal)
    write_story(page)
    page.checkin.best.value = 7
    page.checkin.save_button.click()
    assert "<b>1</b> extra-mile story written" in page.trends.value
    assert "<b>1</b> week in a row with a story" in page.trends.value
    assert "<svg" not in page.trends.value and "<b>7</b>/10" in page.trends.value
    page.weeks.pick(LAST_WEEK)
    write_story(page)
    page.checkin.save_button.click()
    assert "<b>2</b> weeks in a row with a story" in page.trends.value
    assert "<polyline" in page.trends.value


def test_the_habit_heat_map_appears_once_habits_are_checked(journal):
    page = open_weekly(journal)
    page.habits.save_button.click()
    assert "My habits, week by week" in page.trends.value and page.trends.value.count("<svg") == 2


def three_years(journal, participant="Zoë", team="Blue"):
    """156 weeks up to this week: check-in, habits, a story most weeks, a commitment and its review."""
    habits = workshop_choices.habits()
    previous = None
    for number, week in enumerate(weeks.weeks_between(weeks.shift(THIS_WEEK, -155), THIS_WEEK)):
        add(journal, "weekly-checkin", {"week": week, "best": 1 + number % 10, "mindset": 10 - number % 10},
            participant=participant, team=team)
        add(journal, "weekly-habits", {"week": week, "values": {
            h.id: (number % 7 if h.weekly == "count" else number % 2 == 0) for h in habits}},
            participant=participant, team=team)
        if number % 5 != 4:
            add(journal, "weekly-story", {"week": week, "happened": f"story of {week}", "did": "d", "learned": "l"},
                participant=participant, team=team, shared=number % 3 == 0)
        if previous:
            add(journal, "weekly-commitment-review", {"week": week, "commitment": previous["id"],
                                                      "status": "partly"}, participant=participant, team=team)
        previous = add(journal, "weekly-commitment", {"week": week, "idea": "x", "action": f"plan {week}",
                                                      "check_by": "2026-12-01"}, participant=participant, team=team)


def test_three_years_of_weekly_entries_open_with_every_week_reachable(journal):
    three_years(journal)
    page = open_weekly(journal)
    values = [value for _label, value in page.weeks.dropdown.options]
    assert len(values) == 156 and values[-1] == weeks.shift(THIS_WEEK, -155)
    assert all(label.endswith("\u2713") for label, _value in page.weeks.dropdown.options)
    assert page.story.parts["happened"].value == f"story of {THIS_WEEK}"
    assert [c.commitment["answer"]["week"] for c in page.review_cards] == [LAST_WEEK]
    assert "<b>125</b> extra-mile stories written" in page.trends.value
    assert "<b>1</b> week in a row with a story" in page.trends.value  # week 155 of 156 had none
    assert "Thick lines" in page.trends.value
    first = values[-1]
    page.weeks.pick(first)
    assert page.story.parts["happened"].value == f"story of {first}"
    page.story.parts["learned"].value = "corrected three years later"
    page.story.save_button.click()
    [entry] = [e for e in saved(journal, "weekly-story") if e["answer"]["week"] == first]
    assert entry["answer"]["learned"] == "corrected three years later" and entry["replaces"]


def test_the_heat_map_covers_the_last_year_at_most(journal):
    three_years(journal)
    page = open_weekly(journal)
    heat_maps = page.trends.value.split("My habits, week by week</h4>")[1]
    wide, narrow = heat_maps.split('class="em-narrow"')
    for drawing, most in ((wide, 52), (narrow, 26)):
        titles = re.findall(r"<title>(Week \d+, [^<]+?): ", drawing)
        assert len(set(titles)) == most and titles[-1] == weeks.heading(THIS_WEEK)


# --- my team ------------------------------------------------------------------------------------

def test_my_team_shows_teammates_shared_stories_never_a_private_one(journal):
    add(journal, "weekly-story", {"week": THIS_WEEK, "happened": "OMAR SHARED", "did": "", "learned": ""},
        participant="Omar", shared=True)
    add(journal, "weekly-story", {"week": THIS_WEEK, "happened": "NADIA PRIVATE", "did": "", "learned": ""},
        participant="Nadia", shared=False)
    first = add(journal, "weekly-story", {"week": THIS_WEEK, "happened": "ARI UNSHARED", "did": "", "learned": ""},
                participant="Ari", shared=True)
    add(journal, "weekly-story", {"week": THIS_WEEK, "happened": "ARI NOW PRIVATE", "did": "", "learned": ""},
        participant="Ari", shared=False, replaces=first["id"])
    add(journal, "weekly-story", {"week": THIS_WEEK, "happened": "RED TEAM", "did": "", "learned": ""},
        participant="Rita", team="Red", shared=True)
    add(journal, "weekly-story", {"week": LAST_WEEK, "happened": "OMAR LAST WEEK", "did": "", "learned": ""},
        participant="Omar", shared=True)
    add(journal, "weekly-story", {"week": THIS_WEEK, "happened": "MY OWN", "did": "", "learned": ""}, shared=True)
    page = open_weekly(journal)
    wall = page.team.value
    assert "OMAR SHARED" in wall
    for hidden in ("NADIA PRIVATE", "ARI UNSHARED", "ARI NOW PRIVATE", "RED TEAM", "OMAR LAST WEEK", "MY OWN"):
        assert hidden not in wall
    page.weeks.pick(LAST_WEEK)
    assert "OMAR LAST WEEK" in page.team.value and "OMAR SHARED" not in page.team.value


def test_my_team_is_newest_first_and_escaped(journal):
    add(journal, "weekly-story", {"week": THIS_WEEK, "happened": "older", "did": "", "learned": ""},
        participant="Omar", shared=True)
    add(journal, "weekly-story", {"week": THIS_WEEK, "happened": "<img src=x onerror=alert(1)>", "did": "",
                                  "learned": ""}, participant="<b>Mallory</b>", shared=True)
    wall = open_weekly(journal).team.value
    seen = Shown(wall)
    assert seen.text.index("<b>Mallory</b>") < seen.text.index("older")
    assert "img" not in seen.tags and "b" not in seen.tags and "<img src=x onerror=alert(1)>" in seen.text


def test_my_team_has_a_friendly_empty_state(journal):
    assert "No shared stories for this week yet" in open_weekly(journal).team.value


# --- export -------------------------------------------------------------------------------------

def test_export_offers_markdown_and_html_downloads_of_everything_written(journal):
    page = open_weekly(journal)
    write_story(page, happened="<script>alert('x')</script>")
    page.export_button.click()
    links = re.findall(r'download="([^"]+)" href="data:([^;]+);charset=utf-8;base64,([^"]+)"',
                       page.export_links.value)
    assert [(name.rsplit(".", 1)[1], mime) for name, mime, _ in links] == [("md", "text/markdown"),
                                                                            ("html", "text/html")]
    markdown, page_html = (base64.b64decode(data).decode("utf-8") for _, _, data in links)
    assert "\\<script\\>" in markdown
    document = Shown(page_html)
    assert "script" not in document.tags and "<script>alert('x')</script>" in document.text


def test_export_of_an_empty_journal_says_so(journal):
    page = open_weekly(journal)
    page.export_button.click()
    assert "Nothing to export yet" in page.export_links.value


# --- on the page, signed in or not --------------------------------------------------------------

def build_page(journal, link=None):
    page = Page("weekly_journal", journal, link=link)
    shown = {name: page.weekly_section(name) for name in SECTIONS}
    return page, shown


def test_a_visitor_is_asked_to_sign_in_and_keeps_what_they_typed(journal):
    page, _shown = build_page(journal)
    weekly = page.weekly
    weekly.story.parts["happened"].value = "typed first"
    weekly.story.save_button.click()
    assert NOT_SIGNED_IN.split(".")[0] in weekly.story.status.value
    assert weekly.story.parts["happened"].value == "typed first"
    assert "Sign in to see the stories" in weekly.team.value
    weekly.export_button.click()
    assert "Sign in" in weekly.export_links.value


def test_signing_in_fills_every_section_and_signing_out_empties_them(journal):
    this_week = weeks.this_week()
    add(journal, "weekly-story", {"week": this_week, "happened": "mine", "did": "", "learned": ""})
    add(journal, "weekly-checkin", {"week": this_week, "best": 9, "mindset": 8})
    add(journal, "weekly-commitment", {"week": weeks.shift(this_week, -1), "idea": "x", "action": "y",
                                       "check_by": "2026-12-01"})
    add(journal, "weekly-story", {"week": this_week, "happened": "from Omar", "did": "", "learned": ""},
        participant="Omar", shared=True)
    page, _shown = build_page(journal)
    sign_in(page.bar)
    weekly = page.weekly
    assert weekly.story.parts["happened"].value == "mine" and weekly.checkin.best.value == 9
    assert len(weekly.review_cards) == 1 and "from Omar" in weekly.team.value
    assert "extra-mile story written" in weekly.trends.value
    page.bar.sign_out_button.click()
    assert weekly.story.parts["happened"].value == "" and weekly.review_cards == []
    assert "from Omar" not in weekly.team.value and "<svg" not in weekly.trends.value


def test_the_same_browser_opens_the_weekly_journal_signed_in(journal):
    welcome = Page("00_welcome", journal, link=BrowserLink())
    sign_in(welcome.bar)
    page, _shown = build_page(journal, link=BrowserLink(welcome.bar.link.session))
    assert page.book.participant.name == "Zoë"
    assert page.story().value.startswith("<p>Jeffrey Gitomer")
    assert "All lessons" in page.next_link().value


def test_the_commitments_page_leads_on_to_the_weekly_journal(journal):
    assert "weekly_journal.ipynb" in Page("04_commitments", journal).next_link().value


def test_the_week_section_asks_the_browser_for_its_date(journal):
    page, shown = build_page(journal)
    [box] = shown["week"]
    assert page.weekly.weeks.dropdown in box.children and page.weekly.weeks.browser_date in box.children
    assert "getDate()" in page.weekly.weeks.browser_date.template
    heard = []
    page.weekly.weeks.browser_says = heard.append
    page.weekly.weeks.browser_date.today = "2026-11-30"  # what the browser sends back
    assert heard == ["2026-11-30"]


def test_an_unknown_section_is_named_in_the_error(journal):
    page, _shown = build_page(journal)
    with pytest.raises(ValueError, match="trends"):
        page.weekly_section("trend")


def test_the_notebook_shows_every_section_in_order_and_nothing_else():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert 'start_page("weekly_journal")' in source
    assert re.findall(r'show_weekly\("([^"]+)"\)', source) == list(SECTIONS)


# --- the page's words ---------------------------------------------------------------------------

def test_the_weekly_page_content_is_not_a_lesson_and_loads_on_its_own():
    assert content.WEEKLY_NOTEBOOK not in content.load_all()
    text = content.notebook(content.WEEKLY_NOTEBOOK)
    assert text == content.weekly_journal() and text.title and text.sources
    assert text.trends.stories.of(1) != text.trends.stories.of(2)


def test_a_broken_weekly_page_file_names_the_file_and_the_field(tmp_path):
    source = (content.EXERCISES_DIR / "weekly_journal.yaml").read_text(encoding="utf-8")
    (tmp_path / "weekly_journal.yaml").write_text(source.replace("  tick: ", "  ticked: "), encoding="utf-8")
    with pytest.raises(content.ContentError, match=r"weekly_journal\.yaml: field 'habits\.tick'"):
        content.weekly_journal(tmp_path)
    assert content.load_all(tmp_path) == {}
