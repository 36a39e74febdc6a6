"""Settings of the worker and beat processes a fault test starts (and may kill): the test settings, on the
queue, broker and database the test names in the environment, with a visibility timeout of seconds so that a
killed worker's messages come back while the test waits."""

import os

from regional_platform.settings.test import *  # noqa: F403
from regional_platform.settings.test import celery_queues

CELERY_IMPORTS = ["tests.fault_tasks"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["FAULT_QUEUE"]
CELERY_INTERACTIVE_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}.interactive"
CELERY_TASK_QUEUES, CELERY_TASK_ROUTES = celery_queues(CELERY_TASK_DEFAULT_QUEUE, CELERY_INTERACTIVE_QUEUE)
CELERY_VISIBILITY_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
# A beat under test sends one harmless task a second, and nothing else.
CELERY_BEAT_SCHEDULE = {"tick": {"task": "tests.fault_tasks.beat_tick", "schedule": 1.0}}
CELERY_BEAT_MAX_LOOP_INTERVAL = 1
