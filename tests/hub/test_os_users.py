"""With one OS user per participant (the VM setup), the journal files themselves are out of a participant's reach.

As root only: the hub runs the shipped configuration as deployed on a VM
(first-use login with OS users created by LocalAuthenticator,
LocalProcessSpawner, the journal service started by the hub), so a
participant's kernel runs as their own OS user. Code in that kernel cannot
read the service's store, another participant's journal file or the hub's
database, and through the service it still reads only what the rules allow.

Each participant's server must be able to run the interpreter and read the
package, so the hub runs from a copy in /opt (see hub_install.py) with a
virtualenv built from /usr/bin/python3: the tests' own virtualenv lives under
a pyenv in /root, which no other user can enter.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import textwrap

import pytest

from extramile.names import file_stem_for
from extramile.store.remote_journal import RemoteJournal
from tests.conftest import free_port
from tests.hub.hub_install import INSTALL, install_for_os_users
from tests.hub.hubtools import http, wait_until
from tests.hub.kernels import run_code
from tests.hub.trial_hub import require_hub_prerequisites, stop_hub

pytestmark = [pytest.mark.skipif(os.geteuid() != 0, reason="needs root: creates OS users, as a VM hub does"),
              pytest.mark.timeout(900)]  # builds a virtualenv on first use
START_SECONDS = 180

PRYING = textwrap.dedent("""
    import json, os, pwd
    from extramile.store.journal_store import open_journal

    seen = {"uid": os.getuid(), "user": pwd.getpwuid(os.getuid()).pw_name}
    for what, path in {"store": STORE, "their_file": THEIR_FILE, "hub_db": HUB_DB}.items():
        try:
            with open(path, "rb") if what != "store" else os.scandir(path) as opened:
                seen[what] = "read"
        except PermissionError:
            seen[what] = "refused"
    journal = open_journal()
    seen["their_entries"] = [e["answer"] for e in journal.entries(THEM)]
    journal.append(participant=ME, team="Oak", kind="exercise", exercise="x", answer={"text": "mine"})
    seen["mine"] = [e["answer"] for e in journal.entries(ME)]
    print(json.dumps(seen))
""")


@pytest.fixture(scope="module")
def os_hub(tmp_path_factory):
    require_hub_prerequisites()
    venv, source = install_for_os_users()
    root = INSTALL / f"run-{secrets.token_hex(4)}"
    root.mkdir(mode=0o755)
    public, hub_api, proxy_api, journal_port = (free_port() for _ in range(4))
    admin_token = secrets.token_hex(32)
    names = [f"emt{secrets.token_hex(3)}", f"emt{secrets.token_hex(3)}"]
    env = {**os.environ, "EXTRAMILE_HUB_URL": f"http://127.0.0.1:{public}",
           "EXTRAMILE_HUB_STATE": str(root / "state"), "EXTRAMILE_JOURNAL_STORE": str(root / "store"),
           "EXTRAMILE_HUB_API_PORT": str(hub_api), "EXTRAMILE_PROXY_API_PORT": str(proxy_api),
           "EXTRAMILE_JOURNAL_PORT": str(journal_port), "EXTRAMILE_TEST_ADMIN_TOKEN": admin_token,
           "PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '')}"}
    for name in ("EXTRAMILE_HUB_TRIAL", "EXTRAMILE_JOURNAL_SERVICE_TOKEN", "EXTRAMILE_JOURNAL_DIR",
                 "EXTRAMILE_JOURNAL_URL", "VIRTUAL_ENV", "PYTHONPATH"):
        env.pop(name, None)
    log = root / "jupyterhub.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([str(venv / "bin" / "jupyterhub"), "-f",
                                    str(source / "tests" / "hub" / "jupyterhub_test_config.py")],
                                   env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{public}"
    try:
        wait_until(lambda: process.poll() is None and http("GET", f"{url}/hub/api/", admin_token)[0] == 200,
                   START_SECONDS, "the OS-user hub did not answer", log)
        wait_until(lambda: http("GET", f"http://127.0.0.1:{journal_port}/services/journal/health")[0] == 200,
                   START_SECONDS, "the hub did not start the journal service", log)
        yield {"url": url, "admin": admin_token, "names": names, "root": root, "log": log,
               "journal_url": f"http://127.0.0.1:{journal_port}/services/journal/"}
    finally:
        stop_hub(process, grace=40)
        for name in names:
            subprocess.run(["userdel", "--remove", name], capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


def token_for(hub, name: str) -> str:
    status, reply = http("POST", f"{hub['url']}/hub/api/users/{name}", hub["admin"])
    assert status in (201, 409), reply
    status, reply = http("POST", f"{hub['url']}/hub/api/users/{name}/tokens", hub["admin"], {"expires_in": 3600})
    assert status == 201, reply
    return reply["token"]


def start_server(hub, name: str) -> str:
    status, reply = http("POST", f"{hub['url']}/hub/api/users/{name}/server", hub["admin"])
    assert status in (201, 202), reply

    def ready():
        model = http("GET", f"{hub['url']}/hub/api/users/{name}", hub["admin"])[1]
        return model.get("servers", {}).get("", {}).get("ready")
    wait_until(ready, START_SECONDS, f"{name}'s server did not start", hub["log"])
    return f"{hub['url']}/user/{name}"


def test_a_participants_kernel_runs_as_their_os_user_and_cannot_open_the_journal_files(os_hub):
    me, them = os_hub["names"]
    their_token, my_token = token_for(os_hub, them), token_for(os_hub, me)
    theirs = RemoteJournal(os_hub["journal_url"], their_token)
    theirs.append(participant=them, team="Oak", kind="profile", answer={"team": "Oak"})
    theirs.append(participant=them, team="Oak", kind="exercise", exercise="x", answer={"text": "their secret"})

    store = os_hub["root"] / "store"
    code = "\n".join([f"STORE = {str(store)!r}", f"THEIR_FILE = {str(store / (file_stem_for(them) + '.jsonl'))!r}",
                      f"HUB_DB = {str(os_hub['root'] / 'state' / 'jupyterhub.sqlite')!r}",
                      f"ME, THEM = {me!r}, {them!r}", PRYING])
    seen = json.loads(run_code(start_server(os_hub, me), my_token, code))

    assert seen["user"] == me and seen["uid"] != 0
    assert seen["store"] == seen["their_file"] == seen["hub_db"] == "refused"
    assert seen["their_entries"] == []
    assert seen["mine"] == [{"text": "mine"}]
    assert oct(store.stat().st_mode & 0o777) == "0o700"
