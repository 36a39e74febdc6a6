"""Clause 4.2 (and 4.1): the site administrator, who answers for the site, and the director read the school's
audit trail — who published, approved, rejected, archived and restored what, and when; an editorial group
member does not."""

import pytest

from tests.factories import login_verified
from tests.workflows.conftest import news_draft
from workflows.archive import archival_restore, page_archive


@pytest.fixture
def history(people):
    """A page submitted, sent back with a comment, approved and published, then archived and restored."""
    teacher, administrator = people["teacher"], people["administrator"]
    page = news_draft(teacher, title="Science week")
    state = page.get_workflow().start(page, teacher)
    task = state.current_task_state.task.specific
    task.on_action(state.current_task_state, administrator, "reject", comment="Name the winners, please.")
    state.refresh_from_db()
    state.resume(teacher)
    state.refresh_from_db()
    state.current_task_state.task.specific.on_action(state.current_task_state, administrator, "approve")
    page.refresh_from_db()
    archival = page_archive(page=page, user=administrator, reason="The week is long over")
    archival_restore(archival=archival, user=administrator, reason="Parents asked for it")
    return page


@pytest.mark.parametrize("role", ["administrator", "director"])
def test_4_2_the_administrator_and_the_director_read_the_audit_trail(school_site, people, client_for, history, role):
    client = client_for(school_site.hostname)
    login_verified(client, people[role])
    listing = client.get("/admin/audit/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Science week" in body
    for why in ("Name the winners, please.", "The week is long over", "Parents asked for it"):
        assert why in body
    assert people["administrator"].get_full_name() in body
    assert "/admin/audit/" in client.get("/admin/").content.decode()  # the Reports menu leads there
    assert client.get("/admin/reports/site-history/").status_code == 200


@pytest.mark.parametrize("role", ["teacher", "chief_editor"])
def test_4_2_an_editorial_member_does_not_read_the_audit_trail(school_site, people, client_for, history, role):
    client = client_for(school_site.hostname)
    login_verified(client, people[role])
    assert client.get("/admin/audit/").status_code in (302, 403)
    assert client.get("/admin/reports/site-history/").status_code in (302, 403)
    assert client.get("/admin/reports/site-history/results/").status_code in (302, 403)
    assert "/admin/audit/" not in client.get("/admin/").content.decode()
