"""Bulk onboarding from the console: check an uploaded CSV, then import it in the background.

The same rows and rules as ``manage.py import_schools`` (``school_import``); the upload is
kept as a ``SchoolImport`` so that the job runs exactly the file that was previewed and the
page can show its progress. Running the same file again creates nothing twice.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from provisioning.models import SchoolImport
from provisioning.school_csv import shown
from provisioning.school_import import (
    ImportRow,
    RowOutcome,
    school_rows_check,
    school_rows_import,
    school_rows_read,
)
from tenants.audit import regional_action_record
from tenants.models import RegionalAction

logger = logging.getLogger(__name__)
MAX_FILE_BYTES = 2 * 1024 * 1024  # some thousands of schools; a region has hundreds
WILL_CREATE = "create"  # the preview's outcome for a row the import would create


def _row_record(row: ImportRow, outcome: str) -> dict:
    details = row.details
    return {
        "line": row.number,
        "name": shown(details.name_kk or details.name_ru),
        "subdomain": shown(details.subdomain),
        "bin": shown(details.bin),
        "district": shown(details.district),
        "outcome": outcome,
        "problems": list(row.problems),
    }


def school_import_upload(*, file_name: str, content: bytes, by) -> SchoolImport:
    """Keep the upload and check every row, writing nothing else; raises ``ImportFileError`` at once for a
    file that cannot be read. A short file is checked while the officer waits; a longer one (the check
    reads the database for every line: minutes for thousands) by a background job, whose progress its
    page shows (IMPORT_CHECK_IN_REQUEST_MAX_ROWS)."""
    rows = school_rows_read(content)
    school_import = SchoolImport(
        language=translation.get_language() or "",
        file_name=shown(file_name)[:255],
        # PostgreSQL keeps no NUL in text: kept as U+FFFD, which reading refuses on its line just as a NUL.
        content=content.decode("utf-8-sig").replace("\x00", "\ufffd"),
        uploaded_by=by.get_username(),
        total=len(rows),
    )
    if len(rows) <= settings.IMPORT_CHECK_IN_REQUEST_MAX_ROWS:
        school_rows_check(rows)
        school_import.preview = _preview(rows)
        school_import.save()
        return school_import
    from provisioning.tasks import school_import_check_task

    school_import.status = SchoolImport.Status.CHECKING
    school_import.save()
    # robust: a broker that is down is logged; the page says after a minute that no worker took it.
    transaction.on_commit(lambda: school_import_check_task.delay(school_import.pk), robust=True)
    return school_import


def _preview(rows: list[ImportRow]) -> list[dict]:
    return [_row_record(row, str(row.outcome) if row.outcome else WILL_CREATE) for row in rows]


def school_import_check_run(import_id: int) -> SchoolImport | None:
    """The background check of a long file: the preview, as ``school_import_upload`` makes it for a short one,
    moving ``processed`` as it goes. None when the import is not waiting to be checked (a message twice)."""
    claimed = SchoolImport.objects.filter(pk=import_id, status=SchoolImport.Status.CHECKING).update(processed=0)
    if not claimed:
        return None
    school_import = SchoolImport.objects.get(pk=import_id)
    rows = school_rows_read(school_import.content)
    checked = 0

    def advance(row: ImportRow) -> None:
        nonlocal checked
        checked += 1
        if checked % 25 == 0:  # the progress bar moves without a write per line
            SchoolImport.objects.filter(pk=import_id).update(processed=checked)

    with translation.override(school_import.language or settings.LANGUAGE_CODE):
        school_rows_check(rows, progress=advance)
        preview = _preview(rows)
    SchoolImport.objects.filter(pk=import_id, status=SchoolImport.Status.CHECKING).update(
        status=SchoolImport.Status.CHECKED, preview=preview, processed=0
    )
    school_import.refresh_from_db()
    return school_import


def school_import_start(*, school_import: SchoolImport, by) -> bool:
    """Queue the checked import once (a second click, or another officer, does nothing); True if queued.

    An import queued over a minute ago that no worker took (the broker was down, say) may be queued again.
    """
    from provisioning.tasks import school_import_task

    now = timezone.now()
    startable = Q(status=SchoolImport.Status.CHECKED) | Q(
        status=SchoolImport.Status.QUEUED, started_at__lt=now - SchoolImport.WORKER_PATIENCE
    )
    with transaction.atomic():
        queued = SchoolImport.objects.filter(startable, pk=school_import.pk).update(
            status=SchoolImport.Status.QUEUED,
            started_at=now,  # the run resets it when it starts
        )
        if queued:
            regional_action_record(
                actor=by, action=RegionalAction.Action.IMPORT, file=school_import.file_name, rows=school_import.total
            )
            # robust: a broker that is down is logged, not shown as an error page; the import then
            # waits, the page says so after a minute and offers to queue it again.
            transaction.on_commit(lambda: school_import_task.delay(school_import.pk), robust=True)
    return bool(queued)


def school_import_run(import_id: int) -> SchoolImport | None:
    """The background job: provision the file's new schools, moving ``processed`` row by row.

    It claims the import first, so a message delivered twice does not run a finished import again;
    a run taken over after a crash reports the schools already made as already there.
    Returns None when there was nothing to claim.
    """
    claimed = SchoolImport.objects.filter(
        pk=import_id, status__in=[SchoolImport.Status.QUEUED, SchoolImport.Status.RUNNING]
    ).update(status=SchoolImport.Status.RUNNING, processed=0, started_at=timezone.now())
    if not claimed:
        return None
    school_import = SchoolImport.objects.get(pk=import_id)
    rows = school_rows_read(school_import.content)

    def advance(row: ImportRow) -> None:
        SchoolImport.objects.filter(pk=import_id).update(processed=F("processed") + 1)

    # The rows' problems are stored in the language of the officer who uploaded the file.
    with translation.override(school_import.language or settings.LANGUAGE_CODE):
        school_rows_import(rows, progress=advance)
        results = [
            {**_row_record(row, str(row.outcome)), "school_id": row.provisioned.school.pk if row.provisioned else None}
            for row in rows
        ]
    SchoolImport.objects.filter(pk=import_id).update(
        status=SchoolImport.Status.DONE, results=results, processed=len(rows), finished_at=timezone.now()
    )
    school_import.refresh_from_db()
    return school_import


def school_import_fail(*, import_id: int, error: BaseException) -> None:
    """The job gave up (retries exhausted, or an error no retry mends): the page says so."""
    logger.error("School import %s failed: %r", import_id, error)
    SchoolImport.objects.filter(pk=import_id).exclude(status=SchoolImport.Status.DONE).update(
        status=SchoolImport.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
    )


def outcome_counts(rows: list[dict]) -> dict[str, int]:
    counts = {WILL_CREATE: 0, **{str(outcome): 0 for outcome in RowOutcome}}
    for row in rows:
        counts[row["outcome"]] = counts.get(row["outcome"], 0) + 1
    return counts
