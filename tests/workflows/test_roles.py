"""Each role of the regulation has exactly the rights its clause gives (clauses 1.2, 4.1, 4.2, 5.1, 5.3)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context

from regulation.roles import Role
from school_sections.models import ContactsPage, NewsIndexPage
from tests.factories import console_client, login_verified

# role: (edits any section, publishes, adds news)
EXPECTED = {
    Role.SITE_ADMINISTRATOR: (True, True, True),
    Role.DIRECTOR: (True, False, True),
    Role.CHIEF_EDITOR: (True, False, True),
    # Page rights of these come with the sections assigned to them (clause 5.4), not with the role.
    Role.DEPUTY_DIRECTOR: (False, False, False),
    Role.METHODOLOGICAL_LEADER: (False, False, False),
    Role.EDITORIAL_MEMBER: (False, False, False),
}


@pytest.fixture
def school_schema(make_school):
    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        yield provisioned


def test_every_role_exists_in_a_new_school(school_schema):
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


@pytest.mark.parametrize("role", list(EXPECTED), ids=lambda role: role.name)
def test_5_3_each_role_has_exactly_its_rights(school_schema, role):
    user = get_user_model().objects.create_user(f"{role.name.lower()}@school.kz")
    user.groups.add(Group.objects.get(name=role.value))
    edits, publishes, adds_news = EXPECTED[role]

    contacts = ContactsPage.objects.get().permissions_for_user(user)
    assert contacts.can_edit() is edits
    assert contacts.can_publish() is publishes
    assert not contacts.can_delete()  # nobody removes a mandatory section (3.1)
    assert NewsIndexPage.objects.get().permissions_for_user(user).can_add_subpage() is adds_news
    assert user.has_perm("wagtailadmin.access_admin")


def test_only_the_administrator_manages_the_schools_people(school_schema):
    administrator = get_user_model().objects.get(groups__name=Role.SITE_ADMINISTRATOR.value)
    director = get_user_model().objects.get(groups__name=Role.DIRECTOR.value)
    assert administrator.has_perm("auth.change_user")
    assert not director.has_perm("auth.change_user")


def test_the_head_replaces_the_administrator_who_loses_publishing_at_once(school_schema, client_for):
    from wagtail.models import ModelLogEntry

    User = get_user_model()
    old = User.objects.get(groups__name=Role.SITE_ADMINISTRATOR.value)
    director = User.objects.get(groups__name=Role.DIRECTOR.value)
    deputy = User.objects.create_user("deputy@school.kz", email="deputy@school.kz")
    client = client_for(school_schema.hostname)

    login_verified(client, old)  # the administrator cannot appoint a successor: the head does
    client.post("/admin/site-administrator/", {"administrator": deputy.pk})
    assert old.groups.filter(name=Role.SITE_ADMINISTRATOR.value).exists()

    login_verified(client, director)
    response = client.post(
        "/admin/site-administrator/", {"administrator": deputy.pk, "reason": "Moved to another school"}
    )
    assert response.status_code == 302
    contacts = ContactsPage.objects.get()
    assert not contacts.permissions_for_user(User.objects.get(pk=old.pk)).can_publish()
    assert contacts.permissions_for_user(User.objects.get(pk=deputy.pk)).can_publish()
    entry = ModelLogEntry.objects.get(action="workflows.administrator_replace")
    assert entry.user_id == director.pk
    assert entry.data["reason"] == "Moved to another school"
    assert entry.data["previous"] == [old.get_username()]


def test_the_regional_office_steps_in_with_a_reason_and_the_old_administrator_loses_publishing(
    make_school, client_for, django_capture_on_commit_callbacks
):
    from django.core import mail
    from wagtail.models import ModelLogEntry

    provisioned = make_school(subdomain="stepin")
    with schema_context("public"):
        console = console_client(client_for, "office-stepin")
    url = f"/schools/{provisioned.school.pk}/administrator/"

    refused = console.post(url, {"email": "new-admin@stepin.kz", "full_name": "New Admin", "reason": ""})
    assert "This field is required" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = console.post(
            url, {"email": "new-admin@stepin.kz", "full_name": "New Admin", "reason": "The head is on long leave"}
        )
    assert done.status_code == 302

    with schema_context(provisioned.school.schema_name):
        User = get_user_model()
        new = User.objects.get(email="new-admin@stepin.kz")
        old = User.objects.get(email=provisioned.invitations[-1].email)
        contacts = ContactsPage.objects.get()
        assert contacts.permissions_for_user(new).can_publish()
        assert not contacts.permissions_for_user(User.objects.get(pk=old.pk)).can_publish()
        entry = ModelLogEntry.objects.get(action="workflows.administrator_replace")
        assert entry.data["by"] == "office-stepin" and entry.data["reason"] == "The head is on long leave"
    assert mail.outbox[-1].to == ["new-admin@stepin.kz"] and "http://stepin.edu.test/invite/" in mail.outbox[-1].body


def test_4_1_the_head_sees_and_edits_every_section_but_leaves_publishing_to_the_administrator(school_schema):
    from wagtail.models import Page

    director = get_user_model().objects.get(groups__name=Role.DIRECTOR.value)
    sections = Page.objects.filter(depth=3).specific()
    assert sections.count() >= 10  # the mandatory sections, news and events
    for section in sections:
        rights = section.permissions_for_user(director)
        assert rights.can_edit(), section.title
        assert not rights.can_publish(), section.title  # the administrator publishes (4.2)
