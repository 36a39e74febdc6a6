"""Onboard many schools from one CSV file: read and check every row, then provision the good ones.

Used by ``manage.py import_schools`` and by the console's bulk upload (``provisioning.bulk_onboarding``).
A row whose school already exists with the same BIN and subdomain is reported
as already there, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from provisioning.services import (
    ProvisionedSchool,
    SchoolDetails,
    school_details_clean,
    school_details_normalised,
    school_provision,
    validation_messages,
)
from tenants.hosts import school_hostname
from tenants.models import Domain

logger = logging.getLogger(__name__)
FRESH_CONNECTION_EVERY = 50

REQUIRED_COLUMNS = (
    "name_kk", "name_ru", "short_name", "bin", "region", "district", "address",
    "subdomain", "head_full_name", "head_email",
)  # fmt: skip
OPTIONAL_COLUMNS = ("name_en", "administrator_full_name", "administrator_email")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


class RowOutcome(StrEnum):
    CREATED = "created"
    ALREADY_THERE = "already there"
    REFUSED = "refused"


@dataclass
class ImportRow:
    number: int  # the line in the file, counting the header as line 1
    details: SchoolDetails
    outcome: RowOutcome | None = None
    problems: list[str] = field(default_factory=list)
    provisioned: ProvisionedSchool | None = None


def school_rows_read(content: bytes | str) -> list[ImportRow]:
    """Parse a CSV file (UTF-8, comma or semicolon separated) into rows; no checks yet."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFileError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")) from None
    content = content.lstrip("\ufeff")
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    first_line = content.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(content), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFileError(_("The file lacks these columns: %(columns)s.") % {"columns": ", ".join(missing)})
    reader.fieldnames = header
    rows = []
    for index, record in enumerate(reader, start=2):
        values = {name: (record.get(name) or "").strip() for name in COLUMNS}
        if not any(values.values()):
            continue  # blank line
        rows.append(ImportRow(number=index, details=SchoolDetails.from_columns(values)))
    if not rows:
        raise ImportFileError(_("The file has a header but no schools."))
    return rows


def school_rows_mark_existing(rows: Iterable[ImportRow]) -> None:
    """Mark rows whose school is already provisioned (same BIN, same subdomain): one query."""
    rows = list(rows)
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
                row.provisioned = school_provision(details=row.details, send_invitations=send_invitations)
                row.outcome = RowOutcome.CREATED
            except ValidationError as exc:
                row.outcome = RowOutcome.REFUSED
                row.problems.extend(validation_messages(exc))
            except DatabaseError as exc:
                # Nothing of this school was written (one transaction); report it and go on.
                logger.exception("Import line %d failed", row.number)
                row.outcome = RowOutcome.REFUSED
                row.problems.append(_("The database refused this school: %(reason)s") % {"reason": exc})
            provisioned_on_this_connection += 1
            if provisioned_on_this_connection >= FRESH_CONNECTION_EVERY and not connection.in_atomic_block:
                # A connection that visits many new schemas swells and slows (design.md).
                connection.close()
                provisioned_on_this_connection = 0
        if progress:
            progress(row)
