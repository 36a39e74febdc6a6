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


def test_3_1_a_new_site_lacks_every_mandatory_item_and_says_what(site):
    completeness = school_completeness(today=TODAY)
    assert completeness.mandatory_complete == 0
    assert not completeness.is_complete
    assert "3.1.2 no head of school" in completeness.missing
    assert "3.1.3 licence document missing" in completeness.missing
    assert "3.1.1 phone number missing" in completeness.missing


def test_3_1_1_contacts_are_complete_with_address_phone_and_email(site):
    page = ContactsPage.objects.get()
    page.legal_address_ru = "г. Семей, пр. Абая, 12"
    page.phones = [("phone", {"number": "+77222123456", "label_kk": "", "label_ru": "", "label_en": ""})]
    page.save()
    assert _missing("3.1.1") == ["e-mail address missing"]
    page.emails = [("email", {"address": "info@school.kz", "label_kk": "", "label_ru": "", "label_en": ""})]
    page.save()
    assert _missing("3.1.1") == []


def _person(role, **fields):
    return {
        "full_name": "A Person",
        "role": role,
        "position_ru": "Директор",
        "photo": None,
        "phone": "+77222123456",
        "email": "",
        "reception_hours_en": "Tuesday, 15:00 to 17:00",
        **fields,
    }


def _set_people(*people, no_deputies=False):
    page = AdministrationPage.objects.get()
    page.people = [("person", person) for person in people]
    page.no_deputies = no_deputies
    page.save()


def test_3_1_2_administration_needs_exactly_one_head(site):
    _set_people(_person("deputy"))
    assert _missing("3.1.2") == ["no head of school"]
    _set_people(_person("head"), _person("head"), _person("deputy"))
    assert _missing("3.1.2") == ["more than one head of school"]
    _set_people(_person("head"), _person("deputy"))
    assert _missing("3.1.2") == []


def test_3_1_2_the_head_needs_a_contact_and_reception_hours(site):
    _set_people(_person("head", phone="", email="", reception_hours_en=""), _person("deputy"))
    assert _missing("3.1.2") == [
        "no phone number or e-mail address for the head of school",
        "no reception hours for the head of school",
    ]
    _set_people(_person("head", phone="", email="head@school.kz", reception_hours_kk="Сейсенбі"), _person("deputy"))
    assert _missing("3.1.2") == []


def test_3_1_2_the_deputies_are_listed_with_contact_and_hours_or_declared_absent(site):
    _set_people(_person("head"))
    assert _missing("3.1.2") == ["no deputy heads listed, and the school has not declared it has none"]
    _set_people(_person("head"), no_deputies=True)
    assert _missing("3.1.2") == []
    _set_people(_person("head"), _person("deputy"), _person("deputy", phone="", reception_hours_en=" "))
    assert _missing("3.1.2") == [
        "a deputy head has no phone number or e-mail address",
        "a deputy head has no reception hours",
    ]


COUNCIL_DECISION = "no decision of the school council approving the rules of the site (clause 1.4)"


def test_3_1_3_documents_need_charter_licence_and_a_recent_annual_report(site):
    _set_documents(_doc("charter", TODAY), _doc("council_decision", TODAY))
    assert _missing("3.1.3") == ["licence document missing", "annual report missing"]

    _set_documents(
        _doc("charter", TODAY),
        _doc("licence", datetime.date(2020, 1, 1), valid_until=datetime.date(2026, 1, 1)),
        _doc("annual_report", datetime.date(2024, 6, 1)),
        _doc("council_decision", TODAY),
    )
    assert _missing("3.1.3") == ["the licence has expired", "no annual report for the last school year"]

    _set_documents(
        _doc("charter", TODAY),
        _doc("licence", datetime.date(2020, 1, 1)),
        _doc("annual_report", datetime.date(2026, 6, 1)),
        _doc("council_decision", TODAY),
    )
    assert _missing("3.1.3") == []


def test_1_4_the_council_decision_is_required_and_shown_on_the_documents_page(site, client_for):
    _set_documents(_doc("charter", TODAY), _doc("licence", datetime.date(2020, 1, 1)), _doc("annual_report", TODAY))
    assert _missing("3.1.3") == [COUNCIL_DECISION]
    decision = {**_doc("council_decision", datetime.date(2026, 9, 1)), "number": "7-К"}
    _set_documents(
        _doc("charter", TODAY), _doc("licence", datetime.date(2020, 1, 1)), _doc("annual_report", TODAY), decision
    )
    assert _missing("3.1.3") == []
    DocumentsPage.objects.get().save_revision().publish()
    body = client_for(site.hostname).get("/documents/").content.decode()
    assert "approved by the school council" in body and "№ 7-К" in body, body[-3000:]
    assert decision["document"].url in body


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_3_1_3_an_expired_licence_is_flagged_for_the_region_in_any_language(site, language):
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


def test_3_1_an_unpublished_section_counts_as_missing(site):
    page = ContactsPage.objects.get()
    page.live = False  # as if someone unpublished it behind the editor's back
    page.save()
    assert _missing("3.1.1") == ["the section is not published"]


def test_3_1_the_summary_counts_complete_mandatory_sections(site):
    _set_people(_person("head"), no_deputies=True)
    completeness = school_completeness(today=TODAY)
    assert completeness.mandatory_complete == 1
    assert len(completeness.mandatory) == 8


def test_5_6_the_dashboard_shows_what_is_missing(site, client_for):
    from django.contrib.auth import get_user_model

    client = client_for(site.hostname)
    login_verified(client, get_user_model().objects.get(email=site.invitations[0].email))
    body = client.get("/admin/").content.decode()
    assert "What the regulation still asks of this site" in body
    assert "no head of school" in body


def test_5_4_a_section_with_nobody_responsible_is_incomplete(site):
    page = ContactsPage.objects.get()
    responsibility_set(section=page, people=[])
    assert "nobody is responsible for this section" in _missing("3.1.1")


def test_3_1_3_the_annual_report_is_due_by_a_configurable_day(settings):
    from school_sections.selectors import annual_report_required_since

    settings.ANNUAL_REPORT_DUE = (9, 1)
    assert annual_report_required_since(datetime.date(2026, 8, 31)) == datetime.date(2024, 9, 1)
    assert annual_report_required_since(datetime.date(2026, 9, 1)) == datetime.date(2025, 9, 1)
    settings.ANNUAL_REPORT_DUE = (6, 15)
    assert annual_report_required_since(datetime.date(2026, 6, 20)) == datetime.date(2025, 6, 15)
