"""When one language version of a page changes, the others are flagged until updated or confirmed."""

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from school_sections.models import ContactsPage
from tests.factories import login_verified


@pytest.fixture
def editor(make_school, client_for):
    provisioned = make_school()
    client = client_for(provisioned.hostname)
    with schema_context(provisioned.school.schema_name):
        login_verified(client, get_user_model().objects.get(email=provisioned.invitations[-1].email))
        yield client, ContactsPage.objects.get()


def _edit(client, page, **fields):
    form = {
        "title": page.title,
        "slug": page.slug,
        "legal_address_kk": page.legal_address_kk,
        "legal_address_ru": page.legal_address_ru,
        "legal_address_en": page.legal_address_en,
        "reception_hours_kk": page.reception_hours_kk,
        "reception_hours_ru": page.reception_hours_ru,
        "reception_hours_en": page.reception_hours_en,
        "intro_kk": rich_text(""),
        "intro_ru": rich_text(""),
        "intro_en": rich_text(""),
        **nested_form_data({"phones": streamfield([]), "emails": streamfield([])}),
        "latitude": "",
        "longitude": "",
        "action-publish": "publish",
    }
    form.update(fields)
    response = client.post(f"/admin/pages/{page.pk}/edit/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ContactsPage.objects.get(pk=page.pk)


def test_changing_one_language_flags_the_others_that_have_text(editor):
    client, page = editor
    page = _edit(client, page, legal_address_kk="Абай даңғылы, 12", legal_address_ru="пр. Абая, 12")
    assert page.translations_outdated == []  # first text in both: nothing is behind yet

    page = _edit(client, page, legal_address_kk="Абай даңғылы, 14", legal_address_ru="пр. Абая, 12")
    assert page.translations_outdated == ["ru"]  # English has no text, so nothing to be outdated

    body = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "translation may be outdated" in body
    assert "Checked, still accurate" in body


def test_updating_the_flagged_language_clears_it(editor):
    client, page = editor
    page = _edit(client, page, legal_address_kk="A", legal_address_ru="B")
    page = _edit(client, page, legal_address_kk="A2", legal_address_ru="B")
    assert page.translations_outdated == ["ru"]
    page = _edit(client, page, legal_address_kk="A2", legal_address_ru="B2")
    assert page.translations_outdated == []


def test_confirming_clears_the_flag_without_a_new_version(editor):
    client, page = editor
    page = _edit(client, page, legal_address_kk="A", legal_address_ru="B")
    page = _edit(client, page, legal_address_kk="A2", legal_address_ru="B")
    revisions = page.revisions.count()
    response = client.post(f"/admin/translations/{page.pk}/ru/confirm/")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.translations_outdated == []
    assert page.revisions.count() == revisions
