"""Clause 3.3: screening runs on submission and on publication; flagged content needs a written override."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.models import PageLogEntry

from school_sections.models import ContactsPage
from tests.factories import login_verified
from tests.workflows.conftest import news_draft, prohibited_example
from workflows.models import RegionalScreeningRule, ScreeningReport
from workflows.screening.services import ScreeningBlocked, revision_screen, screening_override


def _submit(page, user):
    return page.get_workflow().start(page, user)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_submitted_prohibited_text_reaches_the_administrator_with_its_findings(people, language):
    text = prohibited_example("3.3.1", language)
    page = news_draft(people["teacher"], title="Comment", intro=f"<p>{text}</p>")
    state = _submit(page, people["teacher"])

    report = ScreeningReport.objects.get(revision=page.get_latest_revision())  # screened on submission
    assert report.blocks_publication and "3.3.1" in report.clauses
    finding = next(f for f in report.findings if f["clause"] == "3.3.1")
    assert finding["field"] == "Text in English"  # a field the news editor shows
    assert finding["matched"] in text and finding["matched"]

    task = state.current_task_state.task.specific
    administrator = get_user_model().objects.get(pk=people["administrator"].pk)
    assert {action[0] for action in task.get_actions(page, administrator)} == {"reject"}
    with pytest.raises(ScreeningBlocked):
        page.get_latest_revision().publish(user=administrator)
    page.refresh_from_db()
    assert not page.live


def test_an_override_needs_the_administrator_and_a_written_reason(people):
    page = news_draft(people["teacher"], intro=f"<p>{prohibited_example('3.3.5', 'ru')}</p>")
    state = _submit(page, people["teacher"])
    report = revision_screen(revision=page.get_latest_revision())

    with pytest.raises(PermissionDenied):
        screening_override(report=report, user=people["director"], justification="The director says it is fine.")
    for justification in ("", "   ", "ok"):
        with pytest.raises(ValidationError) as error:
            screening_override(report=report, user=people["administrator"], justification=justification)
        assert "justification" in error.value.message_dict
    report.refresh_from_db()
    assert report.blocks_publication

    reason = "Our own school fair; the shop gives the prizes, agreed with the director."
    screening_override(report=report, user=people["administrator"], justification=reason)
    task = state.current_task_state.task.specific
    administrator = get_user_model().objects.get(pk=people["administrator"].pk)
    assert "approve" in {action[0] for action in task.get_actions(page, administrator)}
    task.on_action(state.current_task_state, administrator, "approve")
    page.refresh_from_db()
    assert page.live
    entry = PageLogEntry.objects.get(page=page, action="workflows.screening_override")
    assert entry.user == administrator and entry.data["reason"] == reason and entry.data["clauses"] == ["3.3.5"]


def test_clean_news_is_screened_and_published_without_a_decision(people):
    page = news_draft(people["teacher"])
    state = _submit(page, people["teacher"])
    state.current_task_state.task.specific.on_action(state.current_task_state, people["administrator"], "approve")
    page.refresh_from_db()
    assert page.live
    assert ScreeningReport.objects.get(revision=page.live_revision).findings == []


def test_publishing_from_the_editor_is_refused_and_shows_the_findings(school_site, people, client_for):
    from tests.school_sections.test_translation_state import _edit

    client = client_for(school_site.hostname)
    login_verified(client, people["administrator"])
    contacts = _edit(client, ContactsPage.objects.get(), reception_hours_ru="Пн-Пт 9:00-18:00")
    assert contacts.live

    text = prohibited_example("3.3.2", "ru")
    contacts = _edit(client, contacts, reception_hours_ru=text)
    assert contacts.live_revision.as_object().reception_hours_ru == "Пн-Пт 9:00-18:00"  # what visitors see
    editor = client.get(f"/admin/pages/{contacts.pk}/edit/").content.decode()
    assert "3.3.2" in editor and "See the findings" in editor
    findings = client.get(f"/admin/screening/{contacts.pk}/").content.decode()
    assert "Reception hours in Russian" in findings and "Record my decision" in findings

    response = client.post(f"/admin/screening/{contacts.pk}/", {"justification": "short"})
    assert "at least 20 characters" in response.content.decode()
    reason = "A quotation from the court decision the school won; published on the lawyer's advice."
    client.post(f"/admin/screening/{contacts.pk}/", {"justification": reason})
    contacts = _edit(client, contacts, reception_hours_ru=text)
    assert contacts.live_revision.as_object().reception_hours_ru == text


def test_the_text_of_linked_documents_is_screened(people):
    Document = get_document_model()
    document = Document(title="Price list")
    document.file.save("price.txt", ContentFile(prohibited_example("3.3.5", "en").encode()), save=False)
    document.save()
    link = f'<p>See <a linktype="document" id="{document.pk}">the list</a>.</p>'
    page = news_draft(people["teacher"], intro=link)
    report = revision_screen(revision=page.get_latest_revision())
    assert {finding["field"] for finding in report.findings if finding["clause"] == "3.3.5"} == {
        "Document “Price list”"
    }


def test_a_regional_rule_applies_to_every_school(school_site, other_school, people):
    RegionalScreeningRule.objects.create(clause="3.3.6", language="en", text="unlicensed tutoring", reason="test")
    page = news_draft(people["teacher"], intro="<p>Join our Unlicensed Tutoring club.</p>")
    (finding,) = revision_screen(revision=page.get_latest_revision()).findings
    assert finding["clause"] == "3.3.6" and finding["regional"]
    with schema_context(other_school.school.schema_name):
        author = get_user_model().objects.get(groups__name="Site administrator")
        other = news_draft(author, intro="<p>unlicensed tutoring here</p>")
        assert revision_screen(revision=other.get_latest_revision()).clauses == ["3.3.6"]


def test_a_malformed_regional_rule_is_refused(db):
    rule = RegionalScreeningRule(clause="3.3.5", language="ru", text="re:(oops")
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "text" in error.value.message_dict


def test_offering_the_reviewer_actions_writes_nothing(people):
    """Reading the review page screens in memory when the revision has no report yet; it never saves one."""
    page = news_draft(people["teacher"], intro=f"<p>{prohibited_example('3.3.1', 'ru')}</p>")
    state = _submit(page, people["teacher"])
    page.save_revision(user=people["teacher"])  # a newer revision, not screened: it has no report
    reports_before = ScreeningReport.objects.count()

    task = state.current_task_state.task.specific
    administrator = get_user_model().objects.get(pk=people["administrator"].pk)
    assert {action[0] for action in task.get_actions(page, administrator)} == {"reject"}
    assert ScreeningReport.objects.count() == reports_before
    assert not ScreeningReport.objects.filter(revision=page.get_latest_revision()).exists()


def test_opening_the_editor_and_the_findings_page_writes_nothing(people, client_for, school_site):
    """A draft nobody has submitted yet: its findings are shown, but no report or log entry is saved."""
    page = news_draft(people["teacher"], intro=f"<p>{prohibited_example('3.3.1', 'kk')}</p>")
    client = client_for(school_site.hostname)
    login_verified(client, people["administrator"])
    log_entries = PageLogEntry.objects.count()

    editor = client.get(f"/admin/pages/{page.pk}/edit/")
    findings = client.get(f"/admin/screening/{page.pk}/")
    assert editor.status_code == 200 and findings.status_code == 200
    assert "3.3.1" in findings.content.decode()
    assert not ScreeningReport.objects.filter(page_id=page.pk).exists()
    assert PageLogEntry.objects.count() == log_entries
