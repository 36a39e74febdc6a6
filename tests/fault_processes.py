"""Real processes a fault test may kill: a Redis server of its own (append-only, as the launcher starts it),
Celery workers and beats in their own process groups, with their output in a log file to read."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import redis
from django.db import connection

from regional_platform.launcher import EmbeddedRedis, _free_port

BASE_DIR = Path(__file__).resolve().parent.parent


def wait_until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.2)


class RedisServer:
    """``redis-server`` on a port and a folder of its own, which a restart keeps (so its data comes back)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [
            str(EmbeddedRedis._binary()),
            "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder),
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
        wait_until(self._answers, 20, "redis answers")

    def _answers(self) -> bool:
        with contextlib.suppress(redis.RedisError), redis.Redis(port=self.port, socket_timeout=1) as client:
            return bool(client.ping())
        return False

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5)


class CeleryProcess:
    """``celery worker`` or ``celery beat`` on the fault test's queue, broker and database."""

    def __init__(self, kind: str, log: Path, environment: dict[str, str], *extra: str):
        self.log = log
        command = [sys.executable, "-m", "celery", "-A", "regional_platform", kind, "-l", "info", *extra]
        with open(log, "ab") as output:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_line(self, text: str, seconds: float = 60) -> None:
        wait_until(lambda: text in self.output(), seconds, f"{text!r} in {self.log}:\n{self.output()[-3000:]}")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, the whole group: no chance to restore or acknowledge anything."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(20)

    def stop(self) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


def fault_environment(redis_url: str) -> dict[str, str]:
    """The environment of the processes: this test database, the given Redis, a queue of their own."""
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    environment = dict(os.environ)
    environment.update(
        DJANGO_SETTINGS_MODULE="tests.fault_settings",
        DATABASE_URL=f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        REDIS_URL=redis_url,
        FAULT_QUEUE=f"fault-{uuid.uuid4().hex[:12]}",
    )
    return environment


SENDER = """
import json, sys
import django
django.setup()
from regional_platform.celery import app
name, options = sys.argv[1], json.loads(sys.argv[2])
print(app.send_task(name, **options).id)
"""


def task_send(environment: dict[str, str], name: str, **options) -> str:
    """Send a task as the platform's own processes would with these settings (a process of the same
    configuration, not this test's app); its id."""
    import json

    result = subprocess.run(
        [sys.executable, "-c", SENDER, name, json.dumps(options)],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]
