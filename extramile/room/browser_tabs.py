"""The open tabs of the participant app, so a sign-in or sign-out in one reaches the others at once.

The app serves every tab from one process. Each tab is known here by its
token (signin.BrowserLink.tab), never by anything the browser chose. A
sign-out anywhere ends sessions in other browsers too, so every open page
checks its own session (tell_others). A sign-in in one tab reaches the other
tabs of the same browser through the browser itself: their script hears it
and asks the server, with the browser's cookie, to look again (follow), so a
page on another machine that shares a cookie value learns nothing. The board
holds only weak references: a closed tab's page is freed with its session.

The board is one per process (TABS), on purpose: a sign-in must reach tabs
of every virtual kernel, and Solara's reactive variables hold a value per
kernel, so they cannot carry it from one tab to another. Each tab's entry
keeps how to run code in that tab's own kernel context.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extramile.page import Page

log = logging.getLogger(__name__)

Runner = Callable[[Callable[[], None]], None]


@dataclass(frozen=True)
class _Tab:
    page: weakref.ReferenceType
    run: Runner  # how to run code in the tab's own context
    connected: Callable[[], bool]  # whether the browser holds the tab's socket open now


class BrowserTabs:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tabs: dict[str, _Tab] = {}

    def join(self, token: str, page: Page, run_in_tab: Runner, connected: Callable[[], bool] = lambda: True) -> None:
        """The tab `token` shows this page now (a new route replaces the last one)."""
        with self._lock:
            self._tabs[token] = _Tab(weakref.ref(page), run_in_tab, connected)

    def leave(self, token: str, page: Page) -> None:
        with self._lock:
            tab = self._tabs.get(token)
            if tab is not None and tab.page() in (page, None):
                del self._tabs[token]

    def _open(self) -> list[tuple[Page, _Tab]]:
        with self._lock:
            tabs = list(self._tabs.values())
        return [(page, tab) for tab in tabs if (page := tab.page()) is not None]

    def people_online(self) -> set[str]:
        """The names of the people with a signed-in page of this process open and connected now."""
        return {page.book.participant.name for page, tab in self._open()
                if page.book.participant is not None and tab.connected()}

    def participants_online(self) -> int:
        """How many different people have a signed-in page open and connected now (the console's "online now")."""
        return len(self.people_online())

    def follow(self, token: str, session: str | None) -> bool:
        """The browser of tab `token` showed its session cookie (or none): the tab follows it. False: no such tab."""
        with self._lock:
            tab = self._tabs.get(token)
        page = tab.page() if tab else None
        if page is None:
            return False
        tab.run(lambda: page.follow_browser(session))
        return True

    def tell_others(self, page: Page | None) -> None:
        """This page signed in or out: every other open page checks the session it holds and follows.

        None: a sign-out happened in another process (extramile/room/across_workers.py), every page checks.

        A sign-out may end the person's sessions in other browsers too, so every
        page looks (one small file read each).
        """
        for other, tab in self._open():
            if other is page:
                continue
            try:
                tab.run(other.follow_browser)
            except Exception:  # noqa: BLE001 - one broken tab must not stop the others following
                log.exception("A tab could not follow its browser's sign-in")


TABS = BrowserTabs()
