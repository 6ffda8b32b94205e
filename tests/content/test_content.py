"""The shipped workshop content: it loads, it is complete, it covers the articles, and it is ours.

Authors edit exercises/*.yaml by hand, so the tests also check that a broken file is
reported in a way an author can fix: file, exercise id and field.
"""

import ast
import re
from pathlib import Path

import pytest

from extramile.content import (
    EXERCISES_DIR,
    LESSONS,
    SETTINGS,
    ContentError,
    commitment_ideas,
    load_all,
    load_notebook_file,
)
from extramile.content.weekly_text import weekly_journal
from extramile.content.workshop_choices import every_habit, habit_list, habits, workshop
from extramile.participant.cards.roleplay import role_card

NOTEBOOKS = {
    "00_welcome": None,
    "01_notice_small_opportunities": "notice",
    "02_positive_mindset": "mindset",
    "03_never_an_inconvenience": "inconvenience",
    "04_commitments": None,
}
ID_PREFIX = {
    "00_welcome": "welcome-",
    "01_notice_small_opportunities": "notice-",
    "02_positive_mindset": "mindset-",
    "03_never_an_inconvenience": "inconvenience-",
    "04_commitments": "commit-",
}
SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"
MAX_COPIED_WORDS = 15  # no run of more words than this is copied from an article

# Each phrase proves that a story or list from one of the five articles made it into the content;
# the articles are named by the start of their file name in ../shared/seeds.
KEY_PHRASES = {
    "000": {  # Shep Hyken, Be Amazing or Go Home
        "months to find a customer": "the opening line: months to win, seconds to lose",
        "commonly attributed to the American football coach Vince Lombardi": "the opening line, as the book credits it",
        "FLAVORx": "the medicine-flavor story",
        "45 extra seconds": "the pharmacist's extra 45 seconds",
        "which pharmacy do you go back to": "the parent's question",
        "recognize the moments": "key point 1: recognize opportunities",
        "something very small": "key point 2: small things make the difference",
        "feel like an inconvenience": "key point 3: never an inconvenience",
        "no strings attached": "key point 3: no strings attached",
        "every customer, every time": "you don't have to go the extra mile every time",
    },
    "001": {  # Jeffrey Gitomer, the extra mile column
        "it is an attitude": "the extra mile is an attitude before a deed",
        "WOW": "the extra mile sparks a WOW",
        "co-worker": "the extra mile is for co-workers too",
        "react, respond": "react, respond, recover, add plus one",
        "plus one": "react, respond, recover, add plus one",
        "something goes wrong": "most extra miles start when something goes wrong",
        "self-inflicted": "bad days are self-inflicted",
        "lemonade": "when it rains lemons, make lemonade",
        "lemon squeezer": "a bowl of sugar and a lemon squeezer",
        "bowl of sugar": "a bowl of sugar and a lemon squeezer",
        "What is the real opportunity here?": "the first question",
        "How can I help?": "the second question",
        "Am I doing my best?": "the .5: am I doing my best",
        "extra-mile story": "one extra-mile story every week",
        "learn from it": "recognize it, document it, learn from it",
        "done best": "the loyalty formula: everyday things done best",
        "whenever possible": "the loyalty formula: extra mile whenever possible",
        "good to world class": "internal loyalty takes a company from good to world class",
        "every obstacle presents an opportunity": "the phrase Gitomer turns into a challenge",
        "the most important person in the world": "the extra mile comes from you, in his words",
        "because you make it work": "it works because you make it work",
        "will be telling them for you": "tell your stories until customers tell them for you",
    },
    "002": {  # The Habit of Going the Extra Mile
        "only two ways to compete": "two ways to beat the competition, as the post's view",
        "lost on price": "price buyers are not loyal",
        "pay a bit more": "customers pay more for good service after the sale",
        "$10,000": "one happy customer beats $10,000 of advertising",
        "farmer": "the natural law of increasing returns",
        "increasing returns": "the natural law of increasing returns",
        "golden opportunities": "service requests are not unpaid burdens",
        "unpaid": "service requests are not unpaid burdens",
        "first mile": "most salespeople won't go the first mile",
        "seven habits": "the list of seven suggestions",
        "breakfast or lunch": "habit 7: invite your best customers out",
        "five customers a day": "habit 1 at the article's rhythm: five calls a day",
        "every six months": "habit 5 at the article's rhythm: an article every six months",
        "handwritten thank-you": "habit 3: handwritten thank-you notes",
        "within the hour": "habit 2: reply within the hour",
        "top of the list": "habit 4: service requests first",
        "try a new way to serve customers": "habit 6: new ways to serve",
    },
    "003": {  # Karthik Reddy (16best), on Roger Simpson's blog: How to Really Go the Extra Mile?
        "Nordstrom": "the tire refund in Anchorage",
        "Anchorage": "the town the post gives",
        "tires": "the tire refund in Anchorage",
        "four decades": "people still talk about it four decades later",
        "kindness": "kindness, not a number",
        "not as a number": "kindness, not a number",
        "out of pocket": "the company was sometimes out of pocket",
        "how many people that man told": "how many people did he tell",
        "discount code": "promo codes are seen as the customer's right",
        "bare minimum": "ordinary good service is the bare minimum",
        "23 service stories": "the infographic of service stories",
    },
    "004": {  # Louise, Going the extra mile - even on foot!!!
        "cosmetic": "the present she could not find",
        "halfway": "walking to meet a colleague halfway",
        "relay": "the relay handover between branches",
        "cold juice": "the customer waits with a drink",
        "high heels": "the assistant set off on foot",
        "a rival chain is cheaper, yet she will always go back": "she returns although a rival chain is cheaper",
        "grateful for every customer": "be grateful for every customer",
        "a year or two": "referrals can take a year or two",
        "referrals": "valuable referrals will come",
        "givers will always gain": "the comment Louise quotes: givers gain",
    },
}
ALL_KEY_PHRASES = {phrase: idea for phrases in KEY_PHRASES.values() for phrase, idea in phrases.items()}

# American spelling throughout (as in most of the articles): these British forms are refused.
BRITISH = re.compile(r"\b\w*(recognis|apologis|organis|practis|favour|flavour|colour|behaviour|centre|tyre|cheque|"
                     r"programme|specialis|neighbour|honour|labour|prioritis|summaris|anonymis|licence|travell|"
                     r"cancell|whilst|catalogue|grey|synchronis|normalis|initialis|optimis|customis|minimis|maximis|"
                     r"criticis|utilis|authoris|finalis|memoris|modelling|labelled|labelling|signalling)\w*", re.I)
NOT_ENGLISH = ("aria-labelledby",)  # the HTML attribute's own spelling
REPO = EXERCISES_DIR.parent


def strings_in(value):
    """Every piece of text inside a dumped model, however deeply nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item)


def all_content_strings():
    dumped = [notebook.model_dump() for notebook in load_all().values()]
    dumped += [habit_list().model_dump(), weekly_journal().model_dump()]
    return list(strings_in(dumped))


def all_content_text():
    """All content as one lower-case string, line breaks folded so phrases match across lines."""
    return " ".join(" ".join(all_content_strings()).split()).lower()


def words(text):
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.findall(r"[a-z0-9$']+", text)


def write(directory, name, text):
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")


# --- the shipped content ------------------------------------------------------------------


def test_every_participant_notebook_has_content():
    notebooks = load_all()
    assert set(notebooks) == set(NOTEBOOKS)
    for name, lesson in NOTEBOOKS.items():
        assert notebooks[name].lesson == lesson, name
        assert (EXERCISES_DIR / f"{name}.yaml").is_file(), f"content for {name} must be in {name}.yaml"


@pytest.mark.parametrize("name", [name for name, lesson in NOTEBOOKS.items() if lesson])
def test_each_lesson_has_story_point_exercises_debrief_and_credits(name):
    lesson = load_all()[name]
    assert lesson.story.strip() and lesson.point.strip()
    assert len(lesson.exercises) >= 4
    assert lesson.sources and len(lesson.debrief) == 2
    assert lesson.sources and all(source.title.strip() and source.author.strip() for source in lesson.sources)
    kinds = {exercise.kind for exercise in lesson.exercises}
    assert {"reflection", "scenario", "reframe"} <= kinds, f"{name} should mix exercise kinds"


def test_lessons_are_the_three_the_design_names():
    assert {notebook.lesson for notebook in load_all().values()} - {None} == set(LESSONS)


def test_the_habit_check_comes_in_the_first_lesson():
    kinds = {exercise.kind for exercise in load_all()["01_notice_small_opportunities"].exercises}
    assert "habits" in kinds


def test_exercise_ids_are_unique_and_prefixed_by_their_notebook():
    seen = []
    for name, notebook in load_all().items():
        for exercise in notebook.exercises:
            assert exercise.id.startswith(ID_PREFIX[name]), exercise.id
            seen.append(exercise.id)
    assert len(seen) == len(set(seen))


def test_check_ins_are_taken_before_and_after():
    scales = {(exercise.measure, exercise.moment): (name, exercise.id)
              for name, notebook in load_all().items()
              for exercise in notebook.exercises if exercise.kind == "scale"}
    assert scales == {
        ("mindset", "before"): ("00_welcome", "welcome-mindset-before"),
        ("best", "before"): ("00_welcome", "welcome-best-before"),
        ("mindset", "after"): ("04_commitments", "commit-mindset-after"),
        ("best", "after"): ("04_commitments", "commit-best-after"),
    }


def test_every_scenario_option_explains_why():
    for notebook in load_all().values():
        for exercise in notebook.exercises:
            if exercise.kind == "scenario":
                for option in exercise.options:
                    assert len(words(option.feedback)) >= 15, (exercise.id, option.text)


def lessons():
    return {name: notebook for name, notebook in load_all().items() if notebook.lesson}


def of_kind(notebook, kind):
    return [exercise for exercise in notebook.exercises if exercise.kind == kind]


def test_no_option_gives_itself_away_by_its_length():
    for notebook in load_all().values():
        for scenario in of_kind(notebook, "scenario"):
            lengths = [len(words(option.text)) for option in scenario.options]
            assert max(lengths) <= 1.5 * min(lengths), (scenario.id, lengths)


# First-edition journals stored a scenario answer as the option's position (and its text, since
# reworded); so the option at each of those positions must still mean the same response.
FIRST_EDITION_POSITIONS = {
    "notice-price-or-service": ["match-the-price", "ask-how-it-is-going", "let-them-go", "defend-the-price"],
    "notice-out-of-stock": ["give-the-address", "walk-halfway", "order-it-in", "say-out-of-stock"],
    "mindset-snowed-in": ["standard-delay-email", "call-first-add-one", "wait-and-see", "promise-tomorrow"],
    "mindset-colleague-at-five": ["raise-a-ticket", "stay-and-fix", "help-with-a-sigh"],
    "inconvenience-closing-time": ["wrap-mention-closing", "wrap-and-thank", "wrap-suggest-earlier",
                                   "explain-the-rule"],
    "inconvenience-service-request": ["proposal-first", "reply-within-the-hour", "forward-to-support",
                                      "next-week"],
}


@pytest.mark.parametrize("scenario_id", sorted(FIRST_EDITION_POSITIONS))
def test_first_edition_answers_still_mean_the_response_they_chose(scenario_id):
    [scenario] = [e for nb in load_all().values() for e in nb.exercises if e.id == scenario_id]
    expected = FIRST_EDITION_POSITIONS[scenario_id]
    assert [option.id for option in scenario.options][:len(expected)] == expected
    for index, option_id in enumerate(expected):
        assert scenario.chosen({"choice": index, "option": "first-edition wording"}).id == option_id


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_option_ids_are_unique_within_each_scenario(name):
    for scenario in of_kind(load_all()[name], "scenario"):
        ids = [option.id for option in scenario.options]
        assert len(ids) == len(set(ids)), scenario.id


@pytest.mark.parametrize("name", [name for name, lesson in NOTEBOOKS.items() if lesson])
def test_each_lesson_has_a_real_dilemma_that_its_debrief_takes_up(name):
    lesson = load_all()[name]
    dilemmas = [scenario for scenario in of_kind(lesson, "scenario") if scenario.dilemma]
    assert dilemmas, f"{name} needs a scenario with no single best answer"
    debrief = " ".join(lesson.debrief).lower()
    assert any(dilemma.title.lower() in debrief for dilemma in dilemmas), f"{name}'s debrief skips the dilemma"
    for dilemma in dilemmas:
        assert "no single right answer" in dilemma.prompt.lower()
        for option in dilemma.options:
            feedback = option.feedback.lower()
            assert any(word in feedback for word in ("cost", "but", "risk", "trade-off")), (dilemma.id, option.id)


@pytest.mark.parametrize("name", [name for name, lesson in NOTEBOOKS.items() if lesson])
def test_each_lesson_is_set_in_at_least_three_workplaces(name):
    settings = {exercise.setting for exercise in load_all()[name].exercises if hasattr(exercise, "setting")}
    assert len(settings) >= 3, (name, settings)


def test_the_lessons_together_visit_every_setting_and_an_angry_customer():
    situated = [exercise for lesson in lessons().values() for exercise in lesson.exercises
                if hasattr(exercise, "setting")]
    assert {exercise.setting for exercise in situated} == set(SETTINGS)
    assert any(exercise.angry for exercise in situated)


def test_every_reframe_has_a_model_answer():
    reframes = [exercise for lesson in lessons().values() for exercise in of_kind(lesson, "reframe")]
    assert len(reframes) >= 3
    for reframe in reframes:
        assert len(words(reframe.model_answer)) >= 30, reframe.id


@pytest.mark.parametrize("name", ["02_positive_mindset", "03_never_an_inconvenience"])
def test_lessons_two_and_three_have_a_paired_role_play_with_a_reflection(name):
    [roleplay] = of_kind(load_all()[name], "roleplay")
    for role in (roleplay.customer, roleplay.staff):
        assert role.knows.strip() and role.wants.strip() and role.feels.strip()
    reflection = roleplay.reflection.lower()
    assert "welcome" in reflection and "inconvenience" in reflection
    assert "pair" in roleplay.prompt.lower() and "swap" in roleplay.prompt.lower()


def test_gitomers_weekly_story_is_credited_to_him_wherever_it_is_promised():
    for text in all_content_strings():
        flat = " ".join(text.split()).lower()
        if "extra-mile story" in flat and "every week" in flat:
            assert "gitomer" in flat, flat[:80]


def test_seven_habits_with_unique_ids_and_a_weekly_question():
    listed = habits()
    assert len(listed) == 7
    assert len({habit.id for habit in listed}) == 7
    for habit in listed:
        assert "?" in habit.weekly_prompt, habit.id


def test_habits_keep_the_articles_rhythm_in_the_lesson_and_the_weekly_journal():
    by_id = {habit.id: habit for habit in habits()}
    assert "five" in by_id["call-customers"].label and "a day" in by_id["call-customers"].label
    assert "five a day" in by_id["call-customers"].weekly_prompt
    article = by_id["send-an-article"]
    assert "six months" in article.label and "six months" in article.weekly_prompt
    assert "this week" not in article.weekly_prompt


def test_there_are_role_appropriate_alternatives_to_swap_in():
    listed = habit_list()
    assert len(listed.alternatives) >= 3
    assert all("?" in habit.weekly_prompt for habit in listed.alternatives)


def habits_dir(tmp_path, swaps):
    directory = tmp_path / "exercises"
    write(directory, "habits.yaml", (EXERCISES_DIR / "habits.yaml").read_text(encoding="utf-8"))
    write(directory, "workshop.yaml", swaps)
    return directory


def test_a_facilitator_can_swap_up_to_three_habits_which_keep_their_place(tmp_path):
    directory = habits_dir(tmp_path, "habit_swaps:\n  call-customers: offer-help-to-a-colleague\n"
                                     "  send-an-article: share-what-worked\n")
    swapped = [habit.id for habit in habits(directory)]
    assert swapped[0] == "offer-help-to-a-colleague" and swapped[4] == "share-what-worked"
    assert swapped[1:4] == [habit.id for habit in habits()][1:4] and len(swapped) == 7


def test_the_shipped_workshop_swaps_nothing():
    assert [habit.id for habit in habits()] == [habit.id for habit in habit_list().habits]


def test_four_swaps_are_refused(tmp_path):
    seven = [habit.id for habit in habit_list().habits]
    spare = [habit.id for habit in habit_list().alternatives]
    lines = "".join(f"  {old}: {new}\n" for old, new in zip(seven[:4], spare[:4]))
    with pytest.raises(ContentError, match=r"workshop\.yaml: field 'habit_swaps'"):
        workshop(habits_dir(tmp_path, "habit_swaps:\n" + lines))


@pytest.mark.parametrize("swap, named", [("call-customer: share-what-worked", "call-customer"),
                                         ("call-customers: golf-with-clients", "golf-with-clients")])
def test_a_swap_with_an_unknown_id_names_it(tmp_path, swap, named):
    with pytest.raises(ContentError, match=rf"workshop\.yaml: field 'habit_swaps': .*'{named}'"):
        workshop(habits_dir(tmp_path, f"habit_swaps:\n  {swap}\n"))


def test_a_team_that_does_not_sell_tracks_no_sales_habit_and_keeps_seven(tmp_path):
    directory = habits_dir(tmp_path, "teams:\n  Support desk:\n    sells: false\n")
    sales = {habit.id for habit in habit_list().habits if habit.sales}
    support = habits(directory, "support desk")
    assert len(support) == 7 and sales and not sales & {habit.id for habit in support}
    assert {habit.id for habit in habits(directory, "Blue")} >= sales, "other teams keep the article's seven"
    assert [h.id for h in every_habit(directory)][:7] == [h.id for h in habit_list().habits]


def test_a_team_that_does_not_sell_may_swap_any_number_of_habits(tmp_path):
    seven = [habit.id for habit in habit_list().habits if not habit.sales]
    spare = [habit.id for habit in habit_list().alternatives if not any(
        h.instead == habit.id for h in habit_list().habits)]
    lines = "".join(f"      {old}: {new}\n" for old, new in zip(seven, spare))
    directory = habits_dir(tmp_path, "teams:\n  Support:\n    sells: false\n    habit_swaps:\n" + lines)
    assert len(list(zip(seven, spare))) > 1
    assert not {h.id for h in habits(directory, "Support")} & set(seven[:len(spare)])


def test_a_team_that_sells_is_held_to_three_swaps_and_told_how_to_say_it_does_not_sell(tmp_path):
    seven = [habit.id for habit in habit_list().habits]
    spare = [habit.id for habit in habit_list().alternatives]
    lines = "".join(f"      {old}: {new}\n" for old, new in zip(seven[:4], spare[:4]))
    with pytest.raises(ContentError, match=r"workshop\.yaml: field 'teams\.Blue'.*sells: false"):
        workshop(habits_dir(tmp_path, "teams:\n  Blue:\n    habit_swaps:\n" + lines))


def test_a_habit_swapped_in_twice_for_a_team_is_refused_naming_the_team(tmp_path):
    twice = "teams:\n  Support:\n    sells: false\n    habit_swaps:\n      reply-within-the-hour: close-the-loop\n"
    with pytest.raises(ContentError, match=r"field 'teams\.Support\.habit_swaps': 'close-the-loop' would be tracked"):
        workshop(habits_dir(tmp_path, twice))


# --- the limits card ----------------------------------------------------------------------------

def copy_of_the_content(tmp_path, workshop_text):
    directory = tmp_path / "exercises"
    directory.mkdir()
    for path in EXERCISES_DIR.glob("*.yaml"):
        write(directory, path.name, path.read_text(encoding="utf-8"))
    write(directory, "workshop.yaml", workshop_text)
    return directory


def roleplays(directory):
    return [e for nb in load_all(directory).values() for e in nb.exercises if e.kind == "roleplay"]


def test_changing_the_limits_card_changes_what_the_staff_cards_say(tmp_path):
    shipped = [role_card(roleplay, "staff") for roleplay in roleplays(EXERCISES_DIR)]
    assert all("refund up to $50" in card for card in shipped)
    directory = copy_of_the_content(tmp_path, "limits:\n  currency: \"£\"\n  refund: 200\n  fee_waiver: 0\n"
                                              "  ask: the duty manager\n")
    changed = [role_card(roleplay, "staff") for roleplay in roleplays(directory)]
    assert all("refund up to £200" in card and "$50" not in card for card in changed)
    assert all("the duty manager" in card for card in changed)
    assert any("waive no fee" in card for card in changed)


def test_the_dilemmas_and_lesson_three_quote_the_limits_card(tmp_path):
    directory = copy_of_the_content(tmp_path, "limits:\n  free_job_minutes: 25\n  extra_minutes: 3\n")
    lessons = load_all(directory)
    dilemmas = " ".join(o.feedback for nb in lessons.values() for e in nb.exercises if getattr(e, "dilemma", False)
                        for o in e.options)
    assert "up to 25 minutes free of charge" in dilemmas and "up to 3 extra minutes" in dilemmas
    briefing = lessons["03_never_an_inconvenience"].story
    assert "- do a small job of up to 25 minutes free of charge" in briefing
    assert "- refund up to $50" in briefing, "a limit left out of workshop.yaml keeps its default"


def test_no_limits_section_means_the_default_card():
    assert workshop().limits.refund == 50 and workshop().limits.ask == "your team leader"


@pytest.mark.parametrize("limits, field", [("refund: -5", "limits.refund"),
                                           ("extra_minutes: lots", "limits.extra_minutes"),
                                           ("refnd: 40", "limits.refnd")])
def test_a_wrong_limit_is_named_by_its_field(tmp_path, limits, field):
    with pytest.raises(ContentError, match=rf"workshop\.yaml: field '{re.escape(field)}'"):
        workshop(habits_dir(tmp_path, f"limits:\n  {limits}\n"))


def test_a_lesson_naming_a_limit_the_card_does_not_have_is_named_by_exercise_and_field(tmp_path):
    directory = tmp_path / "exercises"
    text = one_exercise("extra-limit", "05_extra").replace("prompt: P", "prompt: Give {refnd}")
    write(directory, "05_extra.yaml", text)
    with pytest.raises(ContentError, match=r"05_extra\.yaml: exercise 'extra-limit', field 'prompt': \{refnd\}"):
        load_all(directory)


def test_commitment_ideas_offer_all_seven_habits():
    commitments = [exercise for exercise in load_all()["04_commitments"].exercises
                   if exercise.kind == "commitment"]
    assert len(commitments) == 1
    ideas = commitment_ideas(commitments[0])
    assert [habit.label for habit in habits()] == list(ideas[:7])
    assert any("real opportunity" in idea for idea in ideas)
    assert len(ideas) == len(set(ideas))


@pytest.mark.parametrize("phrase", sorted(ALL_KEY_PHRASES))
def test_every_story_and_list_from_the_articles_is_used(phrase):
    assert phrase.lower() in all_content_text(), f"missing {phrase!r}: {ALL_KEY_PHRASES[phrase]}"


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"source articles not found in {SEEDS_DIR}")
def test_every_article_has_its_stories_and_lists_accounted_for():
    seeds = {path.name[:3] for path in SEEDS_DIR.glob("*.txt")}
    assert seeds == set(KEY_PHRASES), "a new article needs its stories and lists listed in KEY_PHRASES"


def test_every_article_is_credited_by_title_and_author_where_it_is_used():
    credited = {(source.title, source.author) for nb in load_all().values() for source in nb.sources}
    authors = " ".join(author for _, author in credited)
    for author in ("Shep Hyken", "Jeffrey Gitomer", "unnamed blog author", "Karthik Reddy", "Louise"):
        assert author in authors, author
    assert not any(author.startswith("Roger Simpson") for _, author in credited), "the 16best post is Reddy's"


def words_people_read():
    """(where, text) for every piece of prose: documents, content files, pages' assets, and Python's strings."""
    documents = [REPO / "README.md", REPO / "facilitator_guide.md", REPO / "journal" / "README.md",
                 *EXERCISES_DIR.glob("*.yaml"), *(REPO / "extramile" / "templates").glob("*"),
                 *(REPO / "extramile" / "assets").glob("*"), *(REPO / "notebooks").glob("*.ipynb")]
    for path in documents:
        yield path.name, path.read_text(encoding="utf-8")
    for path in (REPO / "extramile").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield f"{path.name}:{node.lineno}", node.value


def test_spelling_is_american_throughout():
    found = []
    for where, text in words_people_read():
        for allowed in NOT_ENGLISH:
            text = text.replace(allowed, "")
        found += [f"{where}: {match[0]}" for match in BRITISH.finditer(text)]
    assert found == []


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"source articles not found in {SEEDS_DIR}")
def test_no_text_is_copied_at_length_from_an_article():
    size = MAX_COPIED_WORDS + 1
    copied = {}
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        seed_words = words(seed.read_text(encoding="utf-8"))
        for start in range(len(seed_words) - size + 1):
            copied.setdefault(tuple(seed_words[start:start + size]), seed.name)
    for text in all_content_strings():
        text_words = words(text)
        for start in range(len(text_words) - size + 1):
            run = tuple(text_words[start:start + size])
            assert run not in copied, f"copied from {copied[run]}: {' '.join(run)!r}"


# --- broken content is reported so an author can fix it ----------------------------------

SCENARIO_WITH_TWO_OPTIONS = """\
notebook: 05_extra
title: Extra
minutes: 5
exercises:
  - id: extra-two-options
    kind: scenario
    setting: retail
    title: Only two ways
    prompt: What would you do?
    situation: Something happens.
    options:
      - {id: one, text: One, feedback: Because.}
      - {id: two, text: Two, feedback: Because.}
"""

SCENARIO_WITH_A_REPEATED_OPTION_ID = """\
notebook: 05_extra
title: Extra
minutes: 5
exercises:
  - id: extra-same-ids
    kind: scenario
    setting: retail
    title: Twins
    prompt: What would you do?
    situation: Something happens.
    options:
      - {id: same, text: One, feedback: Because.}
      - {id: same, text: Two, feedback: Because.}
      - {id: other, text: Three, feedback: Because.}
"""

REFRAME_WITHOUT_MODEL_ANSWER = """\
notebook: 05_extra
title: Extra
minutes: 5
exercises:
  - id: extra-no-model
    kind: reframe
    setting: phone
    title: Look again
    prompt: Look again.
    situation: Something went wrong.
"""

REFRAME_WITHOUT_SITUATION = """\
notebook: 05_extra
title: Extra
minutes: 5
exercises:
  - id: extra-no-situation
    kind: reframe
    setting: retail
    title: Nothing went wrong
    prompt: Look again.
    model_answer: One way to see it.
"""


def one_exercise(exercise_id, notebook):
    return f"""\
notebook: {notebook}
title: T
minutes: 5
exercises:
  - id: {exercise_id}
    kind: reflection
    title: T
    prompt: P
"""


@pytest.mark.parametrize("text, exercise, field", [
    (SCENARIO_WITH_TWO_OPTIONS, "extra-two-options", "options"),
    (REFRAME_WITHOUT_SITUATION, "extra-no-situation", "situation"),
    (SCENARIO_WITH_A_REPEATED_OPTION_ID, "extra-same-ids", "options"),
    (REFRAME_WITHOUT_MODEL_ANSWER, "extra-no-model", "model_answer"),
], ids=["scenario with two options", "reframe without situation", "repeated option id",
        "reframe without model answer"])
def test_a_broken_exercise_is_named_by_file_exercise_and_field(tmp_path, text, exercise, field):
    directory = tmp_path / "exercises"
    write(directory, "05_extra.yaml", text)
    with pytest.raises(ContentError, match=rf"05_extra\.yaml: exercise '{exercise}', field '{field}'"):
        load_all(directory)


def test_duplicate_exercise_id_names_both_files_and_the_id(tmp_path):
    directory = tmp_path / "exercises"
    write(directory, "a_first.yaml", one_exercise("same-id", "a_first"))
    write(directory, "b_second.yaml", one_exercise("same-id", "b_second"))
    with pytest.raises(ContentError) as caught:
        load_all(directory)
    message = str(caught.value)
    assert "b_second.yaml" in message
    assert "same-id" in message
    assert "a_first.yaml" in message


def test_a_habit_list_that_is_not_seven_long_is_refused(tmp_path):
    directory = tmp_path / "exercises"
    write(directory, "habits.yaml",
          "habits:\n  - {id: only-one, label: One, weekly: tick, weekly_prompt: \"Did you?\"}\n")
    with pytest.raises(ContentError) as caught:
        habits(directory)
    message = str(caught.value)
    assert "habits.yaml" in message
    assert "field 'habits'" in message



def test_a_missing_or_unknown_kind_names_the_field(tmp_path):
    (tmp_path / "x.yaml").write_text(
        "notebook: x\ntitle: t\nminutes: 3\nexercises:\n  - id: x-one\n    kind: bogus\n    title: t\n    prompt: p\n")
    with pytest.raises(ContentError, match=r"x\.yaml: exercise 'x-one', field 'kind'"):
        load_notebook_file(tmp_path / "x.yaml")


def test_a_file_whose_notebook_name_differs_from_its_file_name_is_refused(tmp_path):
    (tmp_path / "x.yaml").write_text("notebook: y\ntitle: t\nminutes: 3\n")
    with pytest.raises(ContentError, match=r"x\.yaml: field 'notebook'"):
        load_notebook_file(tmp_path / "x.yaml")
