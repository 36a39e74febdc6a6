"""Put a school back from its archive (``provisioning.backup``): in place, or as a new school.

How, in one transaction: the school's public rows are written back; its schema is created from the
archive's own template SQL (its schema version's provisioning template), the rows the template seeds are
emptied, and the archive's rows are copied in (``schema_data``: ``COPY … FROM STDIN`` per table, foreign keys
checked at commit) and its sequences set; ``School.schema_version`` is the archive's, so a school saved
at an older version is restored at that version and brought up to date by the next ``migrate_schemas``.
The archive may be older than the platform's tenant migrations, not newer, and its public rows must fit
this platform's public tables (the shared apps' migrations are the same). The uploads follow once it has
committed.

An archive whose schema is pg_dump's (format 1, or a school that had no kept template) is restored as
before: the current template, then ``pg_restore --data-only`` redirected to the target schema
(``schema_rows``); it must come from the same migration state as the platform.

The archive's template SQL is replayed as the platform's own: an archive is trusted as the database's
backups are (the manifest's checksums find damage, not someone who can write the backups' folder).

- **In place** (the school was deleted, or is broken): same schema, hosts, BIN and ids. A school still
  there is dropped first only when asked (``replace=True``).
- **As a copy** (``as_subdomain``): a new schema and host; its site (Wagtail ``Site``) answers on the new
  host; the primary domain is the new host and custom domains are not copied (a host names one school).
  The BIN is unique: a copy keeps it only while no live school has it; otherwise ``bin`` must be given.
"""

from __future__ import annotations

import json
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Site

from provisioning.backup import (
    BY_TEMPLATE,
    MEDIA_PREFIX,
    PUBLIC_ROWS,
    archive_differences,
    archive_manifest,
)
from provisioning.backup_contents import quoted, school_foreign_keys
from provisioning.restore_schema import (
    RestoreRefused,
    migrations_check,
    schema_members_extract,
    schema_restore,
)
from provisioning.schema_template import schema_template_current
from provisioning.services import school_site_port_align
from tenants.db_backend.base import content_type_cache
from tenants.hosts import schema_name_for, school_hostname
from tenants.models import Domain, School
from tenants.validators import validate_bin, validate_subdomain


@dataclass(frozen=True)
class Target:
    """Where an archive goes: the school's schema, host and BIN (and its id once known)."""

    schema_name: str
    hostname: str
    bin: str
    is_copy: bool


def restore_target(manifest: dict, *, as_subdomain: str | None = None, bin: str | None = None) -> Target:
    source = manifest["school"]
    if not as_subdomain:
        return Target(source["schema_name"], source["hostname"], bin or source["bin"], is_copy=False)
    return Target(schema_name_for(as_subdomain), school_hostname(as_subdomain), bin or source["bin"], is_copy=True)


# Rows a copy leaves out (restored in place only): the console's record of how the original was opened would
# list the copy as a second opening; the work queues whose pending items name the school (the provisioning
# outbox, the office's "remind now") would make a copy e-mail the original's people again.
COPY_LEAVES_OUT = {"tenants.schoolopening", "tenants.provisioningstep", "compliance.remindnowrequest"}


def public_rows_for(
    rows: list[dict],
    manifest: dict,
    target: Target,
    school_pk: int | None,
    *,
    copy_status: str = "",
    schema_version: str | None = None,
) -> list[dict]:
    """The public rows a restore to ``target`` writes: the archive's, with a copy's schema, BIN, host and
    school id put in (and its custom domains left out); ids kept in place, new for a copy. Verifying passes
    the school's live ``schema_version``: what its tables were built by, which their sums cover."""
    source = manifest["school"]
    result = []
    for row in rows:
        fields = dict(row["fields"])
        label = row["model"]
        if target.is_copy and label in COPY_LEAVES_OUT:
            continue
        if label == School._meta.label_lower:
            fields.update(schema_name=target.schema_name, bin=target.bin)
            if schema_version is not None:
                fields["schema_version"] = schema_version
            if target.is_copy:
                # A copy is restored suspended (``copy_status``) until the office restores it: its accounts are
                # the original's real people, whom its scans, reminders and digests would e-mail the next night.
                # Verifying a copy passes its live status: the office's switch, not the archive's content.
                fields["status"] = copy_status or School.Status.SUSPENDED
        elif label == Domain._meta.label_lower and target.is_copy:
            if fields["domain"] != source["hostname"]:
                continue
            fields["domain"] = target.hostname
        if school_pk is not None and label != School._meta.label_lower:
            model = apps.get_model(label)
            for attname in school_foreign_keys(model):
                name = model._meta.get_field(attname.removesuffix("_id")).name
                if fields.get(name) == source["pk"]:
                    fields[name] = school_pk
        pk = None if target.is_copy else row["pk"]
        if label == School._meta.label_lower:
            pk = school_pk
        result.append({"model": label, "pk": pk, "fields": fields})
    return result


def school_restore(
    *, archive: Path, as_subdomain: str | None = None, bin: str | None = None, replace: bool = False
) -> School:
    """Restore ``archive``; the school restored. Raises ``RestoreRefused`` with the reason."""
    manifest = archive_manifest(archive)
    damaged = archive_differences(archive, manifest)
    if damaged:
        raise RestoreRefused(_("The archive is damaged:") + "\n" + "\n".join(damaged))
    _media_names_check(archive)  # before anything is written, not after the database's commit
    by_template = manifest["schema"]["method"] == BY_TEMPLATE
    migrations_check(manifest, by_template=by_template)
    target = restore_target(manifest, as_subdomain=as_subdomain, bin=bin)
    rows = archive_public_rows(archive)
    existing = _refusals_checked(rows, manifest, target, as_subdomain=as_subdomain, bin=bin, replace=replace)
    template = None if by_template else schema_template_current()
    with tempfile.TemporaryDirectory(prefix="school-restore-") as scratch_name:
        scratch = Path(scratch_name)
        schema_members_extract(archive, manifest, scratch)
        connection.set_schema_to_public()
        with transaction.atomic():
            if existing is not None:
                existing.delete()  # its public rows go (SET_NULL ones are re-linked below)
            if schema_exists(target.schema_name):
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP SCHEMA {quoted(target.schema_name)} CASCADE")
            school = _public_rows_write(rows, manifest, target)
            school.schema_version = schema_restore(scratch, manifest, target.schema_name, template)
            School.objects.filter(pk=school.pk).update(schema_version=school.schema_version)
            with schema_context(target.schema_name):
                if target.is_copy:
                    Site.objects.filter(hostname=manifest["school"]["hostname"]).update(hostname=target.hostname)
                school_site_port_align()  # the archive's site has the port of the platform it was made on
    content_type_cache().forget_schema(target.schema_name)
    _media_restore(archive, target.schema_name)
    with schema_context(target.schema_name):
        Site.clear_site_root_paths_cache()
    return school


def archive_public_rows(archive: Path) -> list[dict]:
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile(PUBLIC_ROWS))


def _refusals_checked(rows, manifest: dict, target: Target, *, as_subdomain, bin, replace) -> School | None:
    """Refuse what would clash with a live school; the school to replace, if any."""
    if as_subdomain:
        try:
            validate_subdomain(as_subdomain)
        except ValidationError as exc:
            raise RestoreRefused(" ".join(exc.messages)) from None
    if bin:
        try:
            validate_bin(bin)
        except ValidationError as exc:
            raise RestoreRefused(" ".join(exc.messages)) from None
    existing = School.objects.filter(schema_name=target.schema_name).first()
    if target.is_copy and (existing or schema_exists(target.schema_name)):
        raise RestoreRefused(_("The subdomain “%(value)s” is already taken.") % {"value": as_subdomain})
    if (existing or schema_exists(target.schema_name)) and not replace:
        raise RestoreRefused(
            _(
                "The school %(schema)s exists. Restoring it in place drops it and everything in it and puts "
                "the archive's in its place: add --replace to confirm."
            )
            % {"schema": target.schema_name}
        )
    holder = School.objects.filter(bin=target.bin).exclude(pk=getattr(existing, "pk", None)).first()
    if holder is not None:
        if target.is_copy and not bin:
            raise RestoreRefused(
                _(
                    "The BIN %(bin)s belongs to the live school %(schema)s, and a BIN names one school: "
                    "give the copy its own with --bin."
                )
                % {"bin": target.bin, "schema": holder.schema_name}
            )
        raise RestoreRefused(
            _("The BIN %(bin)s belongs to the school %(schema)s.") % {"bin": target.bin, "schema": holder.schema_name}
        )
    if target.is_copy:
        hosts = [target.hostname]
    else:
        hosts = [row["fields"]["domain"] for row in rows if row["model"] == Domain._meta.label_lower]
    taken = Domain.objects.filter(domain__in=hosts).exclude(tenant=existing).first()
    if taken is not None:
        raise RestoreRefused(
            _("The host %(host)s belongs to the school %(schema)s.")
            % {"host": taken.domain, "schema": taken.tenant.schema_name}
        )
    return existing


def _public_rows_write(rows: list[dict], manifest: dict, target: Target) -> School:
    """The School row first, then the rest with its id; in place, sequences moved past the ids written."""
    if rows[0]["model"] != School._meta.label_lower:
        raise RestoreRefused(_("The archive's public rows do not start with its school."))
    school_rows = public_rows_for(rows[:1], manifest, target, school_pk=None)
    if not target.is_copy:
        free = not School.objects.filter(pk=manifest["school"]["pk"]).exists()
        school_rows[0]["pk"] = manifest["school"]["pk"] if free else None
    school_object = next(serializers.deserialize("python", school_rows))
    school_object.save()
    school = school_object.object
    written = {School}
    for deserialized in serializers.deserialize("python", public_rows_for(rows[1:], manifest, target, school.pk)):
        deserialized.save()
        written.add(type(deserialized.object))
    if not target.is_copy:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(written)):
                cursor.execute(sql)
    return school


def _media_names_check(archive: Path) -> None:
    """Refuse an archive with an upload whose name leaves the school's folder, before anything is written."""
    with tarfile.open(archive, "r:gz") as tar:
        uploads = [member for member in tar if member.name.startswith(MEDIA_PREFIX) and member.isfile()]
    for member in uploads:
        name = member.name[len(MEDIA_PREFIX) :]
        if ".." in Path(name).parts or Path(name).is_absolute():
            message = _("An upload's name leaves the school's folder: %(name)s")
            raise RestoreRefused(message % {"name": member.name})


def _media_restore(archive: Path, schema_name: str) -> None:
    """The archive's uploads become the school's, and nothing else remains in its folder. Every name is checked
    before anything of the school's is removed: a refused archive leaves its uploads as they were."""
    from provisioning.backup_contents import media_files

    _media_names_check(archive)  # (school_restore checked them before its transaction; cheap to be sure)
    with schema_context(schema_name):
        for name in list(media_files(schema_name)):
            default_storage.delete(name)
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if not member.name.startswith(MEDIA_PREFIX) or not member.isfile():
                    continue
                name = member.name[len(MEDIA_PREFIX) :]
                saved = default_storage.save(name, File(tar.extractfile(member), name=name))
                if saved != name:
                    message = _("The storage renamed %(name)s to %(saved)s.")
                    raise RestoreRefused(message % {"name": name, "saved": saved})
