"""Two Celery queues (issue 12): what a person waits for apart from the nightly fan-out, each message once."""

import redis
from django.conf import settings

from compliance.tasks import remind_now_task, scan_dispatch
from regional_platform.celery import app


def _depths(client) -> tuple[int, int]:
    return client.llen(settings.CELERY_TASK_DEFAULT_QUEUE), client.llen(settings.CELERY_INTERACTIVE_QUEUE)


def test_each_task_goes_to_its_own_queue_once():
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    app.control.purge()
    try:
        assert _depths(client) == (0, 0)
        remind_now_task.apply_async(headers={"_schema_name": "school_nowhere"})
        assert _depths(client) == (0, 1)  # interactive only, not delivered to the fan-out queue as well
        scan_dispatch.delay()
        assert _depths(client) == (1, 1)
    finally:
        app.control.purge()
        client.close()


def test_a_bulk_imports_after_steps_wait_on_the_fan_out_queue_not_before_an_officers_click():
    from provisioning.outbox import provisioning_steps_job_send

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    app.control.purge()
    try:
        provisioning_steps_job_send(10**9, interactive=False)  # a school of an import
        assert _depths(client) == (1, 0)
        provisioning_steps_job_send(10**9)  # the school an officer just opened
        assert _depths(client) == (1, 1)
    finally:
        app.control.purge()
        client.close()
