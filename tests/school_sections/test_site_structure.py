"""The site administrator enables and disables optional sections and picks the default language."""

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from school_sections.models import OptionalSectionPage
from tenants.models import School
from tests.factories import login_verified


@pytest.fixture
def site(make_school, client_for):
    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        users = {user.email: user for user in get_user_model().objects.all()}
        yield provisioned, users


def _client(site, client_for, email):
    provisioned, users = site
    client = client_for(provisioned.hostname)
    login_verified(client, users[email])
    return client


def test_administrator_enables_and_disables_an_optional_section(site, client_for):
    provisioned, _ = site
    client = _client(site, client_for, provisioned.invitations[-1].email)
    assert "3.2.6" in client.get("/admin/site-structure/").content.decode()

    client.post("/admin/site-structure/", {"action": "enable", "value": "3.2.6"})
    page = OptionalSectionPage.objects.get(section_code="3.2.6")
    assert page.live
    assert client_for(provisioned.hostname).get("/distance-learning/").status_code == 200

    client.post("/admin/site-structure/", {"action": "disable", "value": "3.2.6"})
    page.refresh_from_db()
    assert not page.live
    assert client_for(provisioned.hostname).get("/distance-learning/").status_code == 404


def test_mandatory_sections_are_not_offered_and_cannot_be_disabled(site, client_for):
    provisioned, _ = site
    client = _client(site, client_for, provisioned.invitations[-1].email)
    client.post("/admin/site-structure/", {"action": "disable", "value": "3.1.1"})
    assert client_for(provisioned.hostname).get("/contacts/").status_code == 200


def test_default_language_is_the_fallback_for_missing_text(site, client_for):
    provisioned, _ = site
    client = _client(site, client_for, provisioned.invitations[-1].email)
    client.post("/admin/site-structure/", {"action": "language", "value": "ru"})
    assert School.objects.get(pk=provisioned.school.pk).default_language == "ru"
    client.post("/admin/site-structure/", {"action": "language", "value": "xx"})
    assert School.objects.get(pk=provisioned.school.pk).default_language == "ru"


def test_only_the_site_administrator_manages_the_structure(site, client_for):
    provisioned, _ = site
    director = _client(site, client_for, provisioned.invitations[0].email)
    response = director.get("/admin/site-structure/")
    assert response.status_code in (302, 403)  # Wagtail's admin turns a refusal into a redirect home
    assert "Optional sections" not in response.content.decode()
    director.post("/admin/site-structure/", {"action": "enable", "value": "3.2.6"})
    assert not OptionalSectionPage.objects.filter(section_code="3.2.6").exists()
