"""One school whole in one archive: ``school_backup`` (the command of the same name, the nightly job).

The archive (``<schema>-<UTC time>.tar.gz``) holds:

- ``schema.sql``: the provisioning template of the school's schema version (``School.schema_version``):
  every school's structure is its version's template, so the structure is this SQL, replayed by a restore;
- ``data/<table>.copy`` and ``sequences.json``: the school's rows, ``COPY … TO STDOUT`` per table, and each
  sequence's value (``schema_data``);
- ``public.json``: the school's rows in the public schema (``backup_contents.public_rows``);
- ``media/…``: its uploads;
- ``manifest.json``: the school, the platform's version and migration state, how the schema was saved
  (``schema``), each table's row count and checksum, each member's sha256.

Everything is read in one REPEATABLE READ transaction (one snapshot), with catalog queries that name the
school's namespace oid: the cost is the school's, not the region's. ``pg_dump -n`` read the whole catalog
first (13–18 s and 408 MB for a 231 KB dump at 1,000 schools, issue 14).

A school without a schema version, or whose version's template is no longer kept, is saved as before:
``schema.dump`` (``pg_dump -Fc -n <schema>``, handed the transaction's snapshot with ``--snapshot``), and
the manifest says so (``schema.method`` is ``pg_dump``, with the reason). Archives of format 1 (always
``pg_dump``) are still read and restored.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from provisioning import pg_tools
from provisioning.backup_contents import (
    media_files,
    public_rows,
    public_summary,
    schema_layout,
    schema_migrations,
    schema_summary,
)
from provisioning.schema_data import DATA_PREFIX, SEQUENCES, schema_data_dump
from provisioning.schema_template import schema_template_of_version
from tenants.models import Domain, School

logger = logging.getLogger(__name__)

ARCHIVE_FORMAT = 2
READABLE_FORMATS = (1, 2)  # 1: the schema always as pg_dump's archive (issue 13)
MANIFEST = "manifest.json"
SCHEMA_DUMP = "schema.dump"
TEMPLATE_SQL = "schema.sql"
# How an archive holds the school's schema (manifest["schema"]["method"]).
BY_TEMPLATE, BY_PG_DUMP = "template", "pg_dump"
PUBLIC_ROWS = "public.json"
MEDIA_PREFIX = "media/"
ARCHIVE_SUFFIX = ".tar.gz"


class SchemaVersionMoved(RuntimeError):
    """The school was migrated while its backup began; back it up again."""


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict


def platform_version() -> str:
    """The code's git commit where there is a repository; else what the image was told (PLATFORM_VERSION)."""
    git = shutil.which("git")
    done = None
    if git:
        command = [git, "rev-parse", "HEAD"]
        done = subprocess.run(command, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False)  # noqa: S603
    if done is not None and done.returncode == 0:
        return done.stdout.strip()
    return getattr(settings, "PLATFORM_VERSION", "") or "unknown"


def migration_state() -> list[str]:
    """The migrations applied to the platform (public schema); an archive restores only into the same."""
    return schema_migrations(get_public_schema_name())


def school_find(name: str) -> School:
    """A school by subdomain, host or schema name."""
    from tenants.hosts import school_hostname

    found = (
        School.objects.filter(schema_name=name).first()
        or School.objects.filter(domains__domain__in=[name, school_hostname(name)]).first()
    )
    if found is None or found.schema_name == get_public_schema_name():
        raise School.DoesNotExist(name)
    return found


def school_backup(*, school: School, output_dir: Path) -> Backup:
    """Write ``school``'s archive into ``output_dir`` (created if missing); its path and manifest.

    The entry point of the command, the nightly job and the fleet bench; outside any transaction.
    """
    if connection.in_atomic_block:
        raise RuntimeError("A backup takes its own snapshot: call it outside a transaction.")
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        try:
            return _backup_written(school, output_dir)
        except SchemaVersionMoved:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _backup_written(school: School, output_dir: Path) -> Backup:
    started = timezone.now()
    name = f"{school.schema_name}-{started:%Y%m%dT%H%M%S%fZ}{ARCHIVE_SUFFIX}"
    partial = output_dir / (name + ".partial")
    connection.set_schema_to_public()
    school.refresh_from_db(fields=["schema_version"])  # a fleet migration may have moved it since it was read
    template = schema_template_of_version(school.schema_version) if school.schema_version else None
    pg_dump = None if template is not None else pg_tools.pg_program("pg_dump")  # (before the snapshot)
    with tempfile.TemporaryDirectory(prefix="school-backup-") as scratch_name:
        scratch = Path(scratch_name)
        with transaction.atomic():
            if template is not None:
                _snapshot_begin(export=False)
                if not School.objects.filter(pk=school.pk, schema_version=school.schema_version).exists():
                    # Migrated between the two reads: the rows in this snapshot are another version's.
                    raise SchemaVersionMoved(school.schema_name)
                layout = schema_layout(school.schema_name)
                schema = {
                    "method": BY_TEMPLATE,
                    "schema_version": school.schema_version,
                    "template_fingerprint": template.fingerprint,
                    **schema_data_dump(school.schema_name, layout, scratch),
                }
                (scratch / TEMPLATE_SQL).write_text(template.sql)
                tables = schema_summary(school.schema_name, layout=layout)
                school_migrations, rows, platform_migrations = _public_state(school)
            else:
                reason = "the school has no schema version" if not school.schema_version else "its template is gone"
                schema = {"method": BY_PG_DUMP, "schema_version": school.schema_version, "reason": reason}
                tables, school_migrations, rows, platform_migrations = _pg_dump(pg_dump, school, scratch / SCHEMA_DUMP)
        public_json = json.dumps(rows, ensure_ascii=False, indent=1).encode()
        primary = Domain.objects.filter(tenant=school, is_primary=True).values_list("domain", flat=True).first()
        manifest = {
            "format": ARCHIVE_FORMAT,
            "created_at": started.isoformat(),
            "school": {
                "pk": school.pk,
                "schema_name": school.schema_name,
                "hostname": primary or "",
                "bin": school.bin,
                "name_kk": school.name_kk,
            },
            "platform": {
                "version": platform_version(),
                "migrations": platform_migrations,
                "school_migrations": school_migrations,
                "server_version": connection.pg_version,
            },
            "schema": schema,
            "tables": tables,
            "public": public_summary(rows),
            "files": {},
        }
        with tarfile.open(partial, "w:gz") as archive:
            files = manifest["files"]
            if schema["method"] == BY_TEMPLATE:
                files[TEMPLATE_SQL] = _add_file(archive, TEMPLATE_SQL, scratch / TEMPLATE_SQL)
                files[SEQUENCES] = _add_file(archive, SEQUENCES, scratch / SEQUENCES)
                for data in sorted((scratch / DATA_PREFIX).iterdir()):
                    files[DATA_PREFIX + data.name] = _add_file(archive, DATA_PREFIX + data.name, data)
            else:
                manifest["platform"]["pg_dump"] = pg_tools.program_version(pg_dump)
                files[SCHEMA_DUMP] = _add_file(archive, SCHEMA_DUMP, scratch / SCHEMA_DUMP)
            files[PUBLIC_ROWS] = _add_bytes(archive, PUBLIC_ROWS, public_json)
            with schema_context(school.schema_name):
                for media_name in media_files(school.schema_name):
                    files[MEDIA_PREFIX + media_name] = _add_stored(archive, media_name)
            _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    path = partial.rename(output_dir / name)
    logger.info("Backed up %s to %s (%s)", school.schema_name, path, schema["method"])
    return Backup(path=path, manifest=manifest)


def _public_state(school: School) -> tuple[list[str], list[dict], list[str]]:
    """In the snapshot: the school's recorded migrations, its public rows, the platform's migrations."""
    return schema_migrations(school.schema_name), public_rows(school), migration_state()


def _pg_dump(pg_dump: Path, school: School, dump_path: Path) -> tuple[dict, list[str], list[dict], list[str]]:
    """The fallback: ``pg_dump -n`` in this transaction's snapshot, while the rest is read in it."""
    snapshot = _snapshot_begin(export=True)
    arguments, environment = pg_tools.libpq_arguments()
    command = [str(pg_dump), "-Fc", "-n", school.schema_name, f"--snapshot={snapshot}", "-f", str(dump_path)]
    dumping = subprocess.Popen(  # noqa: S603 (our own program and arguments)
        [*command, *arguments], env=environment, stderr=subprocess.PIPE
    )
    try:
        tables = schema_summary(school.schema_name)
        school_migrations, rows, platform_migrations = _public_state(school)
    finally:
        _, errors = dumping.communicate()
    if dumping.returncode != 0:
        raise pg_tools.PostgresToolError(f"pg_dump failed: {errors.decode(errors='replace').strip()}")
    return tables, school_migrations, rows, platform_migrations


def _snapshot_begin(*, export: bool) -> str | None:
    """Make the transaction just opened repeatable-read (one snapshot); export it for pg_dump if asked."""
    connection.ensure_connection()
    # The raw cursor: this must be the transaction's first statement, before django-tenants' search_path.
    with connection.connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        if not export:
            return None
        cursor.execute("SELECT pg_export_snapshot()")
        return cursor.fetchone()[0]


class _HashingReader(io.RawIOBase):
    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size=-1):
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


def _add_stream(archive: tarfile.TarFile, name: str, handle, size: int) -> str:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(timezone.now().timestamp()), 0o644
    reader = _HashingReader(handle)
    archive.addfile(info, reader)
    return reader.digest.hexdigest()


def _add_file(archive: tarfile.TarFile, name: str, path: Path) -> str:
    with open(path, "rb") as handle:
        return _add_stream(archive, name, handle, path.stat().st_size)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> str:
    return _add_stream(archive, name, io.BytesIO(data), len(data))


def _add_stored(archive: tarfile.TarFile, media_name: str) -> str:
    with default_storage.open(media_name) as handle:
        return _add_stream(archive, MEDIA_PREFIX + media_name, handle, default_storage.size(media_name))


# --- Reading an archive --------------------------------------------------------------------------------


class ArchiveError(ValueError):
    """The archive is not one of ours, or its contents do not match its manifest."""


def archive_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.load(member)
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as exc:
        raise ArchiveError(_("%(path)s is not a school archive (%(error)s).") % {"path": path, "error": exc}) from exc
    if manifest.get("format") not in READABLE_FORMATS:
        message = _("%(path)s: unknown archive format %(format)s.")
        raise ArchiveError(message % {"path": path, "format": manifest.get("format")})
    manifest.setdefault("schema", {"method": BY_PG_DUMP, "schema_version": "", "reason": "format 1"})
    return manifest


def archive_differences(path: Path, manifest: dict) -> list[str]:
    """Members whose sha256 is not the manifest's, and members missing or unlisted."""
    expected = dict(manifest["files"])
    problems = []
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            if member.name == MANIFEST:
                continue
            handle = archive.extractfile(member)
            if handle is None:
                problems.append(_("%(name)s: not a file") % {"name": member.name})
                continue
            digest = hashlib.sha256()
            for chunk in iter(lambda handle=handle: handle.read(1 << 20), b""):
                digest.update(chunk)
            wanted = expected.pop(member.name, None)
            if wanted is None:
                problems.append(_("%(name)s: in the archive but not in its manifest") % {"name": member.name})
            elif digest.hexdigest() != wanted:
                changed = _("%(name)s: its checksum is not the manifest's (changed since the backup)")
                problems.append(changed % {"name": member.name})
    missing = _("%(name)s: in the manifest but missing from the archive")
    problems += [missing % {"name": name} for name in sorted(expected)]
    return problems
