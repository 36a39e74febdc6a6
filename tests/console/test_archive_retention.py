"""Clause 1.2 in the console: the regional office deletes an archived item for good only after the retention
period, sees when each item becomes deletable, and the deletion is recorded in both audit trails."""

from django.core.files.base import ContentFile
from django.db import connection
from django.utils import formats, timezone
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry

from tenants.models import RegionalAction
from tests.factories import console_client
from workflows.archive import document_archive
from workflows.models import ARCHIVE_RETENTION, Archival


def _archived_document(administrator, title):
    document = get_document_model()(title=title)
    document.file.save("rules.txt", ContentFile(b"Admission rules of 2020."), save=False)
    document.save()
    return document, document_archive(document=document, user=administrator, reason="New rules adopted")


def test_1_2_the_regional_office_deletes_for_good_only_after_the_retention_period(school_site, people, client_for):
    document, archival = _archived_document(people["administrator"], "Admission rules 2020")
    schema, school_id = connection.schema_name, school_site.school.pk
    # The day in the region's time, as the page shows it (near midnight UTC it is already the next day there).
    kept_until = formats.date_format(timezone.localtime(archival.deletable_from), "DATE_FORMAT")

    with schema_context("public"):
        console = console_client(client_for, "office-keeper")
        listing = console.get(f"/schools/{school_id}/archive/").content.decode()
        assert f"Kept until {kept_until}" in listing and 'name="archival"' not in listing
        refused = console.post(
            f"/schools/{school_id}/archive/", {"archival": archival.pk, "reason": "Old rules"}, follow=True
        )
        assert "is kept until" in refused.content.decode()
        assert not RegionalAction.objects.filter(action=RegionalAction.Action.DELETE).exists()
        with schema_context(schema):
            assert get_document_model().objects.filter(pk=document.pk).exists()
            Archival.objects.filter(pk=archival.pk).update(archived_at=archival.archived_at - ARCHIVE_RETENTION)

        listing = console.get(f"/schools/{school_id}/archive/").content.decode()
        assert 'name="archival"' in listing
        deleted = console.post(
            f"/schools/{school_id}/archive/", {"archival": archival.pk, "reason": "Old rules"}, follow=True
        )
        assert "is deleted for good" in deleted.content.decode()
        action = RegionalAction.objects.get(action=RegionalAction.Action.DELETE)
        assert action.actor == "office-keeper" and action.reason == "Old rules" and action.school_id == school_id
        assert action.data["title"] == "Admission rules 2020" and action.data["archived_reason"] == "New rules adopted"

    assert not get_document_model().objects.filter(pk=document.pk).exists()
    entry = ModelLogEntry.objects.get(object_id=str(document.pk), action="workflows.delete")
    assert entry.data["by"] == "office-keeper" and entry.data["reason"] == "Old rules"
