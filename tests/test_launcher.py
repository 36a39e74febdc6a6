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
PROBE = (
    "import os, time; "
    "print(os.environ['DATABASE_URL'], os.environ['REDIS_URL'], os.getpid(), flush=True); time.sleep(300)"
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("launcher") / "data"


def _environment(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env["PLATFORM_DATA_DIR"] = str(data_dir)
    return env


def _service_pids(data_dir: Path) -> list[int]:
    """The PostgreSQL postmaster and the Redis server of this data folder, from their pid files."""
    postmaster = (data_dir / "postgres" / "postmaster.pid").read_text().splitlines()[0]
    redis_pid = (data_dir / "redis" / "redis.pid").read_text().strip()
    return [int(postmaster), int(redis_pid)]


def _alive(pids: list[int]) -> list[int]:
    return [pid for pid in pids if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]


def _wait_gone(pids: list[int], seconds: float = 60) -> list[int]:
    # Generous: under a loaded machine a server saving its data on shutdown takes a while; it returns early.
    deadline = time.monotonic() + seconds
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _alive(pids)


def _launch(data_dir: Path) -> tuple[subprocess.Popen, str, str, int]:
    launcher = subprocess.Popen(
        [sys.executable, "-m", "regional_platform.launcher", "run", "--", sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=_environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in launcher.stdout:
            if line.startswith("postgres://"):
                database_url, redis_url, probe_pid = line.split()
                return launcher, database_url, redis_url, int(probe_pid)
    except BaseException:
        launcher.terminate()  # it stops what it started
        launcher.wait(60)
        raise
    raise AssertionError(f"launcher ended early: {launcher.stderr.read()}")


@pytest.mark.parametrize(
    "stop_signal", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=["SIGTERM", "Ctrl-C", "terminal-closed"]
)
def test_services_start_answer_and_stop_without_orphans(data_dir, stop_signal):
    launcher, database_url, redis_url, probe_pid = _launch(data_dir)
    try:
        with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        connection.close()
        assert redis.Redis.from_url(redis_url).ping()
        pids = [*_service_pids(data_dir), probe_pid, launcher.pid]
        assert _alive(pids) == pids
    finally:
        launcher.send_signal(stop_signal)
        launcher.wait(60)
    assert _wait_gone(pids) == []


def test_data_is_reused_on_the_next_start(tmp_path):
    # Its own data folder: pytest-xdist may run this module's tests in different processes.
    data_dir = tmp_path / "data"
    for start in range(2):
        launcher, database_url, _, _ = _launch(data_dir)
        try:
            with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
                cursor.execute("CREATE TABLE IF NOT EXISTS survivor (n int)")
                cursor.execute("INSERT INTO survivor VALUES (%s)", [start])
                cursor.execute("SELECT array_agg(n ORDER BY n) FROM survivor")
                assert cursor.fetchone()[0] == list(range(start + 1))  # the first start's row survived the stop
            connection.close()
        finally:
            launcher.send_signal(signal.SIGTERM)
            launcher.wait(60)


def test_services_left_by_a_killed_launcher_are_adopted_and_stopped(data_dir):
    killed, _, _, probe_pid = _launch(data_dir)
    orphans = _service_pids(data_dir)
    killed.kill()  # SIGKILL: no chance to clean up
    killed.wait(10)
    os.kill(probe_pid, signal.SIGKILL)
    assert _alive(orphans) == orphans

    launcher, database_url, _, _ = _launch(data_dir)
    try:
        assert _service_pids(data_dir) == orphans  # reused, not started twice
        with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        connection.close()
    finally:
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(60)
    assert _wait_gone(orphans) == []


def test_a_second_launcher_borrows_the_services_and_leaves_them_running(data_dir):
    owner, *_ = _launch(data_dir)
    services = _service_pids(data_dir)
    try:
        borrower, *_ = _launch(data_dir)
        borrower.send_signal(signal.SIGTERM)
        borrower.wait(60)
        assert _alive(services) == services  # still serving the first launcher
    finally:
        owner.send_signal(signal.SIGTERM)
        owner.wait(60)
    assert _wait_gone(services) == []


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


@pytest.mark.parametrize(
    ("address", "port"), [("127.0.0.1:8123", 8123), ("8124", 8124), ("0.0.0.0:9000", 9000), ("[::1]:8125", 8125)]
)
def test_the_demo_port_is_read_from_its_address(address, port):
    from regional_platform.launcher import demo_port

    assert demo_port(address) == port


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost:http", "127.0.0.1:0", "127.0.0.1:70000", ""])
def test_a_demo_address_without_a_port_is_one_clear_line(address):
    from regional_platform.launcher import ServiceError, demo_port

    with pytest.raises(ServiceError, match=r"DEMO_ADDRESS=.* is not \[address:\]port"):
        demo_port(address)


def test_every_process_of_the_demo_links_to_the_port_it_serves_on(monkeypatch):
    """Issue 17: ``DEMO_ADDRESS=127.0.0.1:8123 make demo`` printed, e-mailed and mapped links to :8000."""
    from regional_platform import launcher

    seen = []
    monkeypatch.setattr(os, "environ", dict(os.environ))  # what _demo sets for its children stays in this test
    monkeypatch.setenv("DEMO_ADDRESS", "127.0.0.1:8123")
    monkeypatch.delenv("PLATFORM_PORT", raising=False)
    monkeypatch.setattr(launcher, "_run", lambda command: seen.append((command[2:], os.environ["PLATFORM_PORT"])) or 0)
    monkeypatch.setattr(
        launcher,
        "_run_together",
        lambda commands, **kwargs: seen.append((sorted(commands), os.environ["PLATFORM_PORT"])) or 0,
    )
    assert launcher._demo(sys.executable) == 0
    assert seen == [
        (["migrate_schemas", "--noinput"], "8123"),
        (["demo_region"], "8123"),
        (["beat", "web", "worker"], "8123"),  # children inherit the environment
    ]
    monkeypatch.setenv("PLATFORM_PORT", "443")  # set by hand (a demo behind a proxy): it wins
    seen.clear()
    launcher._demo(sys.executable)
    assert {port for _, port in seen} == {"443"}
