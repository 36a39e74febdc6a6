"""Concurrent wrong passwords: no more than the limit are evaluated (17 were, against a limit of 10; issue 13).

Each thread signs in on a connection of its own, as web processes do; their counters are committed,
outside the test's transaction, under a username and an address of this test only, and removed after.
"""

import threading
import uuid

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import RequestFactory, override_settings

from accounts.sign_in import PAIR_LIMIT, ThrottledModelBackend, _attempt, _table

ATTEMPTS = 17


class SlowHasher(PBKDF2PasswordHasher):
    """A real hash that takes some milliseconds (the test settings use MD5, which hides the race)."""

    algorithm = "pbkdf2_sha256_concurrency_test"
    iterations = 60_000


def _in_thread(work):
    def run():
        try:
            work()
        finally:
            connection.close()

    return run


@override_settings(PASSWORD_HASHERS=["tests.accounts.test_sign_in_concurrency.SlowHasher"])
def test_concurrent_attempts_are_counted_before_the_hash(db):
    username = f"race-{uuid.uuid4().hex[:8]}"
    address = "203.0.113.77"
    start = threading.Barrier(ATTEMPTS)
    outcomes, lock = [], threading.Lock()

    def attempt():
        request = RequestFactory().post("/login/", REMOTE_ADDR=address)
        start.wait()
        try:
            # No such account, yet the backend hashes the password (as for a real one): evaluated.
            result = ThrottledModelBackend().authenticate(request, username=username, password="wrong")
            outcome = "evaluated" if result is None else "signed in"
        except PermissionDenied:
            outcome = "refused"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=_in_thread(attempt)) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    def forget():
        keys = _attempt(RequestFactory().post("/login/", REMOTE_ADDR=address), username)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {_table()} WHERE key IN (%s, %s, %s)", [keys.pair, keys.client, keys.account])

    cleanup = threading.Thread(target=_in_thread(forget))
    cleanup.start()
    cleanup.join()

    assert len(outcomes) == ATTEMPTS
    assert outcomes.count("evaluated") == PAIR_LIMIT
    assert outcomes.count("refused") == ATTEMPTS - PAIR_LIMIT
