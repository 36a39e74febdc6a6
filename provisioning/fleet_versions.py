"""Which schools are behind the code's migrations, found without visiting the schools that are not.

A school's ``schema_version`` (the tenant migrations its schema holds) is kept in the public
schema, so one query finds the schools a deploy must migrate. Schools provisioned before that
column existed have it empty: their version is read from their own ``django_migrations``, a few
hundred schemas per query (``UNION ALL``), and recorded, so the next run does not read it again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django_tenants.utils import get_public_schema_name

from provisioning.schema_template import _schema_version_of, _tenant_app_configs
from tenants.models import School

# Schemas read per query when classifying schools of unknown version: one statement of a few
# hundred SELECTs stays well under PostgreSQL's limits and is one round trip.
_SCHEMAS_PER_QUERY = 200


@dataclass(frozen=True)
class BehindSchool:
    """A school whose schema does not hold the code's migrations (``schema_version`` "" if unknown)."""

    id: int
    schema_name: str
    schema_version: str


def schools_behind(current_version: str) -> list[BehindSchool]:
    """Every school whose recorded schema version is not ``current_version``: one query."""
    rows = (
        School.objects.exclude(schema_name=get_public_schema_name())
        .exclude(schema_version=current_version)
        .order_by("pk")
        .values_list("pk", "schema_name", "schema_version")
    )
    return [BehindSchool(*row) for row in rows]


def schools_count() -> int:
    return School.objects.exclude(schema_name=get_public_schema_name()).count()


def schemas_with_migrations_table(schema_names) -> list[str]:
    """Those of ``schema_names`` that hold a ``django_migrations`` table, sorted (one catalog query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relname = 'django_migrations' AND c.relkind = 'r' AND n.nspname = ANY(%s)",
            [list(schema_names)],
        )
        return sorted(name for (name,) in cursor.fetchall())


def schema_versions_read(schema_names: list[str]) -> dict[str, str]:
    """The schema version each schema holds, read from its ``django_migrations`` (set-based, in chunks).

    A schema without a ``django_migrations`` table is left out: only the standard migrate can build it.
    """
    tenant_labels = sorted(config.label for config in _tenant_app_configs())
    readable = schemas_with_migrations_table(schema_names)
    with connection.cursor() as cursor:
        names: dict[str, set[tuple[str, str]]] = {name: set() for name in readable}
        for start in range(0, len(readable), _SCHEMAS_PER_QUERY):
            chunk = readable[start : start + _SCHEMAS_PER_QUERY]
            union = " UNION ALL ".join(
                f"SELECT %s, app, name FROM {connection.ops.quote_name(name)}.django_migrations WHERE app = ANY(%s)"
                for name in chunk
            )
            params: list = []
            for name in chunk:
                params += [name, tenant_labels]
            cursor.execute(union, params)
            for schema_name, app, name in cursor.fetchall():
                names[schema_name].add((app, name))
    return {schema_name: _schema_version_of(applied) for schema_name, applied in names.items()}


def unknown_versions_classify(schools: list[BehindSchool]) -> list[BehindSchool]:
    """``schools`` with every empty version read from the schema and recorded; the others unchanged."""
    unknown = [school for school in schools if not school.schema_version]
    if not unknown:
        return schools
    versions = schema_versions_read([school.schema_name for school in unknown])
    by_version: dict[str, list[int]] = defaultdict(list)
    for school in unknown:
        if school.schema_name in versions:
            by_version[versions[school.schema_name]].append(school.id)
    for version, ids in by_version.items():
        # Conditional on still being unknown: a concurrent run or a provisioning may have written it.
        School.objects.filter(pk__in=ids, schema_version="").update(schema_version=version)
    return [
        BehindSchool(school.id, school.schema_name, versions.get(school.schema_name, ""))
        if not school.schema_version
        else school
        for school in schools
    ]
