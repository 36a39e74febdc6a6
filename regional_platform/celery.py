"""The Celery application: every task runs inside the schema of the school it was sent for.

tenant-schemas-celery records the sender's schema in each task's headers and
switches the worker's connection to it before the task runs.
"""

import os

from celery.signals import worker_process_init
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regional_platform.settings.dev")

app = CeleryApp("regional_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

import regional_platform.observability  # noqa: E402, F401 (connects the task log lines)


@worker_process_init.connect
def _screening_ready(**_kwargs):
    """Each worker process loads screening's dictionaries and rules when it starts, not at its first
    publication (workflows.screening.warm)."""
    from workflows.screening.warm import warm_up

    warm_up()
