"""hub/z2jh-values.yaml says what hub/jupyterhub_config.py says, for Zero to JupyterHub on Kubernetes.

No cluster runs here. With EXTRAMILE_Z2JH_CHART naming the chart's folder
(its values.yaml and values.schema.json or .yaml), the values merged over the
chart's defaults are checked against the chart's schema, and rendered with
`helm template` when helm is on the PATH. Always, they must parse and name the
same service, scopes, roles, first page and culling as the VM configuration
the other hub tests run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

REPO = Path(__file__).resolve().parents[2]
VALUES = REPO / "hub" / "z2jh-values.yaml"
DOCKERFILE = REPO / "hub" / "Dockerfile"


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vm(tmp_path_factory):
    """The VM configuration as JupyterHub loads it (trial mode, so this Python need not be world-readable)."""
    settings = {"EXTRAMILE_HUB_STATE": str(tmp_path_factory.mktemp("vm-state")), "EXTRAMILE_HUB_TRIAL": "1"}
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        return PyFileConfigLoader("jupyterhub_config.py", path=str(REPO / "hub")).load_config()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name)
            else:
                os.environ[name] = value


def merged(defaults, ours):
    """Helm's merge of our values over the chart's defaults: dicts merge, everything else is replaced."""
    if isinstance(defaults, dict) and isinstance(ours, dict):
        return {**defaults, **{k: merged(defaults.get(k), v) for k, v in ours.items()}}
    return ours


def test_the_values_fit_the_charts_schema_when_the_chart_is_at_hand(values):
    chart = os.environ.get("EXTRAMILE_Z2JH_CHART")
    if not chart:
        assert set(values) <= {"hub", "singleuser", "cull", "proxy", "scheduling", "prePuller"}
        return
    import jsonschema

    chart = Path(chart)
    schema_file = next(p for p in (chart / "values.schema.json", chart / "values.schema.yaml") if p.exists())
    schema = yaml.safe_load(schema_file.read_text(encoding="utf-8"))
    defaults = yaml.safe_load((chart / "values.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(merged(defaults, values), schema)
    if shutil.which("helm"):
        done = subprocess.run([shutil.which("helm"), "template", "extramile", str(chart), "-f", str(VALUES)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "journal-service" in done.stdout


def test_the_journal_service_runs_beside_the_hub_with_its_own_store(values):
    hub = values["hub"]
    assert hub["services"]["journal"]["url"] == "http://hub:10101"
    (container,) = [c for c in hub["extraContainers"] if c["name"] == "journal"]
    assert container["command"][:4] == ["python", "-m", "extramile", "journal-service"]
    env = {e["name"]: e for e in container["env"]}
    assert env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"]["key"] == "hub.services.journal.apiToken"
    assert env["JUPYTERHUB_SERVICE_PREFIX"]["value"] == "/services/journal/"
    assert container["image"] == f"{values['singleuser']['image']['name']}:{values['singleuser']['image']['tag']}"
    assert {"port": 10101, "name": "journal", "targetPort": 10101} in hub["service"]["extraPorts"]


def test_scopes_roles_and_login_rules_match_the_vm(values, vm):
    config = values["hub"]["config"]
    assert config["Spawner"]["server_token_scopes"] == vm.Spawner.server_token_scopes
    assert config["JupyterHub"]["custom_scopes"].keys() == vm.JupyterHub.custom_scopes.keys()
    assert config["Authenticator"]["username_pattern"] == vm.Authenticator.username_pattern
    assert config["Authenticator"]["allow_all"] is vm.Authenticator.allow_all is True
    roles = {role["name"]: role for role in vm.JupyterHub.load_roles}
    for name, role in values["hub"]["loadRoles"].items():
        assert role["scopes"] == roles[name]["scopes"]
        assert role.get("groups") == roles[name].get("groups")
    assert config["JupyterHub"]["load_groups"].keys() == vm.JupyterHub.load_groups.keys()


def test_participants_land_on_the_same_page_and_idle_servers_stop_at_the_same_time(values, vm):
    singleuser = values["singleuser"]
    assert singleuser["defaultUrl"] == vm.Spawner.default_url
    assert singleuser["extraEnv"]["EXTRAMILE_JOURNAL_URL"].endswith("/services/journal/")
    assert vm.Spawner.environment["EXTRAMILE_JOURNAL_URL"].endswith("/services/journal/")
    assert singleuser["extraEnv"]["JUPYTER_CONFIG_PATH"].endswith("/hub/singleuser")
    (culler,) = [s for s in vm.JupyterHub.services if s["name"] == "idle-culler"]
    assert values["cull"] == {"enabled": True, "timeout": int(culler["command"][-1].split("=")[1])}


def test_the_image_holds_the_package_its_content_and_the_single_user_settings():
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    for needed in ("requirements-hub.txt", "COPY exercises", "COPY notebooks", "COPY hub/singleuser",
                   "pip install --no-cache-dir --no-deps -e /opt/extramile", "JUPYTER_CONFIG_PATH"):
        assert needed in dockerfile
    assert (REPO / "hub" / "singleuser" / "jupyter_server_config.json").is_file()
