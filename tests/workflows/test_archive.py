"""Clause 1.2: outdated material is archived with a reason and restorable; only the region deletes for good."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry, PageLogEntry

from school_sections.models import ContactsPage, NewsPage
from tests.factories import console_client, login_verified
from tests.workflows.conftest import news_draft
from workflows.archive import archival_delete, archival_restore, archived, document_archive, page_archive
from workflows.models import ARCHIVE_RETENTION, Archival
from workflows.publication import ArchivedPagePublication


@pytest.fixture
def published_news(people):
    page = news_draft(people["administrator"], title="Winter timetable")
    page.get_latest_revision().publish(user=people["administrator"])
    page.refresh_from_db()
    return page


def _document(title="Licence 2019"):
    document = get_document_model()(title=title)
    document.file.save("licence.txt", ContentFile(b"Licence of the school, valid until 2024."), save=False)
    document.save()
    return document


def test_archiving_unpublishes_and_restoring_brings_the_same_version_back(people, published_news):
    administrator = people["administrator"]
    live_revision = published_news.live_revision
    archival = page_archive(page=published_news, user=administrator, reason="Last winter's timetable")
    published_news.refresh_from_db()
    assert not published_news.live and archival.live_revision == live_revision
    with pytest.raises(ArchivedPagePublication):
        published_news.get_latest_revision().publish(user=administrator)

    assert archival_restore(archival=archival, user=administrator)
    page = NewsPage.objects.get(pk=published_news.pk)
    assert page.live and page.title == "Winter timetable" and page.live_revision.content == live_revision.content
    assert not Archival.objects.exists()
    actions = list(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"workflows.archive", "wagtail.unpublish", "workflows.restore"} <= set(actions)
    archive_entry = PageLogEntry.objects.get(page=page, action="workflows.archive")
    assert archive_entry.data["reason"] == "Last winter's timetable" and archive_entry.user == administrator


def test_archiving_needs_a_reason_the_administrator_and_not_a_mandatory_section(people, published_news):
    with pytest.raises(ValidationError):
        page_archive(page=published_news, user=people["administrator"], reason="  ")
    with pytest.raises(PermissionDenied):
        page_archive(page=published_news, user=people["chief_editor"], reason="Outdated")
    with pytest.raises(ValidationError):
        page_archive(page=ContactsPage.objects.get(), user=people["administrator"], reason="Outdated")
    published_news.refresh_from_db()
    assert published_news.live and not Archival.objects.exists()


def test_an_archived_document_is_not_served_and_comes_back(school_site, people, client_for):
    document = _document()
    client = client_for(school_site.hostname)
    assert client.get(document.url).status_code == 200
    archival = document_archive(document=document, user=people["administrator"], reason="Replaced by the 2024 one")
    assert client.get(document.url).status_code == 404
    assert archival_restore(archival=archival, user=people["administrator"])
    assert client.get(document.url).status_code == 200
    actions = set(ModelLogEntry.objects.filter(object_id=str(document.pk)).values_list("action", flat=True))
    assert {"workflows.archive", "workflows.restore"} <= actions


def test_nobody_in_a_school_deletes_documents(people):
    for person in get_user_model().objects.filter(pk__in=[person.pk for person in people.values()]):
        assert not person.has_perm("wagtaildocs.delete_document")


def test_the_archive_screen_finds_and_restores(school_site, people, client_for, published_news):
    client = client_for(school_site.hostname)
    login_verified(client, people["administrator"])
    response = client.post(f"/admin/archive/page/{published_news.pk}/", {"reason": ""})
    assert "This field is required" in response.content.decode()
    client.post(f"/admin/archive/page/{published_news.pk}/", {"reason": "Season is over"})
    listing = client.get("/admin/archive/?q=season").content.decode()
    assert "Winter timetable" in listing and "Season is over" in listing
    archival = archived(published_news)
    client.post(f"/admin/archive/{archival.pk}/restore/")
    assert NewsPage.objects.get(pk=published_news.pk).live


def _kept_long_enough(archival):
    """Move the archiving back past the retention period, as if it were kept that long."""
    Archival.objects.filter(pk=archival.pk).update(archived_at=archival.archived_at - ARCHIVE_RETENTION)
    archival.refresh_from_db()


def test_only_the_regional_office_deletes_for_good_with_a_reason(school_site, people, client_for):
    document = _document("Old licence")
    archival = document_archive(document=document, user=people["administrator"], reason="Expired")
    _kept_long_enough(archival)
    schema = connection.schema_name
    school_id = school_site.school.pk

    with schema_context("public"):
        console = console_client(client_for, "office-archivist")
        listing = console.get(f"/schools/{school_id}/archive/").content.decode()
        assert "Old licence" in listing
        console.post(f"/schools/{school_id}/archive/", {"archival": archival.pk, "reason": ""})
        with schema_context(schema):
            assert get_document_model().objects.filter(pk=document.pk).exists()
        console.post(f"/schools/{school_id}/archive/", {"archival": archival.pk, "reason": "Duplicate upload"})
        audit = console.get(f"/schools/{school_id}/audit.csv").content.decode()

    assert not get_document_model().objects.filter(pk=document.pk).exists()
    entry = ModelLogEntry.objects.get(object_id=str(document.pk), action="workflows.delete")
    assert entry.data["reason"] == "Duplicate upload" and entry.data["by"] == "office-archivist"
    assert entry.data["title"] == "Old licence" and entry.data["archived_reason"] == "Expired"
    assert "office-archivist,Delete for good,document,Old licence" in audit and "Duplicate upload" in audit


def test_deleting_needs_a_reason(people):
    archival = document_archive(document=_document(), user=people["administrator"], reason="Expired")
    _kept_long_enough(archival)
    with pytest.raises(ValidationError):
        archival_delete(archival=archival, deleted_by="office", reason="")
    assert Archival.objects.filter(pk=archival.pk).exists()


def test_1_2_nothing_is_deleted_for_good_before_the_retention_period(people):
    document = _document("Annual report 2021")
    archival = document_archive(document=document, user=people["administrator"], reason="Superseded")
    with pytest.raises(ValidationError) as refused:
        archival_delete(archival=archival, deleted_by="office", reason="Clean-up")
    assert "is kept until" in " ".join(refused.value.messages)
    assert get_document_model().objects.filter(pk=document.pk).exists() and archived(document) is not None
    assert not ModelLogEntry.objects.filter(action="workflows.delete").exists()

    _kept_long_enough(archival)
    record = archival_delete(archival=archival, deleted_by="office", reason="Clean-up")
    assert record["title"] == "Annual report 2021" and record["type"] == "document"
    assert not get_document_model().objects.filter(pk=document.pk).exists()
    # The record outlives the item: who, when, why and what.
    entry = ModelLogEntry.objects.get(object_id=str(document.pk), action="workflows.delete")
    assert entry.data["by"] == "office" and entry.data["reason"] == "Clean-up"
    assert entry.label == "Annual report 2021" and entry.timestamp is not None
