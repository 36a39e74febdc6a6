"""Clause 5.5: a reviewer who sends a page back ("Request changes") says what to change; the editor reads it."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import WorkflowState

from tests.factories import login_verified
from tests.workflows.conftest import news_draft

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def submitted(people):
    page = news_draft(people["teacher"], title="Book fair")
    state = page.get_workflow().start(page, people["teacher"])
    return page, state


def _reject_url(page, state, view="workflow_action"):
    return reverse(f"wagtailadmin_pages:{view}", args=(page.pk, "reject", state.current_task_state.pk))


def test_5_5_a_rejection_without_a_comment_is_refused_with_a_clear_message(school_site, people, client_for, submitted):
    page, state = submitted
    client = client_for(school_site.hostname)
    login_verified(client, people["administrator"])

    for comment in ("", "   "):
        response = client.post(_reject_url(page, state), {"comment": comment}, **XHR)
        assert "Write what must change" in json.loads(response.content)["html"]
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    # The editor's own "Request changes" (sent with the page form) is refused the same way, before any save.
    edit = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        {"action-workflow-action": "1", "workflow-action-name": "reject", "workflow-action-extra-data": "{}"},
        follow=True,
    )
    assert "Write what must change" in edit.content.decode()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    task = state.current_task_state.task.specific
    with pytest.raises(ValidationError):
        task.on_action(state.current_task_state, people["administrator"], "reject")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_5_5_a_rejection_with_a_comment_goes_back_and_the_editor_reads_it(school_site, people, client_for, submitted):
    page, state = submitted
    reviewer = client_for(school_site.hostname)
    login_verified(reviewer, people["administrator"])
    response = reviewer.post(_reject_url(page, state), {"comment": "Add the fair's date and place."}, **XHR)
    assert json.loads(response.content)["step"] == "success"
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.specific.get_comment() == "Add the fair's date and place."

    editor = client_for(school_site.hostname)
    login_verified(editor, people["teacher"])
    page_editor = editor.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    reviewer_name = people["administrator"].get_full_name()
    assert f"Changes requested by {reviewer_name}" in page_editor
    assert "Add the fair&#x27;s date and place." in page_editor or "Add the fair's date and place." in page_editor
