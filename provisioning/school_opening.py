"""Opening one school from the console's form: checked while the officer waits, provisioned in the background.

Provisioning replays the school template in one transaction: a few seconds on a quiet server, a minute or
more under load, several minutes when an update left the template behind the code and it is rebuilt first.
That is beyond a web worker's timeout, so the request only checks the form and queues a ``SchoolOpening``;
the job provisions it and the officer's page polls its status. The details are kept: a refused opening goes
back to the form filled in, and a message delivered twice never opens the school twice.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from provisioning.models import SchoolOpening
from provisioning.schema_template import schema_template_ready
from provisioning.services import (
    ProvisionedSchool,
    SchoolDetails,
    school_details_clean,
    school_provision,
    validation_messages,
)
from tenants.hosts import school_hostname
from tenants.models import Domain, School

logger = logging.getLogger(__name__)
OPENING_LOCK = 7_315_001  # pg_advisory_xact_lock key: queueing an opening (any constant no other code takes)


def _columns(details: SchoolDetails) -> dict[str, str]:
    """The details as the flat fields of the form and the CSV (the inverse of ``SchoolDetails.from_columns``)."""
    columns = {key: value for key, value in asdict(details).items() if isinstance(value, str)}
    for role, person in (("head", details.head), ("administrator", details.administrator)):
        columns[f"{role}_full_name"] = person.full_name if person else ""
        columns[f"{role}_email"] = person.email if person else ""
    return columns


def school_opening_details(opening: SchoolOpening) -> SchoolDetails:
    return SchoolDetails.from_columns(opening.details)


def school_opening_request(*, details: SchoolDetails, by) -> SchoolOpening:
    """Check ``details`` (raises ``ValidationError`` by field, as the form shows it) and queue the opening.

    The same school sent again while it is being opened (a second click) is the same opening; another
    school asking for a subdomain or BIN that one being opened has is refused, as an open school's would be.
    """
    details = school_details_clean(details)
    from provisioning.tasks import school_opening_task

    with transaction.atomic():
        # Requests queue one at a time (a lock held to the commit), so two cannot both queue one subdomain.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [OPENING_LOCK])
        pending = SchoolOpening.objects.filter(status__in=SchoolOpening.PENDING).filter(
            Q(details__subdomain=details.subdomain) | Q(details__bin=details.bin)
        )
        for other in pending:
            if other.details.get("subdomain") == details.subdomain and other.details.get("bin") == details.bin:
                return other
            clashes = {"subdomain": _("subdomain"), "bin": _("BIN")}
            raise ValidationError(
                {
                    field: _("A school with this %(what)s is being opened right now.") % {"what": label}
                    for field, label in clashes.items()
                    if other.details.get(field) == getattr(details, field)
                }
            )
        opening = SchoolOpening.objects.create(
            details=_columns(details), language=translation.get_language() or "", opened_by=by.get_username()
        )
        # robust: a broker that is down is logged; the page says after a minute that no worker took it.
        transaction.on_commit(partial(school_opening_task.delay, opening.pk), robust=True)
    return opening


def school_opening_requeue(opening: SchoolOpening) -> bool:
    """Queue again an opening no worker took for over a minute (the broker was down, say); True if queued."""
    from provisioning.tasks import school_opening_task

    now = timezone.now()
    with transaction.atomic():
        queued = SchoolOpening.objects.filter(
            pk=opening.pk, status=SchoolOpening.Status.QUEUED, queued_at__lt=now - SchoolOpening.WORKER_PATIENCE
        ).update(queued_at=now)
        if queued:
            transaction.on_commit(partial(school_opening_task.delay, opening.pk), robust=True)
    return bool(queued)


def school_opening_run(opening_id: int) -> SchoolOpening | None:
    """The background job: provision the school, then record the outcome for the officer's page.

    It claims the opening first; a message delivered again after a worker died mid-way finds the school
    either not created (one transaction: nothing was kept) or created, and then only records it.
    Returns None when there was nothing to claim.
    """
    claimed = SchoolOpening.objects.filter(pk=opening_id, status__in=SchoolOpening.PENDING).update(
        status=SchoolOpening.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    opening = SchoolOpening.objects.get(pk=opening_id)
    details = school_opening_details(opening)
    with translation.override(opening.language or settings.LANGUAGE_CODE):
        already_open = _school_already_open(details)
        if already_open is not None:
            _finish(opening, status=SchoolOpening.Status.DONE, school=already_open)
            return opening
        if schema_template_ready() is None:  # the job builds it first: minutes, and the page says why
            SchoolOpening.objects.filter(pk=opening_id).update(status=SchoolOpening.Status.PREPARING)
        try:
            provisioned = school_provision(details=details, opened_by=opening.opened_by)
        except ValidationError as exc:  # taken meanwhile, by the command line or an import
            _finish(opening, status=SchoolOpening.Status.REFUSED, problems=validation_messages(exc))
            return opening
    _finish(
        opening, status=SchoolOpening.Status.DONE, school=provisioned.school, invitations=_invitations(provisioned)
    )
    return opening


def _school_already_open(details: SchoolDetails) -> School | None:
    """The school this opening made, if a worker died after its commit: same BIN on the same host (the details
    were stored as ``school_details_clean`` returned them)."""
    domain = (
        Domain.objects.filter(domain=school_hostname(details.subdomain), is_primary=True)
        .select_related("tenant")
        .first()
    )
    if domain is not None and domain.tenant.bin == details.bin:
        return domain.tenant
    return None


def _invitations(provisioned: ProvisionedSchool) -> list[dict]:
    return [
        {
            "email": invitation.email,
            "full_name": invitation.full_name,
            "roles": [str(role.value) for role in invitation.roles],
            "url": invitation.url if settings.SHOW_INVITATION_LINKS else "",
        }
        for invitation in provisioned.invitations
    ]


def _finish(opening: SchoolOpening, *, status: str, **outcome) -> None:
    fields = {"status": status, "finished_at": timezone.now(), **outcome}
    SchoolOpening.objects.filter(pk=opening.pk).update(**fields)
    for name, value in fields.items():
        setattr(opening, name, value)


def school_opening_fail(*, opening_id: int, error: BaseException) -> None:
    """The job gave up (retries exhausted, or an error no retry mends): the page says so, with the details kept."""
    logger.error("Opening school %s failed: %r", opening_id, error)
    SchoolOpening.objects.filter(pk=opening_id, status__in=SchoolOpening.PENDING).update(
        status=SchoolOpening.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
    )
