"""The shipped hub/jupyterhub_config.py, plus an admin token the tests drive the hub with.

Everything else (authenticator, roles, scopes, the journal service's route,
single-user settings) is the shipped configuration, so the tests exercise what
a facilitator deploys; the fixture in conftest.py picks trial mode or OS users.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides it)
load_subconfig(str(Path(__file__).resolve().parents[2] / "hub" / "jupyterhub_config.py"))  # noqa: F821

c.JupyterHub.services.append({"name": "test-admin", "api_token": os.environ["EXTRAMILE_TEST_ADMIN_TOKEN"]})
c.JupyterHub.load_roles.append({"name": "test-admin", "services": ["test-admin"], "scopes": ["admin:users",
                                "admin:servers", "tokens", "access:servers", "read:users", "admin:groups"]})
c.JupyterHub.log_level = "INFO"
# CI's two cores may be shared with other work: give a spawn time rather than fail it.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 240
