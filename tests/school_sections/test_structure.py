"""Clause 3.1: a mandatory section cannot be deleted, moved, unpublished, copied or doubled."""

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context
from wagtail.models import Page

from regulation import catalogue
from school_sections.models import ContactsPage, NewsIndexPage, OptionalSectionPage, SchoolHomePage
from school_sections.services import section_disable, section_enable
from tests.factories import login_verified


@pytest.fixture
def editor(make_school, client_for):
    """A fresh school, and a client signed in as its site administrator, inside its schema."""
    provisioned = make_school()
    client = client_for(provisioned.hostname)
    with schema_context(provisioned.school.schema_name):
        administrator = get_user_model().objects.get(email=provisioned.invitations[-1].email)
        login_verified(client, administrator)
        yield client, SchoolHomePage.objects.get()


def _children_codes(home):
    return [getattr(page, "section_code", "") for page in home.get_children().specific()]


def test_provisioning_creates_the_sections_in_catalogue_order(editor):
    _, home = editor
    assert _children_codes(home) == [entry.code for entry in catalogue.PROVISIONED]
    assert all(page.live for page in home.get_children())


@pytest.mark.parametrize("action", ["delete", "move", "unpublish", "copy"])
def test_mandatory_section_refuses_every_removing_action(editor, action):
    client, home = editor
    contacts = ContactsPage.objects.get()
    client.get(f"/admin/pages/{contacts.pk}/{action}/")
    client.post(
        f"/admin/pages/{contacts.pk}/{action}/", {"new_parent_page": home.pk, "new_title": "Copy", "new_slug": "copy"}
    )
    contacts.refresh_from_db()
    assert contacts.live
    assert contacts.get_parent().pk == home.pk
    assert ContactsPage.objects.count() == 1


def test_mandatory_section_survives_bulk_delete_and_bulk_unpublish(editor):
    client, _ = editor
    contacts = ContactsPage.objects.get()
    for action in ("delete", "unpublish"):
        client.post(f"/admin/bulk/wagtailcore/page/{action}/?id={contacts.pk}", {"include_descendants": "on"})
    contacts.refresh_from_db()
    assert contacts.live


def test_the_permission_tester_says_no_to_each_action(editor):
    _, home = editor
    user = get_user_model().objects.get(groups__name="Site administrator")
    for page in (ContactsPage.objects.get(), home):
        permissions = page.permissions_for_user(user)
        assert not permissions.can_delete()
        assert not permissions.can_move()
        assert not permissions.can_unpublish()
        assert not permissions.can_copy()
        assert permissions.can_edit()


def test_a_second_instance_of_a_mandatory_section_cannot_be_added(editor):
    client, home = editor
    assert not ContactsPage.can_create_at(home)
    response = client.get(f"/admin/pages/add/school_sections/contactspage/{home.pk}/")
    assert response.status_code in (302, 403)
    assert ContactsPage.objects.count() == 1


def test_only_the_catalogues_page_types_go_under_a_section(editor):
    _, home = editor
    contacts = ContactsPage.objects.get()
    assert contacts.allowed_subpage_models() == []
    from school_sections.models import NewsPage

    assert NewsIndexPage.objects.get().allowed_subpage_models() == [NewsPage]
    assert {model._meta.label for model in home.allowed_subpage_models()} <= {
        entry.page_model for entry in catalogue.CATALOGUE
    }
    assert not OptionalSectionPage.can_create_at(home)  # enabled through the service, in its place


def test_the_edit_form_says_why_the_section_cannot_be_removed(editor):
    client, _ = editor
    body = client.get(f"/admin/pages/{ContactsPage.objects.get().pk}/edit/").content.decode()
    assert "cannot be deleted, moved, unpublished or copied" in body
    assert "3.1.1" in body


def test_optional_section_is_enabled_in_its_place_disabled_and_restored_with_its_content(editor):
    _, home = editor
    page = section_enable(home=home, code="3.2.4")
    assert _children_codes(home).index("3.2.4") == _children_codes(home).index("3.1.8") + 1
    page.specific.intro_en = "<p>Our pupils' drawings</p>"
    page.specific.save()

    section_disable(home=home, code="3.2.4")
    page.refresh_from_db()
    assert not page.live
    assert OptionalSectionPage.objects.filter(section_code="3.2.4").exists()  # archived, not destroyed

    restored = section_enable(home=home, code="3.2.4")
    assert restored.pk == page.pk
    assert restored.live
    assert OptionalSectionPage.objects.get(pk=page.pk).intro_en == "<p>Our pupils' drawings</p>"


def test_mandatory_sections_cannot_be_disabled(editor):
    _, home = editor
    with pytest.raises(ValueError, match="mandatory"):
        section_disable(home=home, code="3.1.3")
    assert Page.objects.get(slug="documents").live
