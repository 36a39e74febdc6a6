"""One school whole in one archive: ``school_backup`` (the command of the same name, the nightly job).

The archive (``<schema>-<UTC time>.tar.gz``) holds:

- ``schema.dump``: ``pg_dump -Fc -n <schema>``, the school's content and people (``pg_restore`` reads it
  without the platform too);
- ``public.json``: the school's rows in the public schema (``backup_contents.public_rows``);
- ``media/…``: its uploads;
- ``manifest.json``: the school, the platform's version and migration state, each table's row count and
  checksum, each member's sha256.

The schema, the checksums and the public rows are read in one snapshot: pg_dump is handed the snapshot
of the transaction that reads the rest (``--snapshot``), so they agree even while the school is edited.
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
    schema_migrations,
    schema_summary,
)
from tenants.models import Domain, School

logger = logging.getLogger(__name__)

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
SCHEMA_DUMP = "schema.dump"
PUBLIC_ROWS = "public.json"
MEDIA_PREFIX = "media/"
ARCHIVE_SUFFIX = ".tar.gz"


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
    """Write ``school``'s archive into ``output_dir`` (created if missing); its path and manifest."""
    if connection.in_atomic_block:
        raise RuntimeError("A backup takes its own snapshot: call it outside a transaction.")
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    name = f"{school.schema_name}-{started:%Y%m%dT%H%M%S%fZ}{ARCHIVE_SUFFIX}"
    partial = output_dir / (name + ".partial")
    pg_dump = pg_tools.pg_program("pg_dump")
    connection.set_schema_to_public()
    with tempfile.TemporaryDirectory(prefix="school-backup-") as scratch:
        dump_path = Path(scratch) / SCHEMA_DUMP
        with transaction.atomic():
            snapshot = _snapshot_begin()
            arguments, environment = pg_tools.libpq_arguments()
            dumping = subprocess.Popen(  # noqa: S603 (our own program and arguments)
                [
                    str(pg_dump),
                    "-Fc",
                    "-n",
                    school.schema_name,
                    f"--snapshot={snapshot}",
                    "-f",
                    str(dump_path),
                    *arguments,
                ],
                env=environment,
                stderr=subprocess.PIPE,
            )
            try:
                tables = schema_summary(school.schema_name)
                school_migrations = schema_migrations(school.schema_name)
                rows = public_rows(school)
                platform_migrations = migration_state()
            finally:
                _, errors = dumping.communicate()
            if dumping.returncode != 0:
                raise pg_tools.PostgresToolError(f"pg_dump failed: {errors.decode(errors='replace').strip()}")
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
                "pg_dump": pg_tools.program_version(pg_dump),
                "server_version": connection.pg_version,
            },
            "tables": tables,
            "public": public_summary(rows),
            "files": {},
        }
        with tarfile.open(partial, "w:gz") as archive:
            manifest["files"][SCHEMA_DUMP] = _add_file(archive, SCHEMA_DUMP, dump_path)
            manifest["files"][PUBLIC_ROWS] = _add_bytes(archive, PUBLIC_ROWS, public_json)
            with schema_context(school.schema_name):
                for media_name in media_files(school.schema_name):
                    manifest["files"][MEDIA_PREFIX + media_name] = _add_stored(archive, media_name)
            _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    path = partial.rename(output_dir / name)
    logger.info("Backed up %s to %s", school.schema_name, path)
    return Backup(path=path, manifest=manifest)


def _snapshot_begin() -> str:
    """Make the transaction just opened repeatable-read and export its snapshot for pg_dump."""
    connection.ensure_connection()
    # The raw cursor: this must be the transaction's first statement, before django-tenants' search_path.
    with connection.connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
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
    if manifest.get("format") != ARCHIVE_FORMAT:
        message = _("%(path)s: unknown archive format %(format)s.")
        raise ArchiveError(message % {"path": path, "format": manifest.get("format")})
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
