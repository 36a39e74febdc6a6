"""What the regulation still asks of a site, in plain words (clause 3.1)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import translation
from django_tenants.utils import schema_context
from wagtail.documents.models import Document
from wagtail.models import Page

from school_sections.models import AdministrationPage, ContactsPage, DocumentsPage
from school_sections.selectors import school_completeness
from tests.factories import login_verified
from workflows.services import responsibility_set

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def site(make_school):
    """A new school whose administrator is responsible for every section (clause 5.4)."""
    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        administrator = get_user_model().objects.get(email=provisioned.invitations[-1].email)
        for section in Page.objects.filter(depth=3):
            responsibility_set(section=section, people=[administrator])
        yield provisioned


def _missing(code):
    (state,) = [state for state in school_completeness(today=TODAY).sections if state.section.code == code]
    return state.missing


def _document(name="file.pdf"):
    document = Document(title=name)
    document.file.save(name, ContentFile(b"%PDF-1.4 test"), save=False)
    document.save()
    return document


def _set_documents(*entries):
    page = DocumentsPage.objects.get()
    page.documents = [("document", entry) for entry in entries]
    page.save()


def _doc(kind, date, valid_until=None):
    return {
        "document_type": kind,
        "document": _document(),
        "title_kk": kind,
        "number": "1",
        "date": date,
        "valid_until": valid_until,
    }


def test_a_new_site_lacks_every_mandatory_item_and_says_what(site):
    completeness = school_completeness(today=TODAY)
    assert completeness.mandatory_complete == 0
    assert not completeness.is_complete
    assert "3.1.2 no head of school" in completeness.missing
    assert "3.1.3 licence document missing" in completeness.missing
    assert "3.1.1 phone number missing" in completeness.missing


def test_contacts_are_complete_with_address_phone_and_email(site):
    page = ContactsPage.objects.get()
    page.legal_address_ru = "г. Семей, пр. Абая, 12"
    page.phones = [("phone", {"number": "+77222123456", "label_kk": "", "label_ru": "", "label_en": ""})]
    page.save()
    assert _missing("3.1.1") == ["e-mail address missing"]
    page.emails = [("email", {"address": "info@school.kz", "label_kk": "", "label_ru": "", "label_en": ""})]
    page.save()
    assert _missing("3.1.1") == []


def _person(role):
    return {"full_name": "A Person", "role": role, "position_ru": "Директор", "photo": None, "phone": "", "email": ""}


def test_administration_needs_exactly_one_head(site):
    page = AdministrationPage.objects.get()
    page.people = [("person", _person("deputy"))]
    page.save()
    assert _missing("3.1.2") == ["no head of school"]
    page.people = [("person", _person("head")), ("person", _person("head"))]
    page.save()
    assert _missing("3.1.2") == ["more than one head of school"]
    page.people = [("person", _person("head")), ("person", _person("deputy"))]
    page.save()
    assert _missing("3.1.2") == []


def test_documents_need_charter_licence_and_a_recent_annual_report(site):
    _set_documents(_doc("charter", TODAY))
    assert _missing("3.1.3") == ["licence document missing", "annual report missing"]

    _set_documents(
        _doc("charter", TODAY),
        _doc("licence", datetime.date(2020, 1, 1), valid_until=datetime.date(2026, 1, 1)),
        _doc("annual_report", datetime.date(2024, 6, 1)),
    )
    assert _missing("3.1.3") == ["the licence has expired", "no annual report for the last school year"]

    _set_documents(
        _doc("charter", TODAY),
        _doc("licence", datetime.date(2020, 1, 1)),
        _doc("annual_report", datetime.date(2026, 6, 1)),
    )
    assert _missing("3.1.3") == []


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_an_expired_licence_is_flagged_for_the_region_in_any_language(site, language):
    """The daily scan's "licence expired" (clause 3.1.3) comes from the documents, not from the wording."""

    def flagged() -> bool:
        with translation.override(language):
            (state,) = [state for state in school_completeness(today=TODAY).sections if state.section.code == "3.1.3"]
        return state.licence_expired

    _set_documents(_doc("charter", TODAY), _doc("licence", datetime.date(2020, 1, 1), valid_until=TODAY))
    assert not flagged()  # valid to the end of today
    _set_documents(
        _doc("charter", TODAY),
        _doc("licence", datetime.date(2020, 1, 1), valid_until=datetime.date(2026, 1, 1)),
        _doc("licence", datetime.date(2026, 1, 2), valid_until=datetime.date(2027, 1, 1)),
    )
    assert not flagged()  # one licence is still valid
    _set_documents(
        _doc("charter", TODAY), _doc("licence", datetime.date(2020, 1, 1), valid_until=datetime.date(2026, 1, 1))
    )
    assert flagged()


def test_an_unpublished_section_counts_as_missing(site):
    page = ContactsPage.objects.get()
    page.live = False  # as if someone unpublished it behind the editor's back
    page.save()
    assert _missing("3.1.1") == ["the section is not published"]


def test_the_summary_counts_complete_mandatory_sections(site):
    page = AdministrationPage.objects.get()
    page.people = [("person", _person("head"))]
    page.save()
    completeness = school_completeness(today=TODAY)
    assert completeness.mandatory_complete == 1
    assert len(completeness.mandatory) == 8


def test_the_dashboard_shows_what_is_missing(site, client_for):
    from django.contrib.auth import get_user_model

    client = client_for(site.hostname)
    login_verified(client, get_user_model().objects.get(email=site.invitations[0].email))
    body = client.get("/admin/").content.decode()
    assert "What the regulation still asks of this site" in body
    assert "no head of school" in body


def test_a_section_with_nobody_responsible_is_incomplete(site):
    page = ContactsPage.objects.get()
    responsibility_set(section=page, people=[])
    assert "nobody is responsible for this section" in _missing("3.1.1")


def test_the_annual_report_is_due_by_a_configurable_day(settings):
    from school_sections.selectors import annual_report_required_since

    settings.ANNUAL_REPORT_DUE = (9, 1)
    assert annual_report_required_since(datetime.date(2026, 8, 31)) == datetime.date(2024, 9, 1)
    assert annual_report_required_since(datetime.date(2026, 9, 1)) == datetime.date(2025, 9, 1)
    settings.ANNUAL_REPORT_DUE = (6, 15)
    assert annual_report_required_since(datetime.date(2026, 6, 20)) == datetime.date(2025, 6, 15)
