"""The frame every exercise shares: title, prompt, its own fields, a save button and a status line.

Saving, the "Saved 09:42" confirmation, restoring on reload and showing a
failed save without losing the typed text happen here once, so every
exercise kind behaves the same way and is tested the same way. A card
remembers which saved version it shows, so a save after another tab's
says so instead of quietly forking the answer; and control characters
pasted into a text box (NUL, ESC...) are taken out before saving, with a
word in the confirmation.

When the person behind the page changes, restore(resync=True) also replaces
text the browser holds but has not sent (a box still being typed in), so one
person's words never stay on screen for the next. Words typed while signed
out survive the sign-in that follows (restore(keep_typed=True)): where a
saved answer differs, both stay in view and the participant picks one.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import ClassVar, Protocol

import ipywidgets as w
from markupsafe import Markup

from extramile.content import OPTIONAL
from extramile.content.answer_models import Answer
from extramile.exceptions import AnswerChanged, Incomplete, JournalError, NotSignedIn
from extramile.names import without_controls
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.lean_widgets import Button, Column, Row, Text

MAX_TEXT = 20_000
NOT_SIGNED_IN = NotSignedIn.MESSAGE
CHANGED = "Not saved yet: press Save to keep this change."
CHANGED_ELSEWHERE = ("This answer was changed in another tab: reload to see it. Your text is still here; "
                     "press Save again to keep this version instead.")
TYPED_SIGNED_OUT = "Not saved yet: you typed this while signed out. Press Save to keep it."
BOTH = ("You typed this while signed out. Your journal already holds another answer ({}){} "
        "Which one do you want to keep?")
UNSENT = "\u2063"  # a value no field holds, set for a moment so the browser replaces what it shows
_STATUS_NUMBERS = itertools.count()


class CardExercise(Protocol):
    """What a card needs of its exercise: the id its answers are saved under and the title it shows.

    Lesson exercises (content.py) and the weekly journal's fixed ones (WeeklyExercise) both are one.
    """

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...


def saved_label(at: str) -> str:
    """'Saved 09:42' today, 'Saved Tue 24 Nov, 09:42' on another day, in this machine's local time."""
    moment = datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone()
    if moment.date() == datetime.now().astimezone().date():
        return f"Saved {moment:%H:%M}"
    return f"Saved {moment:%a %d %b, %H:%M}"


def text_area(placeholder: str = "", rows: int = 4) -> w.Textarea:
    """A box that sends its text once, when the participant leaves it on the way to Save.

    Sent keystroke by keystroke, later keystrokes wait while an earlier one is in flight but a
    click does not (jupyter-widgets/ipywidgets#1382), so Save could store the text without its
    last words. Sent on leaving, nothing is in flight before the change, and it precedes the click.
    """
    return w.Textarea(placeholder=placeholder, rows=rows, continuous_update=False, layout=w.Layout(width="100%"))


def checked_text(value: str, what: str) -> str:
    """The text to save, without control characters, or Incomplete with a message saying what to change."""
    value = without_controls(value)
    if not value.strip():
        raise Incomplete(f"Please write something in {what} first; even one sentence counts.")
    if len(value) > MAX_TEXT:
        raise Incomplete(f"{what.capitalize()} is {len(value):,} characters long; please keep it under "
                         f"{MAX_TEXT:,}. Nothing was lost: shorten it and save again.")
    return value


def _title_html(exercise: CardExercise) -> Markup:
    """The card's title; an optional exercise says so beside it, so a team short of time knows it may skip it."""
    title = Markup("<h3>{}</h3>").format(exercise.title)
    if getattr(exercise, "optional", False):
        title += Markup('<div class="em-optional">{}</div>').format(OPTIONAL)
    return title


def paragraph(text: str, css_class: str = "em-prompt", layout: w.Layout | None = None) -> Text:
    """Words on a card; `layout` only for one that is hidden and shown."""
    return Text(Markup('<div class="{}">{}</div>').format(css_class, text), layout=layout)


class Card(w.VBox):
    """One exercise on the page. Subclasses add fields and say how to read and fill them.

    The page relies on `restore()` (after sign-in, or another week picked), `save()` and
    `save_button`; a subclass names its `answer_model` (extramile.content.answer_models: what the
    journal stores), provides `read`, `fill` and `clear`, and `match` where one exercise keeps
    several answers (one a week).
    """

    answer_model: ClassVar[type[Answer]]
    shareable: bool = False

    def __init__(self, exercise: CardExercise, book: AnswerBook, lesson: str | None,
                 fields: list[w.Widget]) -> None:
        self.exercise = exercise
        self.book = book
        self.lesson = lesson
        self.loaded_id: str | None = None  # the saved version the form shows, None when it started empty
        self.share = w.Checkbox(value=False, description="Share with my team", indent=False,
                                layout=w.Layout(width="auto", margin="0 1em 0 0"))
        self.save_button = Button(description="Save", button_style="primary", icon="check")
        self.status = Text()
        self.status.add_class("em-status-line")  # announced politely to screen readers (custom.js)
        self.save_button.on_click(lambda _button: self.save())
        self.both_note = Text()
        keep_typed = Button(description="Keep what I typed", button_style="primary", layout=w.Layout(width="auto"))
        keep_saved = Button(description="Use the answer in my journal", layout=w.Layout(width="auto"))
        keep_typed.on_click(lambda _button: self._keep_typed())
        keep_saved.on_click(lambda _button: self.restore())
        self.both = Column([self.both_note, Row([keep_typed, keep_saved], layout=w.Layout(flex_flow="row wrap"))],
                           layout=w.Layout(display="none"))
        footer = [self.share] if self.shareable else []
        footer += [self.save_button, self.status]
        super().__init__(
            [Text(_title_html(exercise)), *fields, self.both,
             Row(footer, layout=w.Layout(flex_flow="row wrap", align_items="center"))],
            layout=w.Layout(width="100%"),
        )
        self.add_class("em-card")
        self._filling = False
        self._touched = False  # a field changed since the form was last filled from the journal
        for field in _inputs(fields):
            field.observe(self._changed, names="value")
        self.restore()

    @property
    def kind(self) -> str:
        """The journal entry's kind the answer is saved under."""
        return self.answer_model.entry_kind

    def read(self) -> Answer:
        """The answer in the form; raises Incomplete."""
        raise NotImplementedError

    def fill(self, answer: Answer) -> None:
        """Put a saved answer back in the form."""
        raise NotImplementedError

    def saved(self, raw: object) -> Answer:
        """An answer as the journal holds it, read by this card's model: whatever does not fit is left out."""
        return self.answer_model.read(raw)

    def clear(self) -> None:
        """Empty the form (after signing out)."""
        raise NotImplementedError

    def match(self) -> dict | None:
        """Answer fields that pick which saved entry this card shows (the weekly journal's week)."""
        return None

    def summary(self, answer: Answer) -> str:
        """A saved answer in words, shown beside text typed while signed out; kinds that store ids say it better."""
        return " / ".join(text for name, _label in answer.words() if (text := getattr(answer, name)).strip())

    def _show(self, message: str, tone: str) -> None:
        """Every status is new markup, so the browser's "Not saved yet" beside the old one goes (custom.js)."""
        self.status.value = Markup('<span class="em-status em-{}" data-n="{}">{}</span>').format(
            tone, next(_STATUS_NUMBERS), message)

    def _changed(self, _change: dict) -> None:
        """A "Saved" confirmation must never stand beside an answer changed after that save."""
        if self._filling:
            return
        self._touched = True
        if "em-ok" in self.status.value:
            self._show(CHANGED, "warn")

    def restore(self, *, keep_typed: bool = False, resync: bool = False) -> None:
        """Fill the form from the journal; see the module's docstring for `keep_typed` and `resync`."""
        self._filling = True
        try:
            self.both.layout.display = "none"
            if keep_typed and self._touched and self._kept_typed():
                return
            if resync:
                for box in self._text_boxes():
                    box.value = UNSENT
            self._restore()
            for box in self._text_boxes():
                if box.value == UNSENT:
                    box.value = ""
            self._touched = False
        finally:
            self._filling = False

    def _kept_typed(self) -> bool:
        """After a sign-in: keep what was typed while signed out unless the journal holds just that."""
        entry = self.book.latest(self.exercise.id, self.match())
        try:
            if entry is not None and self.read().journal() == entry["answer"]:
                return False
        except Incomplete:
            pass
        self.loaded_id = entry["id"] if entry else None  # Save replaces the saved answer, knowingly
        if entry is None:
            self._show(TYPED_SIGNED_OUT, "warn")
            return True
        said = self.summary(self.saved(entry["answer"]))
        self.both_note.value = Markup('<p class="em-status em-warn">{}</p>').format(
            Markup(BOTH).format(saved_label(entry["at"]), Markup(": “{}”").format(_shortened(said)) if said else "."))
        self.both.layout.display = None
        self.status.value = ""
        return True

    def _keep_typed(self) -> None:
        self.both.layout.display = "none"
        self._show(TYPED_SIGNED_OUT, "warn")

    def _text_boxes(self) -> list[w.Widget]:
        return [box for box in _inputs(list(self.children)) if isinstance(box, w.Textarea | w.Text)
                and not isinstance(box, w.Password)]

    def _restore(self) -> None:
        entry = self.book.latest(self.exercise.id, self.match())
        self.loaded_id = entry["id"] if entry else None
        if entry is None:
            self.clear()
            self.share.value = False
            self.status.value = ""
            return
        self.fill(self.saved(entry["answer"]))
        self.share.value = bool(entry.get("shared"))
        self._show(saved_label(entry["at"]), "ok")

    def save(self) -> dict | None:
        """Save what is in the form; on any problem say so and leave the form as it is."""
        if not self.book.signed_in:
            self._show(NOT_SIGNED_IN, "warn")
            return None
        removed = self._remove_controls()
        try:
            answer = self.read().journal()
        except Incomplete as exc:
            self._show(str(exc), "warn")
            return None
        shared = self.shareable and self.share.value
        current = self.book.latest(self.exercise.id, self.match())
        if current and current["id"] == self.loaded_id and current["answer"] == answer \
                and bool(current.get("shared")) == shared:
            self._show(f"{saved_label(current['at'])}: nothing changed since.", "ok")
            return current
        try:
            entry = self.book.save(kind=self.kind, lesson=self.lesson, exercise=self.exercise.id,
                                   answer=answer, shared=shared, match=self.match(), loaded=self.loaded_id)
        except AnswerChanged as exc:
            self.loaded_id = exc.newest_id  # seen now: a second Save keeps this version
            self._show(CHANGED_ELSEWHERE, "warn")
            return None
        except JournalError as exc:
            self._show(str(exc), "error")
            return None
        self.loaded_id = entry["id"]
        self.both.layout.display = "none"
        self._touched = False
        note = f"; {removed} control character{'s' * (removed != 1)} taken out of the text" if removed else ""
        self._show(saved_label(entry["at"]) + (" and shared with your team" if shared else "") + note, "ok")
        return entry

    def _remove_controls(self) -> int:
        """Take control characters out of every text box on the card, so the form shows what is saved."""
        removed = 0
        for box in _inputs(list(self.children)):
            if isinstance(box, w.Textarea | w.Text) and isinstance(box.value, str):
                clean = without_controls(box.value)
                if clean != box.value:
                    removed += len(box.value) - len(clean)
                    box.value = clean
        return removed


def _shortened(text: str, most: int = 300) -> str:
    return text if len(text) <= most else text[:most].rstrip() + "…"


def _inputs(widgets: list[w.Widget]) -> list[w.Widget]:
    """Every field in a card that holds part of the answer (has a value), however deeply boxed."""
    found = []
    for widget in widgets:
        if isinstance(widget, w.Box):
            found += _inputs(list(widget.children))
        elif isinstance(widget, w.ValueWidget) and not isinstance(widget, (w.HTML, w.Label)):
            found.append(widget)
    return found
