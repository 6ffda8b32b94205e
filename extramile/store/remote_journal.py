"""The journal store (journal_store.JournalStore) over the journal service, for kernels under JupyterHub.

Pages, the weekly journal, the summary notebook and the report call
`entries`, `append`, `files` and `entries_in` on whatever journal they are
given; this class answers those calls through the service (see
extramile.hub.journal_service) with the kernel's own `JUPYTERHUB_API_TOKEN`, so
the same code runs unchanged under a hub, and the kernel never sees a file
another participant wrote. A save returns only once the service has fsync'ed
the entry, exactly as a local save does.

Only the standard library is used: every participant's kernel imports this.
Problems reach the participant as sentences (JournalError), never as a
traceback: a page that cannot reach the service says so and keeps the text.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import select
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import PurePath, PurePosixPath
from urllib.parse import quote, urlparse

from extramile.exceptions import JournalError
from extramile.names import clean_name
from extramile.store.journal import ReadProblems

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30  # a slow save that lands beats a false "not saved"
NOT_SAVED = "Your answer was not saved: the journal service is not answering. Your text is still here."
NOT_READ = ("Your saved answers cannot be shown just now: the journal service is not answering. "
            "Reload this page in a minute.")


class RemoteJournal:
    """Every journal the hub lets this user see, read and written through the journal service.

    Nothing of it is on this machine's disk, so `directory` is None: the
    room's files that live beside a local journal (passphrases, sessions, a
    team's first spelling) have no place here, and the hub signs people in.
    """

    directory = None

    def __init__(self, url: str, token: str | None = None, timeout: float = TIMEOUT_SECONDS) -> None:
        self.url = url.rstrip("/") + "/"
        self._prefix = urlparse(self.url).path or "/"
        self.problems = ReadProblems()
        self._token = token if token is not None else os.environ.get("JUPYTERHUB_API_TOKEN", "")
        self._connection = _KeptConnection(self.url, timeout)
        self._by_stem: dict[str, list[dict]] = {}
        self._last_own: dict[str, list[dict]] = {}
        _show_journal_errors_as_sentences()

    @property
    def location(self) -> str:
        return f"the journal service at {self.url}"

    def append(self, *, participant: str, team: str, kind: str, lesson: str | None = None,
               exercise: str | None = None, answer: object = None, shared: bool = False,
               replaces: str | None = None,
               precondition: Callable[[list[dict]], None] | None = None) -> dict:
        """Send one entry; return it once the service has it on disk.

        A callable cannot travel to the service, so `precondition` (two tabs
        must not both replace the same version) is checked here on the entries
        read just before (a page's AnswerBook re-reads before every save; a
        fresh read when nothing was read yet), and the service refuses, under
        its file lock, an entry whose `replaces` is no longer current; that
        refusal runs the precondition again on a fresh read, which then raises
        as it would on local files.
        """
        name = clean_name(participant)
        body = {"participant": name, "team": team, "kind": kind, "lesson": lesson, "exercise": exercise,
                "answer": answer, "shared": shared, "replaces": replaces, "replaces_current": True}
        try:
            data = json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except (TypeError, ValueError) as exc:
            raise JournalError(f"This answer cannot be saved as JSON ({exc}).") from exc
        if precondition is not None:
            known = self._last_own.get(name)
            precondition(list(known) if known is not None else self._fresh(name))
        try:
            entry = self._request("POST", "api/entries", data, unreachable=NOT_SAVED)["entry"]
        except _Stale:
            if precondition is not None:
                precondition(self._fresh(name))
            raise
        if name in self._last_own:  # what we know of our own journal now includes this save
            self._last_own[name] = [e for e in self._last_own[name] if e["id"] != replaces] + [entry]
        return entry

    def _fresh(self, name: str, unreachable: str = NOT_SAVED) -> list[dict]:
        """The participant's entries read now, never the copy kept for when the service is down."""
        reply = self._request("GET", f"api/entries?participant={quote(name)}", unreachable=unreachable)
        found = [e for journal in reply["journals"] if journal["participant"] == name for e in journal["entries"]]
        self._last_own[name] = found
        return list(found)

    def entries(self, participant: str) -> list[dict]:
        """The participant's current entries, oldest first (their own, or what the service lets us see).

        When the service stops answering, the last entries read are returned, so a
        save can go on to say plainly that it was not saved (a page that was never
        read says it cannot show the answers).
        """
        name = clean_name(participant)
        try:
            return self._fresh(name, NOT_READ)
        except _Unreachable:
            if name in self._last_own:
                log.warning("Journal service not answering; using the entries read before.")
                return list(self._last_own[name])
            raise

    def participants(self) -> list[str]:
        return sorted(entries[0]["participant"] for entries in self._read_all().values() if entries)

    def read_all(self) -> Iterator[dict]:
        for entries in self._read_all().values():
            yield from entries

    def files(self) -> list[PurePosixPath]:
        """One name per visible journal (its stem and .jsonl, as on the service's disk); one request reads them all."""
        return [PurePosixPath(f"{stem}.jsonl") for stem in sorted(self._read_all())]

    def entries_in(self, path: PurePath) -> list[dict]:
        """Entries of one journal named by `files()`, from the request `files()` made."""
        return list(self._by_stem.get(path.stem, []))

    def _read_all(self) -> dict[str, list[dict]]:
        reply = self._request("GET", "api/entries", unreachable=NOT_READ)
        self._by_stem = {journal["stem"]: journal["entries"] for journal in reply["journals"]}
        for skipped in reply.get("skipped", []):
            self.problems.add(PurePosixPath(skipped["file"]), skipped["line"], skipped["reason"])
        return self._by_stem

    def _request(self, method: str, route: str, data: bytes | None = None, *, unreachable: str) -> dict:
        headers = {"Authorization": f"token {self._token}", "Content-Type": "application/json",
                   "Accept": "application/json"}
        try:
            status, body = self._connection.exchange(method, self._prefix.rstrip("/") + "/" + route, data, headers)
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            log.warning("Journal service at %s not answering: %s", self.url, exc)
            raise _Unreachable(unreachable) from None
        if status >= 400:
            message = _message_in(body)
            if message is None:  # not the service speaking: a proxy or the hub with the service gone
                raise _Unreachable(unreachable)
            raise (_Stale if status == 409 else JournalError)(message)
        try:
            return json.loads(body)
        except ValueError:
            raise _Unreachable(unreachable) from None


class _KeptConnection:
    """One HTTP connection to the service, kept open between saves.

    A save then costs one round trip on an open socket instead of a new
    connection each time: under a hub of busy kernels that handshake, and the
    service's accepting it, were most of what a remote save cost beyond the
    fsync. A connection the service has closed meanwhile (idle, or a restart)
    is seen before sending and replaced. A read that still meets a closed
    connection is asked once more; a save is never sent twice, since the
    service may have stored the first one. Kernels may save from more than one
    thread (a timer, a button), so one exchange at a time.
    """

    def __init__(self, url: str, timeout: float) -> None:
        parts = urlparse(url)
        self._kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port
        self._timeout = timeout
        self._open: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()

    def exchange(self, method: str, path: str, data: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
        with self._lock:
            if self._open is not None and _closed_by_peer(self._open.sock):
                self._close()
            reused = self._open is not None
            try:
                return self._send(method, path, data, headers)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._close()
                if not reused or method != "GET":
                    raise
                return self._send(method, path, data, headers)
            except BaseException:
                self._close()
                raise

    def _send(self, method: str, path: str, data: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
        if self._open is None:
            self._open = self._kind(self._host, self._port, timeout=self._timeout)
            self._open.connect()
            self._open.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._open.request(method, path, body=data, headers=headers)
        response = self._open.getresponse()
        body = response.read()
        if response.will_close:
            self._close()
        return response.status, body

    def _close(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None


def _closed_by_peer(sock: socket.socket | None) -> bool:
    """An idle kept connection has nothing to read unless the other end closed it (or broke the protocol)."""
    if sock is None:
        return True
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


class _Unreachable(JournalError):
    """The service did not answer (down, restarting, or the network between)."""


class _Stale(JournalError):
    """The service refused an entry whose `replaces` another save had already replaced."""


def _message_in(body: bytes) -> str | None:
    try:
        message = json.loads(body).get("message")
    except (ValueError, AttributeError):
        return None
    return message if isinstance(message, str) and message else None


def _show_journal_errors_as_sentences() -> None:
    """In a notebook, a JournalError that reaches the top shows its sentence, not a traceback."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    if shell is None or getattr(shell, "_extramile_sentences", False):
        return

    def show(shell: object, etype: type, value: BaseException, tb: object, tb_offset: int | None = None) -> None:
        from IPython.display import HTML, display
        from markupsafe import Markup

        display(HTML(Markup('<p class="em-status em-error" role="alert">{}</p>').format(value)))

    shell.set_custom_exc((JournalError,), show)
    shell._extramile_sentences = True
