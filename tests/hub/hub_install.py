"""An Extra Mile install every OS user can read, as README's "On one VM" makes one, for the root-only hub test.

The virtualenv is built from /usr/bin/python3 (readable by all, unlike a
pyenv under /root) and kept between runs while requirements-hub.txt and the
ipykernel pin are unchanged; the package, content and notebooks are copied
fresh from this checkout every run, so the test sees the code under test.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALL = Path("/opt/extramile-hub-test")
SYSTEM_PYTHON = Path("/usr/bin/python3")
COPIED = ("extramile", "exercises", "notebooks", "hub", "pyproject.toml", "README.md", "tests/hub")


def _pins() -> list[str]:
    kernel = re.search(r"^ipykernel==\S+", (REPO / "requirements.txt").read_text(), re.MULTILINE)
    return ["-r", str(REPO / "requirements-hub.txt"), kernel.group(0)]


def _stamp() -> str:
    text = (REPO / "requirements-hub.txt").read_text() + " ".join(_pins()[2:])
    return hashlib.sha256(text.encode()).hexdigest()


def _run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise AssertionError(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def install_for_os_users() -> tuple[Path, Path]:
    """(virtualenv, source folder) under /opt, readable and runnable by every user."""
    if not SYSTEM_PYTHON.exists():
        pytest.fail(f"{SYSTEM_PYTHON} is missing: apt-get install python3-venv")
    INSTALL.mkdir(mode=0o755, exist_ok=True)
    venv, source = INSTALL / "venv", INSTALL / "src"
    stamp = venv / ".extramile-stamp"
    if not stamp.exists() or stamp.read_text() != _stamp():
        shutil.rmtree(venv, ignore_errors=True)
        _run(str(SYSTEM_PYTHON), "-m", "venv", str(venv))
        _run(str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", *_pins())
    shutil.rmtree(source, ignore_errors=True)
    for name in COPIED:
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(REPO / name, target)
    if not stamp.exists() or stamp.read_text() != _stamp():
        _run(str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "--no-deps", "-e",
             str(source))
        stamp.write_text(_stamp())
    for folder, dirs, files in os.walk(source):  # a checkout made under a strict umask must not hide it
        for name in [folder, *(os.path.join(folder, d) for d in dirs), *(os.path.join(folder, f) for f in files)]:
            if not os.path.islink(name):
                mode = os.stat(name).st_mode
                os.chmod(name, mode | 0o044 | (0o011 if mode & 0o100 else 0))
    return venv, source
