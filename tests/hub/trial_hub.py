"""A trial JupyterHub on 127.0.0.1: the shipped config, its proxy and the journal service, for tests and bench.

The hub runs hub/jupyterhub_config.py in trial mode (SimpleLocalProcessSpawner,
the first-use login form) with one addition, an admin token
(jupyterhub_test_config.py). The journal service is started here rather than
by the hub, with the same command line, so a test can stop it and start it
again, and it is up before the hub (which waits for an external service).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import free_port
from tests.hub.hubtools import FACILITATOR, http, missing, wait_until

REPO = Path(__file__).resolve().parents[2]
PROXY = REPO / "hub" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
TEST_CONFIG = Path(__file__).with_name("jupyterhub_test_config.py")
START_SECONDS = 180  # generous: CI's two cores may be busy


@dataclass
class JournalService:
    """The journal service process, as the hub would start it, under the fixture's control."""

    url: str
    env: dict
    store: Path
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "extramile", "journal-service", "--store", str(self.store)],
                env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        wait_until(lambda: http("GET", f"{self.url}/services/journal/health", timeout=2)[0] == 200,
                   START_SECONDS, "the journal service did not answer", self.log)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Hub:
    url: str  # the public address, no trailing slash
    admin_token: str
    journal: JournalService
    state: Path
    log: Path
    tokens: dict = field(default_factory=dict)

    @property
    def journal_url(self) -> str:
        """What a kernel gets as EXTRAMILE_JOURNAL_URL."""
        return f"{self.journal.url}/services/journal/"

    def api(self, method: str, path: str, body=None) -> tuple[int, dict]:
        return http(method, f"{self.url}/hub/api/{path}", self.admin_token, body)

    def user(self, name: str) -> None:
        status, _ = self.api("POST", f"users/{name}")
        assert status in (201, 409), status

    def token_for(self, name: str, scopes: list[str] | None = None) -> str:
        """A token of this user's (all their scopes unless narrowed), as a server of theirs would hold."""
        key = (name, tuple(scopes or ()))
        if key not in self.tokens:
            self.user(name)
            body = {"note": "hub tests", "expires_in": 3600}
            if scopes is not None:
                body["scopes"] = scopes
            status, reply = self.api("POST", f"users/{name}/tokens", body)
            assert status == 201, reply
            self.tokens[key] = reply["token"]
        return self.tokens[key]

    def start_server(self, name: str) -> str:
        """Spawn the user's single-user server and return its URL once it answers."""
        self.user(name)
        status, reply = self.api("POST", f"users/{name}/server")
        assert status in (201, 202, 400), reply  # 400: already running

        def ready():
            _, model = self.api("GET", f"users/{name}")
            server = model.get("servers", {}).get("", {})
            return server.get("ready") and server
        wait_until(ready, START_SECONDS, f"{name}'s server did not start", self.log)
        return f"{self.url}/user/{name}"


def require_hub_prerequisites() -> None:
    """The proxy (make hub-proxy) and jupyterhub (requirements-hub.txt): skip, or under CI=true fail."""
    if not PROXY.exists():
        missing(f"{PROXY} is missing: run `make hub-proxy` (npm ci in hub/proxy)")
    if shutil.which("jupyterhub", path=str(Path(sys.executable).parent)) is None:
        missing("jupyterhub is not installed in this virtualenv: pip install -r requirements-hub.txt")


@contextmanager
def trial_hub(root: Path) -> Iterator[Hub]:
    """A running hub whose state, store and logs live under `root`; stopped with everything it spawned."""
    public, hub_api, proxy_api, journal_port = (free_port() for _ in range(4))
    admin_token, service_token = secrets.token_hex(32), secrets.token_hex(32)
    env = {**os.environ,
           "EXTRAMILE_HUB_TRIAL": "1",
           "EXTRAMILE_HUB_URL": f"http://127.0.0.1:{public}",
           "EXTRAMILE_HUB_STATE": str(root / "state"),
           "EXTRAMILE_HUB_API_PORT": str(hub_api),
           "EXTRAMILE_PROXY_API_PORT": str(proxy_api),
           "EXTRAMILE_JOURNAL_PORT": str(journal_port),
           "EXTRAMILE_FACILITATORS": FACILITATOR,
           "EXTRAMILE_JOURNAL_SERVICE_TOKEN": service_token,
           "EXTRAMILE_TEST_ADMIN_TOKEN": admin_token,
           "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    env.pop("EXTRAMILE_JOURNAL_DIR", None)
    env.pop("EXTRAMILE_JOURNAL_URL", None)
    service_env = {**env,
                   "JUPYTERHUB_API_TOKEN": service_token,
                   "JUPYTERHUB_API_URL": f"http://127.0.0.1:{hub_api}/hub/api",
                   "JUPYTERHUB_SERVICE_NAME": "journal",
                   "JUPYTERHUB_SERVICE_PREFIX": "/services/journal/",
                   "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{journal_port}"}
    journal = JournalService(f"http://127.0.0.1:{journal_port}", service_env, root / "store",
                             root / "journal-service.log")
    log = root / "jupyterhub.log"
    journal.start()  # first: the hub waits for an external service it cannot reach
    try:
        with open(log, "wb") as out:
            process = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f", str(TEST_CONFIG)],
                                       env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
    except BaseException:
        journal.stop()
        raise
    hub = Hub(f"http://127.0.0.1:{public}", admin_token, journal, root / "state", log)
    try:
        wait_until(lambda: process.poll() is None and hub.api("GET", "")[0] == 200, START_SECONDS,
                   "JupyterHub did not answer", log)
        yield hub
    finally:
        journal.stop()
        stop_hub(process)


def stop_hub(process: subprocess.Popen, grace: float = 30) -> None:
    """SIGTERM lets the hub stop the servers it spawned and the proxy; then make sure all are gone."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
