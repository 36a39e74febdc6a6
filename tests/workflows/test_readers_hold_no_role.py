"""Clauses 5.2 and 5.4: a reader's account reads restricted pages and nothing more; it is offered no role, no
section and not the administrator's post, and the services refuse it; the Readers screen still lists it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from accounts.people import appointed_role_step_in
from regulation.roles import ReaderGroup, Role
from school_sections.models import ContactsPage
from tests.factories import login_verified
from workflows.models import SectionResponsibility
from workflows.services import responsibility_set, site_administrator_replace


@pytest.fixture
def school_schema(make_school):
    provisioned = make_school(subdomain="readersrole")
    with schema_context(provisioned.school.schema_name):
        yield provisioned


def _account(email: str, *groups: str):
    user = get_user_model().objects.create_user(email, email=email, first_name=email.split("@", maxsplit=1)[0].title())
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def _holder(role: Role):
    return get_user_model().objects.get(groups__name=role.value)


def test_5_4_a_reader_is_not_offered_a_section_and_the_service_refuses_one(school_schema, client_for):
    parent = _account("parent@school.kz", ReaderGroup.PARENTS.value)
    teacher_and_parent = _account("teacher@school.kz", ReaderGroup.PARENTS.value, Role.EDITORIAL_MEMBER.value)
    section = ContactsPage.objects.get()
    client = client_for(school_schema.hostname)
    login_verified(client, _holder(Role.SITE_ADMINISTRATOR))
    url = f"/admin/sections/{section.pk}/responsible/"

    screen = client.get(url).content.decode()
    assert "parent@school.kz" not in screen and "teacher@school.kz" in screen
    refused = client.post(url, {"people": [parent.pk]})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not SectionResponsibility.objects.exists()

    with pytest.raises(ValidationError) as error:
        responsibility_set(section=section, people=[parent, teacher_and_parent])
    assert "Parent only read the site" in " ".join(error.value.messages)
    assert not SectionResponsibility.objects.exists() and not parent.groups.filter(name__startswith="Section").exists()
    responsibility_set(section=section, people=[teacher_and_parent])  # an editor who is also a parent may
    assert list(SectionResponsibility.objects.values_list("person__email", flat=True)) == ["teacher@school.kz"]


def test_5_2_a_reader_is_not_offered_the_administrators_post_and_cannot_be_appointed(school_schema, client_for):
    pupil = _account("pupil@school.kz", ReaderGroup.PUPILS.value)
    administrator, director = _holder(Role.SITE_ADMINISTRATOR), _holder(Role.DIRECTOR)
    client = client_for(school_schema.hostname)
    login_verified(client, director)

    assert "pupil@school.kz" not in client.get("/admin/site-administrator/").content.decode()
    refused = client.post("/admin/site-administrator/", {"administrator": pupil.pk, "reason": "Try"})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    with pytest.raises(ValidationError) as error:
        site_administrator_replace(new_administrator=pupil, by=director)
    assert "reader's account only" in " ".join(error.value.messages)
    assert list(Group.objects.get(name=Role.SITE_ADMINISTRATOR.value).user_set.all()) == [administrator]

    # Nor can the regional office, stepping in, appoint a reader by e-mail.
    with pytest.raises(ValidationError) as error:
        appointed_role_step_in(
            role=Role.SITE_ADMINISTRATOR, email="pupil@school.kz", full_name="", reason="Leave", officer="office"
        )
    assert "reader's account" in " ".join(error.value.message_dict["email"])
    assert not pupil.groups.filter(name=Role.SITE_ADMINISTRATOR.value).exists()


def test_5_2_the_people_screen_leaves_readers_to_the_readers_screen(school_schema, client_for):
    _account("staffreader@school.kz", ReaderGroup.STAFF.value)
    _account("deputy@school.kz", Role.DEPUTY_DIRECTOR.value)
    client = client_for(school_schema.hostname)
    login_verified(client, _holder(Role.SITE_ADMINISTRATOR))

    people = client.get("/admin/people/").content.decode()
    assert "deputy@school.kz" in people and "staffreader@school.kz" not in people
    assert "staffreader@school.kz" in client.get("/admin/readers/").content.decode()
