"""Background jobs of the regional console (thin: they call tenants.services)."""

from __future__ import annotations

from celery import shared_task

from compliance.tasks import RETRY
from tenants.services.bulk_onboarding import school_import_run


@shared_task(**RETRY)
def school_import_task(import_id: int) -> int:
    """Run a checked bulk import in the public schema; returns how many rows it went through."""
    return school_import_run(import_id).processed
