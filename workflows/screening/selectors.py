"""Reads of screening (clause 3.3): what a revision's texts match, and whether it may go out. Nothing here writes."""

from __future__ import annotations

from wagtail.models import Revision

from workflows.models import ScreeningReport
from workflows.screening.concepts import built_in_concepts
from workflows.screening.content import page_texts
from workflows.screening.matcher import text_findings
from workflows.screening.rules import active_rules


def revision_findings(revision: Revision) -> list[dict]:
    rules, concepts = active_rules(), built_in_concepts()
    findings: list[dict] = []
    for field, text in page_texts(revision.as_object()):
        findings.extend(finding.as_dict() for finding in text_findings(text, rules, field=field, concepts=concepts))
    return findings


def texts_findings(texts: list[tuple[str, str]]) -> list[dict]:
    """Findings in ``(field, text)`` pairs that are not a page (a regional announcement): the same rules."""
    rules, concepts = active_rules(), built_in_concepts()
    return [
        finding.as_dict()
        for field, text in texts
        for finding in text_findings(text, rules, field=field, concepts=concepts)
    ]


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
