"""`make lab`: JupyterLab for facilitators starts as the Makefile says, with news and update checks off."""

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.conftest import free_port

REPO = Path(__file__).resolve().parent.parent


def test_make_lab_serves_jupyterlab_without_news(tmp_path):
    port = free_port()
    log = tmp_path / "lab.log"
    with open(log, "w") as output:
        lab = subprocess.Popen(["make", "-s", "lab", f"LAB_PORT={port}", f"EXTRAMILE_JOURNAL_DIR={tmp_path}"],
                               cwd=REPO, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        token = None
        deadline = time.monotonic() + 90
        while token is None and time.monotonic() < deadline and lab.poll() is None:
            time.sleep(0.5)
            found = re.search(rf"127\.0\.0\.1:{port}/lab\?token=(\w+)", log.read_text())
            token = found and found.group(1)
        assert token, log.read_text()[-2000:]
        base = f"http://127.0.0.1:{port}/lab/api"
        news = json.load(urllib.request.urlopen(f"{base}/news?token={token}", timeout=30))
        update = json.load(urllib.request.urlopen(f"{base}/update?token={token}", timeout=30))
        assert news == {"news": []}
        assert update == {"notification": None}
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(timeout=30)
