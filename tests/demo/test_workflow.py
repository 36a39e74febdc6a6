"""The demo's publishing scenario: a teacher's news waits with a finding; the licence is restorable."""

from wagtail.models import WorkflowState

from demo.workflow import demo_workflow_fill
from workflows.archive import archival_restore
from workflows.models import Archival, ScreeningReport


def test_the_demo_has_a_submission_with_a_finding_and_an_archived_document(school_site, people):
    demo_workflow_fill(hostname=school_site.hostname)
    demo_workflow_fill(hostname=school_site.hostname)  # a second run adds nothing

    (state,) = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
    page = state.content_object
    assert page.owner.email == f"teacher@{school_site.hostname}"
    report = ScreeningReport.objects.get(revision=page.get_latest_revision())
    assert report.blocks_publication and report.clauses == ["3.3.5"]

    (archival,) = Archival.objects.all()
    assert archival_restore(archival=archival, user=people["administrator"])
    assert not Archival.objects.exists()
