"""The launcher under faults (issue 13): its Redis keeps queued work across a crash, and a worker or beat
that dies is started again, with growing pauses, instead of taking the web and the services down."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import redis

from regional_platform.launcher import EmbeddedRedis

BASE_DIR = Path(__file__).resolve().parent.parent


def test_the_embedded_redis_keeps_a_queued_message_when_it_is_killed(tmp_path):
    first = EmbeddedRedis(tmp_path)
    url = first.start(adopt=True)
    try:
        client = redis.Redis.from_url(url)
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("appendfsync") == {"appendfsync": "everysec"}
        client.lpush("celery", "a queued task")
        time.sleep(1.5)  # appendfsync everysec: at most a second of writes is lost
        client.close()
        first.process.kill()  # a crash, not a shutdown: nothing is saved on the way out
        first.process.wait(10)
        second = EmbeddedRedis(tmp_path)
        client = redis.Redis.from_url(second.start(adopt=True))
        try:
            assert client.lrange("celery", 0, -1) == [b"a queued task"]
        finally:
            client.close()
            second.stop()
    finally:
        first.stop()


SUPERVISOR = """
import signal, sys
from regional_platform.launcher import _run_together
signal.signal(signal.SIGINT, signal.default_int_handler)
try:
    _run_together(
        {"web": [sys.executable, "-c", "import time; time.sleep(120)"], "worker": ["sh", "-c", "exit 3"]},
        restartable=frozenset({"worker"}),
    )
except KeyboardInterrupt:
    pass
"""


def test_a_worker_that_dies_is_started_again_with_growing_pauses_and_the_web_keeps_running():
    supervisor = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR], cwd=BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        time.sleep(12)  # 4 s of start-up, then restarts after 1 s, 2 s and 5 s
        assert supervisor.poll() is None, supervisor.stdout.read()
        children = psutil.Process(supervisor.pid).children()
        web = [child for child in children if "sleep(120)" in " ".join(child.cmdline())]
        assert len(web) == 1
    finally:
        supervisor.send_signal(signal.SIGINT)
        output, _ = supervisor.communicate(timeout=60)
    assert "worker exited with code 3; starting it again in 1 s." in output
    assert "worker exited with code 3; starting it again in 2 s." in output
    assert "worker started again (restart 2)." in output
    assert "stopping the others" not in output
    assert not web[0].is_running() or web[0].status() == psutil.STATUS_ZOMBIE
