"""Is the live school what its archive holds? ``school_backup_verify``.

The archive is checked against its own manifest first (each member's sha256: a changed or missing file
is found), then the live school against the archive: each table of its schema (row count and checksum,
``backup_contents.table_summary``), its public rows (as a restore to that school would write them:
``restore.public_rows_for``), and its uploads. A copy restored under another subdomain is compared as
such: its site's host and its domain are the new ones, the rest must be the same.
"""

from __future__ import annotations

from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from provisioning.backup import MEDIA_PREFIX, archive_differences, archive_manifest
from provisioning.backup_contents import media_checksums, public_rows, public_summary, schema_summary
from provisioning.restore import Target, archive_public_rows, public_rows_for
from tenants.models import Domain, School


def school_backup_differences(*, archive: Path, school: School | None = None) -> list[str]:
    """Every difference between ``archive`` and the live ``school`` (by default the archive's own); none: same."""
    manifest = archive_manifest(archive)
    problems = archive_differences(archive, manifest)
    source = manifest["school"]
    if school is None:
        school = School.objects.filter(schema_name=source["schema_name"]).first()
        if school is None:
            return [*problems, _("The school %(schema)s does not exist.") % {"schema": source["schema_name"]}]
    hostname = Domain.objects.filter(tenant=school, is_primary=True).values_list("domain", flat=True).first() or ""
    target = Target(school.schema_name, hostname, school.bin, is_copy=school.schema_name != source["schema_name"])
    # A copy's site answers on its own host: summed as the original's host, the rest of the row must match.
    rewrites = {"wagtailcore_site": {"hostname": {hostname: source["hostname"]}}} if target.is_copy else {}
    connection.set_schema_to_public()
    with transaction.atomic():  # one snapshot for every table (and the server-side cursors need it)
        live_tables = schema_summary(school.schema_name, rewrites)
        live_public = public_summary(public_rows(school))
    problems += _summary_differences(manifest["tables"], live_tables, public=False)
    expected_public = public_summary(
        public_rows_for(
            archive_public_rows(archive),
            manifest,
            target,
            school.pk,
            copy_status=school.status,
            schema_version=school.schema_version,
        )
    )
    problems += _summary_differences(expected_public, live_public, public=True)
    archived_files = {
        name[len(MEDIA_PREFIX) :]: digest
        for name, digest in manifest["files"].items()
        if name.startswith(MEDIA_PREFIX)
    }
    live_files = media_checksums(school.schema_name)
    for name in sorted(set(archived_files) | set(live_files)):
        if name not in live_files:
            problems.append(_("file %(name)s: in the archive, not on the site") % {"name": name})
        elif name not in archived_files:
            problems.append(_("file %(name)s: on the site, not in the archive") % {"name": name})
        elif archived_files[name] != live_files[name]:
            problems.append(_("file %(name)s: its content differs") % {"name": name})
    return problems


def _summary_differences(archived: dict, live: dict, *, public: bool) -> list[str]:
    """Tables (or public models) whose row count or checksum is not the archive's."""
    if public:
        counted = _("public rows of %(name)s: %(archived)s rows in the archive, %(live)s live")
        changed = _("public rows of %(name)s: the rows differ")
    else:
        counted = _("table %(name)s: %(archived)s rows in the archive, %(live)s live")
        changed = _("table %(name)s: the rows differ")
    problems = []
    for name in sorted(set(archived) | set(live)):
        was, now = archived.get(name, {"rows": 0}), live.get(name, {"rows": 0})
        if was.get("rows") != now.get("rows"):
            problems.append(counted % {"name": name, "archived": was["rows"], "live": now["rows"]})
        elif was.get("sha256") != now.get("sha256"):
            problems.append(changed % {"name": name})
    return problems
