"""Clause 5.5: material goes to the site administrator for approval; mail links to the school's host."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context
from wagtail.models import Page

from school_sections.models import NewsIndexPage
from workflows.models import ScreenedApprovalTask


@pytest.fixture
def school_schema(make_school):
    provisioned = make_school(subdomain="moderated")
    with schema_context(provisioned.school.schema_name):
        yield provisioned


def test_5_5_every_page_goes_to_the_site_administrator_for_approval(school_schema):
    workflow = NewsIndexPage.objects.get().get_workflow()
    assert workflow is not None and workflow.active
    (task,) = [task.specific for task in workflow.tasks]
    assert isinstance(task, ScreenedApprovalTask)
    assert list(task.groups.values_list("name", flat=True)) == ["Site administrator"]


def test_no_group_has_rights_that_no_clause_gives(school_schema):
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()


def test_the_administrator_can_add_a_second_step(school_schema):
    from django.contrib.auth import get_user_model

    administrator = get_user_model().objects.get(groups__name="Site administrator")
    assert administrator.has_perm("wagtailcore.change_workflow")
    assert administrator.has_perm("wagtailcore.add_task")


def test_wagtails_mail_links_point_to_the_schools_own_host(school_schema, other_school):
    assert str(settings.WAGTAILADMIN_BASE_URL) == "http://moderated.edu.test"
    with schema_context(other_school.school.schema_name):
        assert str(settings.WAGTAILADMIN_BASE_URL) == "http://beta.edu.test"
    assert Page.objects.exists()


def test_the_platform_itself_links_to_the_platform_domain(db):
    assert str(settings.WAGTAILADMIN_BASE_URL) == "http://edu.test"


def _news_draft(author):
    from school_sections.models import NewsPage

    index = NewsIndexPage.objects.get()
    page = index.add_child(instance=NewsPage(title="Draft news", live=False, owner=author))
    page.save_revision(user=author)
    return page


def test_5_1_a_pupils_draft_reaches_the_administrator_who_publishes_it(school_schema):
    from django.contrib.auth import get_user_model

    from workflows.services import responsibility_set

    User = get_user_model()
    pupil = User.objects.create_user("pupil@school.kz")
    pupil.groups.add(Group.objects.get(name="Editorial group member"))
    news = NewsIndexPage.objects.get()
    responsibility_set(section=news, people=[pupil])
    administrator = User.objects.get(groups__name="Site administrator")
    director = User.objects.get(groups__name="Director")

    page = _news_draft(pupil)
    assert not page.permissions_for_user(User.objects.get(pk=pupil.pk)).can_publish()
    state = page.get_workflow().start(page, pupil)
    task = state.current_task_state.task.specific
    assert task.get_actions(page, director) == []  # the head answers for the site, but does not publish (4.2)
    # Reject, approve, and approve with a comment.
    assert {action[0] for action in task.get_actions(page, administrator)} == {"reject", "approve"}

    task.on_action(state.current_task_state, administrator, "approve")
    page.refresh_from_db()
    assert page.live
    state.refresh_from_db()
    approval = state.task_states.get()
    assert approval.finished_by == administrator  # who approved is recorded (4.1, 4.2)
    assert approval.status == "approved"


def test_a_rejection_goes_back_with_its_comment(school_schema):
    from django.contrib.auth import get_user_model
    from wagtail.models import WorkflowState

    User = get_user_model()
    administrator = User.objects.get(groups__name="Site administrator")
    page = _news_draft(administrator)
    state = page.get_workflow().start(page, administrator)
    task = state.current_task_state.task.specific
    task.on_action(state.current_task_state, administrator, "reject", comment="Please add the date.")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.get_comment() == "Please add the date."
    page.refresh_from_db()
    assert not page.live
