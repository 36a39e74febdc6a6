"""A pytest plugin that keeps every core busy while the tests run: ``-p tests.cpu_hog``.

For proving that the tests which wait on a real worker, beat or browser do not depend on the
machine being idle (``make test-repeat``). One busy process per core, started once by the
controlling pytest process (not again by each pytest-xdist worker) and stopped when the run ends.
"""

import os
import subprocess
import sys

_BUSY_LOOP = "while True: pass"
_hogs: list[subprocess.Popen] = []


def pytest_configure(config):
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: the controller already started them
        return
    _hogs.extend(subprocess.Popen([sys.executable, "-c", _BUSY_LOOP]) for _ in range(os.cpu_count() or 1))


def pytest_unconfigure(config):
    while _hogs:
        hog = _hogs.pop()
        hog.kill()
        hog.wait()


def pytest_report_header(config):
    return f"cpu hog: {os.cpu_count()} busy processes for the whole run"
