"""JupyterHub for Extra Mile on one VM: OS users, the journal service, idle culling.

Run it as root from the Extra Mile virtualenv (see README, "Beyond one
machine"):

    jupyterhub -f hub/jupyterhub_config.py

Why each part is here:

- Participants' kernels never touch journal files: the journal store runs as
  the `journal` service, owns /var/lib/extramile/store/journal (mode 700), and every
  server gets EXTRAMILE_JOURNAL_URL so `open_journal()` talks to it with the user's
  own token. Facilitators hold the custom scope `custom:extramile:facilitate`
  through the `facilitators` group.
- FirstUseAuthenticator with the LocalAuthenticator mixin: a person picks a
  password on first login and gets an OS user, so one participant's files are
  out of another's reach. (NativeAuthenticator 1.3.0 fails to log in on
  JupyterHub 6.1.1.) `username_pattern` refuses system accounts.
- The first page is the welcome notebook rendered by Voila's server extension
  (`default_url`): participants see the same page as in the room, and
  JupyterLab is still one click away for those who want it.
- Single-user settings (kernel culling, no update checks) come from
  hub/singleuser/ through JUPYTER_CONFIG_PATH: JUPYTER_CONFIG_DIR would make
  Jupyter write there, which crashes a spawn from a read-only folder.
- Idle servers are stopped by jupyterhub-idle-culler after an hour; idle
  kernels inside a server after 20 minutes with no page open (as in the room).
  The hub stops a service with SIGINT and waits 30 s before a SIGTERM; the
  culler ends on SIGINT only if it was not started with SIGINT ignored (as
  `make hub &`, nohup or a service manager start the hub), so its command
  restores the default first: the hub then stops, services included, at once.
- Kernels talk to their server over TCP on loopback, Jupyter's default. If you
  switch them to ipc, give each user a short JUPYTER_RUNTIME_DIR of their own:
  a Unix socket's path must fit in 107 bytes.

Settings from the environment (defaults in brackets):

    EXTRAMILE_HUB_URL            public address [http://:8000]
    EXTRAMILE_HUB_STATE          database, cookie secret, pid files [/srv/extramile-hub]
    EXTRAMILE_JOURNAL_STORE      the service's journal folder [/var/lib/extramile/store/journal]
    EXTRAMILE_FACILITATORS       hub names in the facilitators group, comma-separated []
    EXTRAMILE_HUB_API_PORT, EXTRAMILE_PROXY_API_PORT, EXTRAMILE_JOURNAL_PORT  [8081, 8001, 10101]
    EXTRAMILE_HUB_TRIAL=1        try it without root: no OS users, SimpleLocalProcessSpawner
                                 (`make hub`; never for real participants: no isolation)
    EXTRAMILE_JOURNAL_SERVICE_TOKEN  set when you start the journal service yourself (another
                                 machine, a container, the tests): the hub then only routes to it
"""

import os
import stat
import sys
from pathlib import Path

from firstuseauthenticator import FirstUseAuthenticator
from jupyterhub.auth import LocalAuthenticator

c = get_config()  # noqa: F821 (JupyterHub provides it)

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
env = os.environ.get
TRIAL = env("EXTRAMILE_HUB_TRIAL") == "1"
STATE = Path(env("EXTRAMILE_HUB_STATE") or "/srv/extramile-hub")
STORE = env("EXTRAMILE_JOURNAL_STORE") or "/var/lib/extramile/store/journal"
JOURNAL_URL = f"http://127.0.0.1:{env('EXTRAMILE_JOURNAL_PORT') or 10101}"
FACILITATE = "custom:extramile:facilitate"
SYSTEM_ACCOUNTS = ("root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp",
                   "proxy", "www-data", "backup", "list", "irc", "gnats", "nobody", "systemd-.*", "messagebus",
                   "sshd", "_.*", "admin", "ubuntu", "debian", "postgres", "jupyterhub", "extramile.*")


class LocalFirstUseAuthenticator(LocalAuthenticator, FirstUseAuthenticator):
    """First login sets the password and creates the OS user the server runs as."""


def readable_by_everyone(path: Path) -> bool:
    """Every folder up to the interpreter can be entered by other users (a pyenv under /root cannot)."""
    path = path.resolve()
    return all(p.stat().st_mode & stat.S_IXOTH for p in [path, *path.parents])


STATE.mkdir(parents=True, exist_ok=True, mode=0o700)

# Addresses: the public one, the rest on loopback.
c.JupyterHub.bind_url = env("EXTRAMILE_HUB_URL") or "http://:8000"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("EXTRAMILE_HUB_API_PORT") or 8081)
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('EXTRAMILE_PROXY_API_PORT') or 8001}"
proxy = REPO / "hub" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
if proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(proxy)]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")

# Who may log in.
c.JupyterHub.authenticator_class = FirstUseAuthenticator if TRIAL else LocalFirstUseAuthenticator
c.FirstUseAuthenticator.dbm_path = str(STATE / "passwords.dbm")
c.Authenticator.allow_all = True
c.Authenticator.username_pattern = rf"^(?!(?:{'|'.join(SYSTEM_ACCOUNTS)})$)[a-z][a-z0-9_-]{{1,31}}$"
c.LocalAuthenticator.create_system_users = True

# Facilitators: a group, holding the service's facilitator scope through a role.
facilitators = [name.strip() for name in (env("EXTRAMILE_FACILITATORS") or "").split(",") if name.strip()]
c.JupyterHub.load_groups = {"facilitators": {"users": facilitators}}
c.JupyterHub.custom_scopes = {
    FACILITATE: {"description": "Read every journal as the Extra Mile summary and report need: counts, "
                                "ratings and shared answers, never the words of a private answer."},
}
c.JupyterHub.load_roles = [
    {"name": "user", "scopes": ["self", "access:services!service=journal"]},
    {"name": "extramile-facilitator", "scopes": [FACILITATE], "groups": ["facilitators"]},
    {"name": "idle-culler", "services": ["idle-culler"],
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
]

# The services: the journal store, and the culler.
CULLER_ENDING_ON_SIGINT = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
                           "from jupyterhub_idle_culler import main; main()")
journal = {"name": "journal", "url": JOURNAL_URL, "display": False}
if env("EXTRAMILE_JOURNAL_SERVICE_TOKEN"):
    journal["api_token"] = env("EXTRAMILE_JOURNAL_SERVICE_TOKEN")
else:
    journal["command"] = [sys.executable, "-m", "extramile", "journal-service", "--store", STORE]
c.JupyterHub.services = [
    journal,
    {"name": "idle-culler", "command": [sys.executable, "-c", CULLER_ENDING_ON_SIGINT, "--timeout=3600"]},
]

# Each participant's server: the kernel reaches the journal with the user's own token.
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = str(REPO / "notebooks")
c.Spawner.default_url = "/voila/render/00_welcome.ipynb"
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server",
                                 "access:services!service=journal", FACILITATE]
c.Spawner.environment = {
    "EXTRAMILE_JOURNAL_URL": f"{JOURNAL_URL}/services/journal/",
    "JUPYTER_CONFIG_PATH": str(REPO / "hub" / "singleuser"),
}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60

if TRIAL:
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
    c.Spawner.args = ["--allow-root"] if os.getuid() == 0 else []
else:
    for needed in (Path(sys.executable), REPO / "exercises", REPO / "notebooks"):
        if not readable_by_everyone(needed):
            sys.exit(f"{needed} cannot be reached by other users, so no participant's server could start. "
                     "Build the virtualenv from a Python every user can read (for example /usr/bin/python3, "
                     "not a pyenv under /root) and install Extra Mile in a folder they can read, such as /opt.")
