"""Lesson kernel memory: after a lesson page has rendered, the kernel's resident memory stays
within 1.3x of a kernel that only imports ipywidgets and shows one button, in the same run.

Under JupyterHub (and in JupyterLab) each open lesson notebook is one kernel, so this number
times the open notebooks is a single-user server's bill; the room's app is measured by bench_room.py.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))

from budget import Budget, report  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
ONE_BUTTON = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    "import ipywidgets as w\nw.Button(description='Save')")],
    metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def kernel_memory_after(notebook) -> int:
    """Run the notebook top to bottom in a fresh kernel, as JupyterLab would, and read the kernel's RSS."""
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        return resident_kib(client.km.provisioner.process.pid)


def main() -> int:
    os.environ["EXTRAMILE_JOURNAL_DIR"] = tempfile.mkdtemp(prefix="bench-memory-")
    baseline = min(kernel_memory_after(ONE_BUTTON) for _ in range(2))
    budgets = []
    for path in sorted(NOTEBOOKS.glob("0*.ipynb")):
        measured = kernel_memory_after(nbformat.read(path, as_version=4))
        budgets.append(Budget(f"kernel memory of {path.stem}", measured / 1024, baseline / 1024, 1.3, "MiB"))
    return report(budgets)


if __name__ == "__main__":
    sys.exit(main())
