"""Whole HTML documents (the facilitator's report, a participant's export) from the templates in templates/.

One Jinja2 environment serves both, so both escape the same way: autoescaped,
every printed value without control characters (an old journal may still hold
an ESC or a NUL), and a name a template uses but nobody passed fails at once
instead of printing nothing. It is built on first use: every participant's
kernel imports the export, few ever export, and jinja2 costs them memory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from extramile.names import without_controls

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _printable(value: object) -> object:
    return value if isinstance(value, Markup) else without_controls(str(value))


@cache
def environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, finalize=_printable,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)
