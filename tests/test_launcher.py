"""The launcher starts real PostgreSQL and Redis, reuses their data, and leaves no process behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import psycopg2
import pytest
import redis

BASE_DIR = Path(__file__).resolve().parent.parent
PROBE = "import os, sys, time; print(os.environ['DATABASE_URL'], os.environ['REDIS_URL'], flush=True); time.sleep(300)"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("launcher") / "data"


def _environment(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env["PLATFORM_DATA_DIR"] = str(data_dir)
    return env


def _processes_using(data_dir: Path) -> list[str]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if str(data_dir) in cmdline:
            found.append(cmdline)
    return found


def _launch(data_dir: Path) -> tuple[subprocess.Popen, str, str]:
    launcher = subprocess.Popen(
        [sys.executable, "-m", "regional_platform.launcher", "run", "--", sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=_environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in launcher.stdout:
        if line.startswith("postgres://"):
            database_url, redis_url = line.split()
            return launcher, database_url, redis_url
    raise AssertionError(f"launcher ended early: {launcher.stderr.read()}")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_services_start_answer_and_stop_without_orphans(data_dir, stop_signal):
    launcher, database_url, redis_url = _launch(data_dir)
    try:
        with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS survivor (n int)")
            cursor.execute("INSERT INTO survivor VALUES (1)")
        connection.close()
        assert redis.Redis.from_url(redis_url).ping()
        assert _processes_using(data_dir), "the services should be running"
    finally:
        launcher.send_signal(stop_signal)
        launcher.wait(60)
    deadline = time.monotonic() + 10
    while _processes_using(data_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_using(data_dir) == []


def test_data_is_reused_on_the_next_start(data_dir):
    launcher, database_url, _ = _launch(data_dir)
    try:
        with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM survivor")
            # One row per earlier start in this module: the data survived both stops.
            assert cursor.fetchone()[0] == 2
        connection.close()
    finally:
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(60)


def test_a_service_that_cannot_start_gets_one_clear_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = subprocess.run(
        [sys.executable, "-m", "regional_platform.launcher", "run", "--", "true"],
        cwd=BASE_DIR,
        env=_environment(blocker / "data"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: cannot create the data folder")
