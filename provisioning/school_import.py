"""Onboard many schools from one CSV file: read and check every row, then provision the good ones.

Used by ``manage.py import_schools`` and by the console's bulk upload (``provisioning.bulk_onboarding``);
reading the file (streamed, bounded, never a traceback) is ``provisioning.school_csv``.
A row whose school already exists with the same BIN and subdomain is reported
as already there, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from provisioning.school_csv import (  # noqa: F401  (the importer's names, for its callers)
    COLUMNS,
    MAX_FILE_BYTES,
    REQUIRED_COLUMNS,
    ImportFileError,
    ImportRow,
    RowOutcome,
    school_rows_read,
    school_rows_read_file,
)
from provisioning.services import (
    school_details_clean,
    school_details_normalised,
    school_provision,
    validation_messages,
)
from tenants.hosts import school_hostname
from tenants.models import Domain

logger = logging.getLogger(__name__)
# Schools provisioned on one database connection before it is replaced by a fresh one. PostgreSQL keeps a
# prepared plan for every foreign key a connection has checked, for the connection's life, and walks them
# all on every catalog change; each new school checks its own new keys (docs/architecture.md, "Flat
# provisioning"). Opening a connection costs a few milliseconds; 5 schools' plans cost nothing measurable.
FRESH_CONNECTION_EVERY = 5


def provisioning_connection_recycle(provisioned_on_it: int) -> int:
    """Count one more school provisioned on this connection and close it every ``FRESH_CONNECTION_EVERY``
    (the next query opens a fresh one); never inside a transaction. Returns the count on the connection."""
    provisioned_on_it += 1
    if provisioned_on_it >= FRESH_CONNECTION_EVERY and not connection.in_atomic_block:
        connection.close()
        return 0
    return provisioned_on_it


def school_rows_mark_existing(rows: Iterable[ImportRow]) -> None:
    """Mark rows whose school is already provisioned (same BIN, same subdomain): one query. A row refused
    while reading (a NUL byte, say) is left refused: its values never reach the database."""
    rows = [row for row in rows if row.outcome is not RowOutcome.REFUSED]
    normalised = {row.number: school_details_normalised(row.details) for row in rows}
    existing = dict(
        Domain.objects.filter(
            tenant__bin__in={details.bin for details in normalised.values()}, is_primary=True
        ).values_list("tenant__bin", "domain")
    )
    for row in rows:
        details = normalised[row.number]
        if details.bin in existing and existing[details.bin] == school_hostname(details.subdomain):
            row.outcome = RowOutcome.ALREADY_THERE


def _duplicates_within_file(rows: list[ImportRow]) -> None:
    first_seen: dict[tuple[str, str], int] = {}
    for row in rows:
        details = school_details_normalised(row.details)
        for key, label in (("bin", _("BIN")), ("subdomain", _("subdomain"))):
            value = getattr(details, key)
            if not value:
                continue
            earlier = first_seen.setdefault((key, value), row.number)
            if earlier != row.number and row.outcome in (None, RowOutcome.REFUSED):
                row.outcome = RowOutcome.REFUSED
                row.problems.append(
                    _("The same %(what)s as line %(line)d of this file.") % {"what": label, "line": earlier}
                )


def school_rows_check(rows: list[ImportRow], *, progress: Callable[[ImportRow], None] | None = None) -> None:
    """Decide every row without writing anything: already there, refused with its problems, or
    left undecided (``outcome`` None), which the import would create. ``progress`` hears of each row."""
    school_rows_mark_existing(rows)
    _duplicates_within_file(rows)
    for row in rows:
        if row.outcome is None:
            try:
                school_details_clean(row.details)
            except ValidationError as exc:
                row.outcome = RowOutcome.REFUSED
                row.problems.extend(validation_messages(exc))
        if progress is not None:
            progress(row)


def school_rows_import(
    rows: list[ImportRow],
    *,
    progress: Callable[[ImportRow], None] | None = None,
    send_invitations: bool = True,
) -> None:
    """Provision every row that is new and valid; record each row's outcome and problems."""
    school_rows_mark_existing(rows)
    _duplicates_within_file(rows)
    provisioned_on_this_connection = 0
    for row in rows:
        if row.outcome is None:
            try:
                row.provisioned = school_provision(
                    details=row.details, send_invitations=send_invitations, interactive=False
                )
                row.outcome = RowOutcome.CREATED
            except ValidationError as exc:
                row.outcome = RowOutcome.REFUSED
                row.problems.extend(validation_messages(exc))
            except DatabaseError as exc:
                # Nothing of this school was written (one transaction); report it and go on.
                logger.exception("Import line %d failed", row.number)
                row.outcome = RowOutcome.REFUSED
                row.problems.append(_("The database refused this school: %(reason)s") % {"reason": exc})
            provisioned_on_this_connection = provisioning_connection_recycle(provisioned_on_this_connection)
        if progress:
            progress(row)
