"""Clause 5.4: every section has responsible people, who edit exactly their sections."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context
from wagtail.models import PageLogEntry

from regulation.roles import Role
from school_sections.models import AchievementsPage, ContactsPage
from tests.factories import login_verified
from workflows.models import SectionResponsibility
from workflows.services import responsibility_set


@pytest.fixture
def school_schema(make_school):
    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        yield provisioned


def _person(role: Role, email: str):
    user = get_user_model().objects.create_user(email, email=email)
    user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.mark.parametrize("role", [Role.DEPUTY_DIRECTOR, Role.METHODOLOGICAL_LEADER, Role.EDITORIAL_MEMBER])
def test_5_4_assigned_people_edit_their_section_only_and_never_publish(school_schema, role):
    person = _person(role, "teacher@school.kz")
    contacts, achievements = ContactsPage.objects.get(), AchievementsPage.objects.get()
    responsibility_set(section=achievements, people=[person])
    person = get_user_model().objects.get(pk=person.pk)  # fresh permission caches

    assert achievements.permissions_for_user(person).can_edit()
    assert not achievements.permissions_for_user(person).can_publish()
    assert not contacts.permissions_for_user(person).can_edit()


def test_unassigning_takes_the_rights_away_at_once(school_schema):
    person = _person(Role.EDITORIAL_MEMBER, "pupil@school.kz")
    section = AchievementsPage.objects.get()
    responsibility_set(section=section, people=[person])
    responsibility_set(section=section, people=[])
    person = get_user_model().objects.get(pk=person.pk)
    assert not section.permissions_for_user(person).can_edit()
    assert not SectionResponsibility.objects.exists()


def test_assignments_are_in_the_audit_trail(school_schema):
    administrator = get_user_model().objects.get(groups__name=Role.SITE_ADMINISTRATOR.value)
    person = _person(Role.DEPUTY_DIRECTOR, "deputy@school.kz")
    section = ContactsPage.objects.get()
    responsibility_set(section=section, people=[person], by=administrator)
    responsibility_set(section=section, people=[], by=administrator)
    actions = list(PageLogEntry.objects.filter(page=section).values_list("action", "user_id"))
    assert ("workflows.responsibility_assign", administrator.pk) in actions
    assert ("workflows.responsibility_unassign", administrator.pk) in actions


def test_the_administrator_assigns_in_one_screen_per_section(school_schema, client_for):
    administrator = get_user_model().objects.get(groups__name=Role.SITE_ADMINISTRATOR.value)
    person = _person(Role.DEPUTY_DIRECTOR, "deputy@school.kz")
    section = ContactsPage.objects.get()
    client = client_for(school_schema.hostname)
    login_verified(client, administrator)
    url = f"/admin/sections/{section.pk}/responsible/"
    assert "deputy@school.kz" in client.get(url).content.decode()
    assert client.post(url, {"people": [person.pk]}).status_code == 302
    assert list(SectionResponsibility.objects.values_list("person__email", flat=True)) == ["deputy@school.kz"]

    director = get_user_model().objects.get(groups__name=Role.DIRECTOR.value)
    login_verified(client, director)
    client.post(url, {"people": []})
    assert SectionResponsibility.objects.count() == 1  # only the administrator assigns
