"""The Celery application: every task runs inside the schema of the school it was sent for.

tenant-schemas-celery records the sender's schema in each task's headers and
switches the worker's connection to it before the task runs.
"""

import logging
import os

from celery.signals import celeryd_init
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regional_platform.settings.dev")

app = CeleryApp("regional_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

import regional_platform.observability  # noqa: E402, F401 (connects the task log lines)


@celeryd_init.connect
def _screening_ready(**_kwargs):
    """The worker loads screening's dictionaries, rules and model once, in its main process before the pool
    forks (workflows.screening.warm): each child starts with them and shares their memory, instead of
    loading them at its first publication; loading in every child would also delay the child's first sign
    of life past Celery's patience on a busy machine. A failure is logged: the worker still runs every
    other task."""
    try:
        from workflows.screening.warm import warm_up

        warm_up()
    except Exception:
        logging.getLogger(__name__).exception("Screening could not be made ready at start")
