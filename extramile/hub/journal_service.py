"""`python -m extramile journal-service`: the journal store as one JupyterHub service.

Under a hub every participant runs code of their choice, so no participant may
hold journal files: this process owns the store (the same fsync'ed JSON Lines
files as room mode, in a folder only it can read) and the hub tells it who is
calling (`jupyterhub.services.auth.HubAuth`, from the token a kernel sends).
What a caller may read is decided in extramile.hub.journal_access; a save is
answered only after the entry is on disk.

The routes, under the service's prefix (JUPYTERHUB_SERVICE_PREFIX):

- `GET  api/entries[?participant=NAME]`: the journals the caller may read;
- `POST api/entries`: append one entry to the caller's own journal;
- `GET  api/whoami`: who the hub says is calling, their team, and whether they read as a facilitator
  (a first check when setting up a hub: `curl -H "Authorization: token $JUPYTERHUB_API_TOKEN" ...`);
- `GET  health`: no sign-in, for tests and monitoring to wait on.

Tornado and jupyterhub are imported by this module only, so a kernel using
the remote journal never loads them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from pathlib import Path
from urllib.parse import urlparse

from jupyterhub.services.auth import HubAuth, HubAuthenticated, UserNotAllowed
from tornado import web
from tornado.httpserver import HTTPServer

from extramile.exceptions import ExtraMileError, JournalError
from extramile.hub.journal_access import Caller, visible_entries
from extramile.identity.teams import current_team
from extramile.names import clean_name, file_stem_for
from extramile.store.journal import Journal, ReadProblems, encode_entry, new_entry
from extramile.store.journal_store import default_directory

log = logging.getLogger(__name__)

FACILITATOR_SCOPE = "custom:extramile:facilitate"
DEFAULT_URL = "http://127.0.0.1:10101"
MAX_BODY = 256 * 1024  # one answer; a pasted essay fits, a flood does not
ENTRY_FIELDS = ("team", "kind", "lesson", "exercise", "answer", "shared", "replaces")


class Store:
    """The service's journal folder: reads for the access rules, appends off the event loop."""

    def __init__(self, directory: Path) -> None:
        self.journal = Journal(directory)

    def journals(self) -> dict[str, list[dict]]:
        """Every participant's current entries, by the name written in them.

        `problems` is emptied first, so it lists the lines skipped by this read
        only, however long the service runs.
        """
        self.journal.problems = ReadProblems()
        found = {}
        for path in self.journal.files():
            entries = self.journal.entries_in(path)
            if entries:
                found[entries[0]["participant"]] = entries
        return found

    def own(self, name: str) -> dict[str, list[dict]]:
        entries = self.journal.entries(name)
        return {name: entries} if entries else {}

    async def append(self, replaces_current: bool = False, **fields: object) -> dict:
        """Append off the event loop (fsync blocks for milliseconds; other callers keep moving).

        With `replaces_current`, an entry whose `replaces` is no longer a current
        entry (another tab saved a newer version first) is refused under the
        file's lock with Stale, as a local save's precondition would refuse it.
        """
        replaces = fields.get("replaces")

        def still_current(entries: list[dict]) -> None:
            if replaces and replaces not in {entry["id"] for entry in entries}:
                raise Stale()

        precondition = still_current if replaces_current and replaces else None  # a first answer reads nothing
        return await asyncio.get_running_loop().run_in_executor(
            None, lambda: self.journal.append(**fields, precondition=precondition))


class Stale(ExtraMileError):
    """The version an entry replaces was replaced meanwhile."""


class Refused(web.HTTPError):
    """A request we turn down on purpose; its message is a sentence for the participant."""


TROUBLE = ("The journal service had a problem (or could not reach the hub to check who you are), so nothing "
           "was read or saved. Try again in a minute; if it keeps happening, tell the facilitator.")


class JournalHandler(HubAuthenticated, web.RequestHandler):
    """Token-authenticated JSON; every refusal is a sentence in {"message": ...}."""

    def initialize(self, store: Store, hub_auth: HubAuth) -> None:
        self.store = store
        self.hub_auth = hub_auth

    async def prepare(self) -> None:
        """Ask the hub who holds this token (HubAuth caches the answer) before any route runs.

        Only users get in: a service's token (the idle culler's, say) has no journal.
        """
        model = await self.hub_auth.get_user(self, sync=False)
        try:
            allowed = self.check_hub_user(model) if model else None
        except UserNotAllowed:
            allowed = None
        self._hub_auth_user_cache = allowed if allowed and allowed.get("kind", "user") == "user" else None

    def caller(self) -> Caller:
        model = self.current_user
        if not model:
            raise Refused(403, "The hub did not recognize this server's token for the journal, so nothing was "
                               "read or saved. Log out of the hub and in again.")
        return Caller(model["name"], FACILITATOR_SCOPE in model.get("scopes", ()))

    def write_error(self, status_code: int, **kwargs: object) -> None:
        reason = kwargs.get("exc_info", (None, None))[1]
        if isinstance(reason, Refused):
            message = reason.log_message
        elif status_code >= 500:
            message = TROUBLE
        else:
            message = "The journal service could not understand this request, so nothing was read or saved."
        self.finish({"message": message})

    def check_xsrf_cookie(self) -> None:
        """Only tokens are accepted here (no cookies), so there is no cross-site request to forge."""


class EntriesHandler(JournalHandler):
    async def get(self) -> None:
        caller = self.caller()
        participant = self.get_argument("participant", None)
        try:
            participant = None if participant is None else clean_name(participant)
        except JournalError as exc:
            raise Refused(400, str(exc)) from None
        everyone = participant != caller.name
        try:
            if everyone:
                journals = visible_entries(caller, self.store.journals())
                if participant is not None:
                    journals = {k: v for k, v in journals.items() if k == participant}
            else:
                journals = self.store.own(caller.name)
        except JournalError as exc:
            raise Refused(503, str(exc)) from None
        body = {"journals": [{"participant": name, "stem": file_stem_for(name), "entries": entries}
                             for name, entries in sorted(journals.items())]}
        if caller.facilitator and everyone:  # lines this read skipped, for the summary's note
            body["skipped"] = [{"file": p.path.name, "line": p.line, "reason": p.reason}
                               for p in self.store.journal.problems.items]
        self.finish(body)

    async def post(self) -> None:
        caller = self.caller()
        if len(self.request.body) > MAX_BODY:
            raise Refused(413, "This answer is too long to save: please shorten it.")
        try:
            sent = json.loads(self.request.body or b"{}")
        except ValueError:
            sent = None
        if not isinstance(sent, dict) or not {"team", "kind"} <= sent.keys():
            raise Refused(400, "The answer did not arrive whole, so it was not saved. Your text is still here.")
        named = sent.get("participant", caller.name)
        if named != caller.name:
            raise Refused(403, "You can only save to your own journal.")
        fields = {"participant": caller.name, **{k: sent[k] for k in ENTRY_FIELDS if k in sent}}
        try:
            encode_entry(new_entry(**fields))  # refuse what cannot be stored before touching the disk
        except JournalError as exc:
            raise Refused(400, str(exc)) from None
        try:
            entry = await self.store.append(sent.get("replaces_current") is True, **fields)
        except Stale:
            raise Refused(409, "This answer was changed in another tab or window, so this version was not "
                               "saved. Your text is still here.") from None
        except JournalError as exc:
            raise Refused(503, str(exc)) from None
        self.set_status(201)
        self.finish({"entry": entry})


class WhoAmIHandler(JournalHandler):
    async def get(self) -> None:
        caller = self.caller()
        self.finish({"name": caller.name, "facilitator": caller.facilitator,
                     "team": current_team(self.store.journal.entries(caller.name))})


class HealthHandler(web.RequestHandler):
    def get(self) -> None:
        self.finish({"ok": True})


def make_app(store: Store, hub_auth: HubAuth, prefix: str) -> web.Application:
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    routes = {"store": store, "hub_auth": hub_auth}
    return web.Application([
        (f"{prefix}api/entries", EntriesHandler, routes),
        (f"{prefix}api/whoami", WhoAmIHandler, routes),
        (f"{prefix}health", HealthHandler),
    ])


def private_folder(directory: Path) -> Path:
    """The store, created if needed and closed to everyone but this service's OS user."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)
    return directory


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", type=Path,
                        default=default_directory(otherwise=Path("/var/lib/extramile/store/journal")),
                        help="the service's private journal folder (default: $EXTRAMILE_JOURNAL_DIR, "
                             "else /var/lib/extramile/store/journal)")
    parser.add_argument("--url", default=os.environ.get("JUPYTERHUB_SERVICE_URL") or DEFAULT_URL,
                        help=f"where to listen (default: $JUPYTERHUB_SERVICE_URL, else {DEFAULT_URL})")


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="[journal-service %(levelname)s %(asctime)s] %(message)s")
    if not os.environ.get("JUPYTERHUB_API_TOKEN"):
        print("journal-service: JUPYTERHUB_API_TOKEN is not set. Run it as a JupyterHub service "
              "(see hub/jupyterhub_config.py), which sets it.", file=sys.stderr)
        return 2
    store = Store(private_folder(args.store))
    hub_auth = HubAuth()
    address = urlparse(args.url)
    app = make_app(store, hub_auth, os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/journal/"))
    return asyncio.run(_serve(app, address.hostname or "127.0.0.1", address.port or 10101, store))


async def _serve(app: web.Application, host: str, port: int, store: Store) -> int:
    server = HTTPServer(app, max_body_size=MAX_BODY + 1024, xheaders=True)
    server.listen(port, host)
    log.info("Journal service on %s:%d, store %s", host, port, store.journal.directory)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    server.stop()
    return 0
