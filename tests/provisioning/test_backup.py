"""A school backed up whole and restored: as a copy under a new subdomain, and in place after it was deleted.

Real PostgreSQL (the fallback's pg_dump runs in its own process, so the school is committed), real uploads,
the school's public rows (ledger, summary, job runs, the office's audit trail) made by the platform's own
code. A restored school is compared with the original by its whole catalog and data (``schema_catalog``).
"""

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import File
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone, translation
from django_tenants.utils import schema_context
from PIL import Image as PillowImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Site

from compliance.jobs import job_run
from compliance.models import LedgerEntry, SchoolSummary
from compliance.services import school_scan
from demo.content import demo_pdf
from provisioning.backup import school_backup
from provisioning.backup_schedule import backups_prune
from provisioning.backup_verify import school_backup_differences
from provisioning.restore import RestoreRefused, school_restore
from provisioning.schema_catalog import catalog_differences, schema_catalog
from provisioning.schema_template import schema_template_current, schema_template_of_version
from provisioning.tasks import school_backup_dispatch
from school_sections.models import NewsIndexPage, NewsPage
from tenants.audit import regional_action_record
from tenants.models import Domain, RegionalAction, School
from tests.factories import school_create, valid_bin


def _png() -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


# A copy's site answers on its own host; everything else of its schema is the original's.
COPY_DIFFERS_IN = {"wagtailcore_site": {"hostname"}}
# The archived school's catalog and data when its archive was made (``archived``).
AT_BACKUP: dict[str, dict] = {}


@pytest.fixture(scope="module")
def archived(django_db_setup, django_db_blocker, tmp_path_factory):
    """A committed school with news, an image, a document and public rows, and its archive (with the
    school's catalog and data when it was made: what a restore must give back)."""
    with django_db_blocker.unblock():
        school = school_create(subdomain="bk-source", short_name="Backed").school
        with schema_context(school.schema_name):
            index = NewsIndexPage.objects.get()
            image = Image.objects.create(title="Photo", file=ImageFile(io.BytesIO(_png()), name="photo.png"))
            index.add_child(instance=NewsPage(title="Спорт күні", image=image))
            Document.objects.create(title="Rules", file=File(io.BytesIO(demo_pdf("rules")), name="rules.pdf"))
            with job_run("scan", school):
                school_scan(now=timezone.now())
        regional_action_record(actor="office", action=RegionalAction.Action.REMIND, school=school, section="news")
        connection.set_schema_to_public()
        # A site that has been seen: its picture's renditions (the home page's news card) exist, as the
        # tests below visit it; a rendition made after the archive would be a difference of their making.
        for path in ("/", "/news/"):
            assert Client(HTTP_HOST="bk-source.edu.test").get(path).status_code == 200
        connection.set_schema_to_public()
        backup = school_backup(school=school, output_dir=tmp_path_factory.mktemp("archives"))
        AT_BACKUP["catalog"] = schema_catalog(school.schema_name)
        AT_BACKUP["as_copy"] = schema_catalog(school.schema_name, ignore_columns=COPY_DIFFERS_IN)
    yield school, backup
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for made in School.objects.filter(schema_name__startswith="school_bk_"):
            made.delete(force_drop=True)


@pytest.fixture(autouse=True)
def committed(django_db_blocker):
    """pg_dump and the checks read committed data: these tests run outside a test transaction."""
    with django_db_blocker.unblock():
        yield


def test_the_archive_holds_the_template_rows_public_rows_media_and_a_manifest(archived):
    school, backup = archived
    manifest = backup.manifest
    with tarfile.open(backup.path) as archive:
        names = set(archive.getnames())
        template_sql = archive.extractfile("schema.sql").read().decode()
        page_rows = archive.extractfile("data/wagtailcore_page.copy").read().decode()
    assert {"manifest.json", "schema.sql", "sequences.json", "public.json"} <= names
    assert "schema.dump" not in names  # no pg_dump: the structure is the template's
    assert manifest["schema"]["method"] == "template"
    assert manifest["schema"]["schema_version"] == school.schema_version != ""
    assert template_sql == schema_template_of_version(school.schema_version).sql
    assert {f"data/{table}.copy" for table in manifest["tables"]} <= names
    assert "Спорт күні" in page_rows
    assert any(name.startswith("media/original_images/photo") for name in names)
    assert any(name.startswith("media/documents/rules") for name in names)
    assert len(manifest["tables"]) > 60
    assert manifest["tables"]["wagtailcore_page"]["rows"] >= 3
    assert manifest["public"]["tenants.school"]["rows"] == 1
    assert manifest["public"]["tenants.domain"]["rows"] == 1
    assert manifest["public"]["compliance.ledgerentry"]["rows"] == LedgerEntry.objects.filter(school=school).count()
    assert manifest["public"]["compliance.schoolsummary"]["rows"] == 1
    assert manifest["public"]["compliance.jobrun"]["rows"] == 1
    assert manifest["public"]["tenants.regionalaction"]["rows"] == 1
    assert manifest["platform"]["migrations"] and manifest["platform"]["version"]
    assert school_backup_differences(archive=backup.path) == []


def test_the_backup_command_finds_the_school_by_subdomain_and_prints_the_archive(archived, tmp_path):
    school, _ = archived
    output = io.StringIO()
    call_command("school_backup", "bk-source", output=str(tmp_path), stdout=output)
    (archive,) = tmp_path.glob(f"{school.schema_name}-*.tar.gz")
    assert str(archive) in output.getvalue()
    assert school_backup_differences(archive=archive) == []
    with pytest.raises(CommandError, match="No school is called"):
        call_command("school_backup", "nowhere", output=str(tmp_path), language="en")


def test_a_copy_under_a_new_subdomain_has_the_same_rows_and_files_and_serves_its_pages(
    archived, django_db_blocker, client_for
):
    school, backup = archived
    with django_db_blocker.unblock():
        with pytest.raises(RestoreRefused, match="give the copy its own with --bin"):
            school_restore(archive=backup.path, as_subdomain="bk-copy")
        call_command(
            "school_restore", str(backup.path), as_subdomain="bk-copy", bin=valid_bin(777), stdout=io.StringIO()
        )
        copy = School.objects.get(schema_name="school_bk_copy")
        assert copy.bin == valid_bin(777) and copy.name_kk == school.name_kk
        assert list(Domain.objects.filter(tenant=copy).values_list("domain", "is_primary")) == [
            ("bk-copy.edu.test", True)
        ]
        assert LedgerEntry.objects.filter(school=copy).count() == LedgerEntry.objects.filter(school=school).count()
        assert SchoolSummary.objects.filter(school=copy).exists()
        with schema_context(copy.schema_name):
            assert Site.objects.get().hostname == "bk-copy.edu.test"
            image = Image.objects.get()
            with default_storage.open(image.file.name) as stored:
                assert stored.read() == _png()
        assert school_backup_differences(archive=backup.path, school=copy) == []
        # Structure and data: the original's, but for the site's host.
        assert (
            catalog_differences(AT_BACKUP["as_copy"], schema_catalog(copy.schema_name, ignore_columns=COPY_DIFFERS_IN))
            == []
        )
        assert copy.schema_version == school.schema_version
        # The original is untouched.
        assert school_backup_differences(archive=backup.path) == []
        call_command("school_backup_verify", str(backup.path), against="bk-copy", stdout=io.StringIO())

        # A copy comes back suspended (its accounts are the original's people); the office restores it.
        assert copy.status == School.Status.SUSPENDED
        assert client_for("bk-copy.edu.test").get("/").status_code == 503
        copy.status = School.Status.ACTIVE
        copy.save(update_fields=["status"])  # (as the console's "restore" does; the host cache forgets it)
        assert school_backup_differences(archive=backup.path, school=copy) == []  # status is not content
        home = client_for("bk-copy.edu.test").get("/")
        assert home.status_code == 200
        assert school.name_en in home.content.decode()
        news = client_for("bk-copy.edu.test").get("/news/")
        assert "Спорт күні" in news.content.decode()


def test_a_copy_differs_once_its_content_changes(archived, django_db_blocker):
    """The check can fail: an edited row of the copy is a difference."""
    _, backup = archived
    with django_db_blocker.unblock():
        copy = School.objects.filter(schema_name="school_bk_copy").first() or school_restore(
            archive=backup.path, as_subdomain="bk-copy", bin=valid_bin(777)
        )
        with schema_context(copy.schema_name):
            NewsPage.objects.update(title="changed")
        differences = school_backup_differences(archive=backup.path, school=copy)
        catalog = schema_catalog(copy.schema_name, ignore_columns=COPY_DIFFERS_IN)
    assert differences == ["table wagtailcore_page: the rows differ"]
    assert [line.split(": ", 1)[0] for line in catalog_differences(AT_BACKUP["as_copy"], catalog)] == [
        "data:wagtailcore_page"
    ]


def test_a_tampered_archive_fails_verification(archived, tmp_path):
    _, backup = archived
    tampered = tmp_path / backup.path.name
    with tarfile.open(backup.path) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name.startswith("media/original_images/photo"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            target.addfile(member, io.BytesIO(data))
    output = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("school_backup_verify", str(tampered), stdout=output, stderr=io.StringIO(), language="en")
    assert exit_.value.code == 1
    assert "media/original_images/photo" in output.getvalue()
    with translation.override("en"), pytest.raises(RestoreRefused, match="damaged"):
        school_restore(archive=tampered, replace=True)


def test_an_archive_of_another_migration_state_is_refused(archived, tmp_path):
    _, backup = archived
    other = tmp_path / backup.path.name
    with tarfile.open(backup.path) as source, tarfile.open(other, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["platform"]["migrations"].append("school_sections.9999_future")
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(RestoreRefused, match="another version of the platform"):
        school_restore(archive=other, replace=True)


def test_a_deleted_school_restored_in_place_is_identical(archived, django_db_blocker, client_for):
    school, backup = archived
    with django_db_blocker.unblock():
        with pytest.raises(RestoreRefused, match="--replace"):
            school_restore(archive=backup.path)
        with schema_context(school.schema_name):
            media_folder = Path(default_storage.path(""))
        action = RegionalAction.objects.get(school=school, data__section="news")
        School.objects.get(pk=school.pk).delete(force_drop=True)
        shutil.rmtree(media_folder)
        assert RegionalAction.objects.get(pk=action.pk).school_id is None  # the audit trail outlives the school

        restored = school_restore(archive=backup.path)
        assert restored.pk == school.pk and restored.schema_name == school.schema_name
        assert school_backup_differences(archive=backup.path) == []
        assert catalog_differences(AT_BACKUP["catalog"], schema_catalog(school.schema_name)) == []
        assert School.objects.get(pk=school.pk).schema_version == school.schema_version
        assert RegionalAction.objects.get(pk=action.pk).school_id == school.pk
        assert client_for("bk-source.edu.test").get("/").status_code == 200


def test_old_archives_are_pruned_to_the_newest_of_each_kept_day(tmp_path):
    names = [
        "school_x-20261201T020000000001Z.tar.gz",
        "school_x-20261202T020000000001Z.tar.gz",
        "school_x-20261203T020000000001Z.tar.gz",
        "school_x-20261203T140000000001Z.tar.gz",  # a second one that day, made by hand
        "notes.tar.gz",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    removed = backups_prune(tmp_path, keep_daily=2)
    assert sorted(path.name for path in removed) == [names[0], names[2]]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([names[1], names[3], names[4]])


def test_the_nightly_job_archives_every_school_into_its_folder(archived, settings, tmp_path, worker):
    """Beat's school-backups entry: one task per school (suspended ones too), each archive verifiable."""
    school, _ = archived
    settings.BACKUP_ROOT = tmp_path
    School.objects.filter(pk=school.pk).update(status=School.Status.SUSPENDED)
    try:
        tasks = worker.wait_for_fan_out(school_backup_dispatch.delay())
        assert tasks and {task.state for task in tasks} == {"SUCCESS"}, tasks
        schools = School.objects.exclude(schema_name="public")
        assert len(tasks) == schools.count()
        for each in schools:
            assert len(list((tmp_path / each.schema_name).glob("*.tar.gz"))) == 1, each.schema_name
        (archive,) = (tmp_path / school.schema_name).glob("*.tar.gz")
        assert school_backup_differences(archive=archive) == []
    finally:
        School.objects.filter(pk=school.pk).update(status=School.Status.ACTIVE)
    # The archive holds the school as it was: suspended.
    assert school_backup_differences(archive=archive) == ["public rows of tenants.school: the rows differ"]
    assert "school-backups" in settings.CELERY_BEAT_SCHEDULE


def _manifest_rewritten(source: Path, target: Path, change) -> Path:
    """A copy of the archive whose manifest ``change`` edited (members and their checksums as they were)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source) as original, tarfile.open(target, "w:gz") as rewritten:
        for member in original:
            data = original.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            rewritten.addfile(member, io.BytesIO(data))
    return target


def test_an_archive_of_an_older_schema_version_restores_at_that_version(archived, django_db_blocker, tmp_path):
    """Its own template builds the school as it was; School.schema_version says it is behind, for the
    next fleet migration. (Simulated: the archive's version and tenant migrations made older.)"""
    copy_of, backup = archived
    tenant_only = sorted(
        name for name in backup.manifest["platform"]["migrations"] if name.startswith("school_sections.")
    )

    def older(manifest):
        manifest["schema"]["schema_version"] = "an-older-version"
        manifest["schema"]["template_fingerprint"] = "an-older-fingerprint"
        manifest["platform"]["migrations"].remove(tenant_only[-1])

    archive = _manifest_rewritten(backup.path, tmp_path / backup.path.name, older)
    with django_db_blocker.unblock():
        copy = school_restore(archive=archive, as_subdomain="bk-older", bin=valid_bin(779))
        assert School.objects.get(pk=copy.pk).schema_version == "an-older-version"
        # Its template is kept (none of that version was): the fleet migration starts from it.
        kept = schema_template_of_version("an-older-version")
        assert kept.sql == schema_template_of_version(copy_of.schema_version).sql
        kept.delete()
        catalog = schema_catalog(copy.schema_name, ignore_columns=COPY_DIFFERS_IN)
        assert catalog_differences(AT_BACKUP["as_copy"], catalog) == []


def test_a_school_without_a_kept_template_is_saved_by_pg_dump_and_issue_13_archives_restore(
    archived, django_db_blocker, tmp_path
):
    school, _ = archived
    with django_db_blocker.unblock():
        School.objects.filter(pk=school.pk).update(schema_version="")
        try:
            backup = school_backup(school=School.objects.get(pk=school.pk), output_dir=tmp_path)
        finally:
            School.objects.filter(pk=school.pk).update(schema_version=school.schema_version)
        assert backup.manifest["schema"] == {
            "method": "pg_dump",
            "schema_version": "",
            "reason": "the school has no schema version",
        }
        with tarfile.open(backup.path) as archive:
            assert "schema.dump" in archive.getnames() and "schema.sql" not in archive.getnames()

        def issue_13_format(manifest):
            manifest["format"] = 1
            del manifest["schema"]

        old = _manifest_rewritten(backup.path, tmp_path / "old" / backup.path.name, issue_13_format)
        copy = school_restore(archive=old, as_subdomain="bk-old", bin=valid_bin(778))
        # Built from the current template (pg_dump's archive holds the rows, the structure is the code's).
        assert School.objects.get(pk=copy.pk).schema_version == schema_template_current().schema_version
        catalog = schema_catalog(copy.schema_name, ignore_columns=COPY_DIFFERS_IN)
        assert catalog_differences(AT_BACKUP["as_copy"], catalog) == []
        assert school_backup_differences(archive=old, school=copy) == []
