"""The open tabs of each browser, so a sign-in or sign-out in one reaches the others at once.

The app serves every tab from one process. Tabs of one browser share its
session cookie; this board finds them by a hash of it (never the cookie
itself) and asks each to follow, in that tab's own context. It holds only
weak references: a closed tab's page is freed with its session, and nothing
here outlives the pages it points to.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extramile.page import Page

log = logging.getLogger(__name__)

Runner = Callable[[Callable[[], None]], None]


def _key(browser_session: str) -> str:
    return hashlib.sha256(browser_session.encode()).hexdigest()


class BrowserTabs:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tabs: dict[str, weakref.WeakKeyDictionary] = {}

    def join(self, browser_session: str, page: Page, run_in_tab: Runner) -> None:
        """Register a tab's page with the way to run code in that tab's context."""
        with self._lock:
            self._tabs.setdefault(_key(browser_session), weakref.WeakKeyDictionary())[page] = run_in_tab

    def leave(self, browser_session: str, page: Page) -> None:
        key = _key(browser_session)
        with self._lock:
            tabs = self._tabs.get(key)
            if tabs is not None:
                tabs.pop(page, None)
                if not tabs:
                    del self._tabs[key]

    def participants_online(self) -> int:
        """How many different people have a signed-in page open now (the console's "online now")."""
        with self._lock:
            pages = [page for tabs in self._tabs.values() for page in tabs.keys()]
        return len({page.book.participant for page in pages if page.book.participant is not None})

    def tell_others(self, page: Page) -> None:
        """This page signed in or out: every other open page checks its own browser's session and follows.

        A sign-in changes only the tabs of the same browser; a sign-out may end
        the person's sessions in other browsers too, so every page looks (one
        small file read each).
        """
        with self._lock:
            others = [(other, run) for tabs in self._tabs.values() for other, run in tabs.items()
                      if other is not page]
        for other, run in others:
            try:
                run(other.follow_browser)
            except Exception:  # noqa: BLE001 - one broken tab must not stop the others following
                log.exception("A tab could not follow its browser's sign-in")
