"""Writes of screening (clause 3.3): screen a revision, refuse to publish what it blocks, record overrides."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Revision

from regulation.permissions import Capability, user_may
from workflows.models import ScreeningReport
from workflows.screening.selectors import override_carry, revision_findings

# An override must say why; a word or two is not a reason anyone can check later.
JUSTIFICATION_MIN_CHARS = 20


class ScreeningBlocked(PermissionDenied):
    """Publishing was refused: screening found something nobody has fixed or overridden (clause 3.3)."""

    def __init__(self, report: ScreeningReport):
        self.report = report
        super().__init__(
            _("Screening found possible breaches of clauses %(clauses)s; fix the text or override with a reason.")
            % {"clauses": ", ".join(report.clauses)}
        )


def revision_screen(*, revision: Revision, fresh: bool = False) -> ScreeningReport:
    """The screening report of ``revision``, screening it now if it has none (or if ``fresh``).

    Screening again keeps an override only if it found nothing new.
    """
    report = ScreeningReport.objects.filter(revision=revision).first()
    if report is not None and not fresh:
        return report
    findings = revision_findings(revision)
    if report is None:
        report = ScreeningReport(revision=revision, page_id=revision.object_id)
        override_carry(report, findings)
        if findings:
            log(
                instance=revision.content_object,
                action="workflows.screening_findings",
                revision=revision,
                data={"clauses": sorted({finding["clause"] for finding in findings}), "count": len(findings)},
            )
    elif report.override_justification and any(finding not in report.findings for finding in findings):
        report.override_justification, report.overridden_by, report.overridden_at = "", None, None
    report.findings = findings
    report.screened_at = timezone.now()
    report.save()
    return report


def publication_screen(*, revision: Revision) -> ScreeningReport:
    """Screen ``revision`` again just before it goes out; raise ScreeningBlocked if it must not."""
    report = revision_screen(revision=revision, fresh=True)
    if report.blocks_publication:
        raise ScreeningBlocked(report)
    return report


@transaction.atomic
def screening_override(*, report: ScreeningReport, user, justification: str) -> ScreeningReport:
    """Let flagged content be published, recording who decided it and why (audit trail)."""
    if not user_may(user, Capability.OVERRIDE_SCREENING):
        raise PermissionDenied(_("Only the site administrator can override screening."))
    justification = " ".join(justification.split())
    if len(justification) < JUSTIFICATION_MIN_CHARS:
        raise ValidationError(
            {
                "justification": _("Write why this text may be published (at least %(count)d characters).")
                % {"count": JUSTIFICATION_MIN_CHARS}
            }
        )
    report.override_justification = justification
    report.overridden_by = user
    report.overridden_at = timezone.now()
    report.save()
    log(
        instance=report.revision.content_object,
        action="workflows.screening_override",
        user=user,
        revision=report.revision,
        data={"clauses": report.clauses, "reason": justification},
    )
    return report
