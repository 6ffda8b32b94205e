"""Before anything runs, point every kernel the tests start (nbval's too) at a throwaway journal."""

import os
import tempfile


def pytest_configure(config):
    os.environ["EXTRAMILE_JOURNAL_DIR"] = tempfile.mkdtemp(prefix="extramile-test-journal-")
