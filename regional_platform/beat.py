"""Exactly one Celery beat at a time, however many are started.

Two beats both dispatch every job (a second beat once doubled every weekly digest and dispatched scheduled
publishing 11 times in 16 minutes). Each beat first takes a PostgreSQL session advisory lock on a
connection of its own; a second beat waits for it as a standby and takes over when the first goes (a killed
process's session ends, and with it the lock). A beat that loses its database connection takes the lock
again, or, if a standby has taken it meanwhile, exits: whatever restarts it (the launcher, compose) makes it
the new standby.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import time

from celery.beat import PersistentScheduler
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)
BEAT_LOCK = 7_315_002  # pg_advisory_lock key (provisioning.school_opening takes 7_315_001)
STANDBY_POLL_SECONDS = 5


class BeatLock:
    """The advisory lock, on a connection that no task or request shares (it is held for the process's life)."""

    def __init__(self) -> None:
        self.connection = None

    def acquire(self) -> bool:
        try:
            if self.connection is None or not self.connection.is_usable():
                self.release()
                self.connection = connections.create_connection("default")
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [BEAT_LOCK])
                return bool(cursor.fetchone()[0])
        except DatabaseError as exc:
            logger.warning("beat: the database does not answer (%s); trying again.", str(exc).strip())
            self.release()
            return False

    def held(self) -> bool:
        """Still held: the session that took it is alive."""
        return self.connection is not None and self.connection.is_usable()

    def wait(self) -> None:
        """Block until the lock is ours; a SIGTERM or Ctrl-C meanwhile ends the process."""
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
        for sig in previous:
            # Celery's handler would save the schedule, building a second scheduler that waits here again.
            signal.signal(sig, lambda signum, frame: sys.exit(0))
        try:
            if not self.acquire():
                logger.info("beat: another beat is running; waiting as a standby.")
                while not self.acquire():
                    time.sleep(STANDBY_POLL_SECONDS)
            logger.info("beat: this beat is the one running the schedule.")
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def release(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(DatabaseError):
                self.connection.close()  # ending the session releases the lock
            self.connection = None


class SingleBeatScheduler(PersistentScheduler):
    """Celery's default scheduler (its schedule file), run only while this beat holds the lock."""

    def __init__(self, *args, lazy: bool = False, **kwargs):
        self.lock = BeatLock()
        if not lazy:  # a lazy one only describes the schedule (the start-up banner): it runs nothing
            self.lock.wait()
        super().__init__(*args, lazy=lazy, **kwargs)

    def tick(self, *args, **kwargs):
        if not self.lock.held() and not self.lock.acquire():
            logger.error("beat: the lock was lost and another beat holds it now; stopping this one.")
            raise SystemExit(1)
        return super().tick(*args, **kwargs)

    def close(self):
        super().close()
        self.lock.release()
