"""Reads of screening (clause 3.3): what a revision's texts match, and whether it may go out. Nothing here writes."""

from __future__ import annotations

from wagtail.models import Revision

from workflows.models import ScreeningReport
from workflows.screening.cached import cached_texts_findings
from workflows.screening.content import page_content
from workflows.screening.documents import CLAUSE_UNREAD


def revision_findings(revision: Revision) -> list[dict]:
    """What screening finds in a revision: matches in its texts, and each linked document it could not read
    whole (clause 3.3 as a whole: nobody knows what is in it until a person looks)."""
    texts, unread = page_content(revision.as_object())
    findings = cached_texts_findings(texts)
    findings.extend(
        {"clause": CLAUSE_UNREAD, "field": field, "matched": "", "before": "", "after": "", "rule": "", "unread": why}
        for field, why in unread
    )
    return findings


def texts_findings(texts: list[tuple[str, str]]) -> list[dict]:
    """Findings in ``(field, text)`` pairs that are not a page (a regional announcement): the same rules."""
    return cached_texts_findings(texts)


def override_carry(report: ScreeningReport, findings: list[dict]) -> None:
    """A decision covers the findings it was made on: a new revision (the editor saves one on every
    publish) that finds nothing beyond them keeps it; anything new needs a new decision. Fills the
    (unsaved) ``report`` from the page's last decision."""
    if not findings:
        return
    decided = (
        ScreeningReport.objects.filter(page_id=report.page_id)
        .exclude(override_justification="")
        .order_by("-overridden_at")
        .first()
    )
    if decided is not None and all(finding in decided.findings for finding in findings):
        report.override_justification = decided.override_justification
        report.overridden_by_id = decided.overridden_by_id
        report.overridden_at = decided.overridden_at


def revision_report(revision: Revision) -> ScreeningReport:
    """The screening report of ``revision``: the saved one (made when it was submitted or published), or,
    if it has none yet, one made in memory and not saved. A page being looked at is not a reason to write."""
    report = ScreeningReport.objects.filter(revision=revision).first()
    if report is None:
        findings = revision_findings(revision)
        report = ScreeningReport(revision=revision, page_id=revision.object_id, findings=findings)
        override_carry(report, findings)
    return report


def revision_blocks_publication(revision: Revision) -> bool:
    """Whether screening stops ``revision`` (see ``revision_report``)."""
    return revision_report(revision).blocks_publication
