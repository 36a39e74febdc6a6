"""The schema part of a restore (``provisioning.restore``): which archives fit this platform, the
archive's schema members, and the school's schema built from them in the restore's transaction."""

from __future__ import annotations

import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext as _

from provisioning.backup import BY_TEMPLATE, SCHEMA_DUMP, TEMPLATE_SQL, migration_state
from provisioning.models import SchemaTemplate
from provisioning.schema_data import SEQUENCES, data_member, schema_data_load
from provisioning.schema_rows import schema_rows_load
from provisioning.schema_template import (
    _SEPARATOR,
    _replay,
    schema_create_from_template,
    schema_template_of_version,
)


class RestoreRefused(Exception):
    """The archive cannot be restored as asked; the message says why and what to do."""


def schema_restore(scratch: Path, manifest: dict, schema_name: str, template: SchemaTemplate | None) -> str:
    """Build ``schema_name`` with the archive's rows (its members extracted into ``scratch``); its schema
    version. By the archive's own template, or (``template``: pg_dump's archives) the current one."""
    if template is None:
        sql = (scratch / TEMPLATE_SQL).read_text()
        _replay(schema_name=schema_name, sql=sql)
        schema_data_load(scratch, schema_name, manifest["schema"]["tables"])
        template_kept(manifest, sql)
        return manifest["schema"]["schema_version"]
    schema_create_from_template(schema_name=schema_name, template=template)
    schema_rows_load(scratch / SCHEMA_DUMP, manifest["school"]["schema_name"], schema_name)
    return template.schema_version


def template_kept(manifest: dict, sql: str) -> None:
    """Keep the archive's template when none of its version is left: a fleet migration starts from the
    template of a school's version to bring it up to date."""
    version, fingerprint = manifest["schema"]["schema_version"], manifest["schema"]["template_fingerprint"]
    if (
        schema_template_of_version(version) is None
        and not SchemaTemplate.objects.filter(fingerprint=fingerprint).exists()
    ):
        SchemaTemplate.objects.create(
            fingerprint=fingerprint, schema_version=version, sql=sql, statement_count=sql.count(_SEPARATOR)
        )


def migrations_check(manifest: dict, *, by_template: bool) -> None:
    """Refuse an archive of a newer platform, or whose public rows would not fit this one's tables."""
    archived, here = set(manifest["platform"]["migrations"]), set(migration_state())
    if by_template:
        # The schema comes from the archive's own template, at its version; only the public rows must fit.
        shared = {config.label for config in apps.get_app_configs() if config.name in settings.SHARED_APPS}
        public_archived = {name for name in archived if name.partition(".")[0] in shared}
        public_here = {name for name in here if name.partition(".")[0] in shared}
        acceptable = not archived - here and public_archived == public_here
    else:
        acceptable = archived == here
    if not acceptable:
        raise RestoreRefused(
            _(
                "This archive was made by another version of the platform (its migrations differ from this "
                "one's: made by %(version)s). Restore it on a platform at that version, then update."
            )
            % {"version": manifest["platform"]["version"]}
        )


def schema_members_extract(archive: Path, manifest: dict, scratch: Path) -> None:
    """The schema's members, in one pass over the archive: the template and rows, or pg_dump's archive."""
    if manifest["schema"]["method"] == BY_TEMPLATE:
        wanted = {TEMPLATE_SQL, SEQUENCES, *(data_member(table) for table in manifest["schema"]["tables"])}
    else:
        wanted = {SCHEMA_DUMP}
    with tarfile.open(archive, "r:gz") as tar:
        members = [member for member in tar if member.name in wanted and member.isfile()]
        tar.extractall(scratch, members=members, filter="data")
    missing = wanted - {member.name for member in members}
    if missing:
        raise RestoreRefused(_("The archive is damaged:") + "\n" + "\n".join(sorted(missing)))
