"""Words, buttons and boxes without a Layout and a Style widget of their own, unless given one.

Every ipywidget makes a Layout widget for itself, and most a Style widget
too, whether or not anything ever sets them: a lesson page opened with some
420 widget models, a third of them such empty Layouts and Styles. Each is a
message to open at page load and memory held for as long as the tab is open,
which is what a crowd arriving at once runs out of (benchmarks/bench_crowd.py).
The browser's widget code skips a Layout or Style that is not there, so text,
a button or a box that never changes its box or style does without them; one
that does (hidden and shown, a width) is given its own `layout=`.
"""

from __future__ import annotations

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle
from traitlets import Instance


def _optional(kind: type[w.Widget]) -> Instance:
    return Instance(kind, allow_none=True, default_value=None).tag(sync=True, **w.widget_serialization)


class Text(w.HTML):
    layout = _optional(w.Layout)
    style = _optional(HTMLStyle)


class Button(w.Button):
    layout = _optional(w.Layout)
    style = _optional(w.ButtonStyle)


class Column(w.VBox):
    layout = _optional(w.Layout)


class Row(w.HBox):
    layout = _optional(w.Layout)
