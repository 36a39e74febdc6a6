"""What a school's archive holds, read the same way by the backup, the restore and the check.

- the rows of the school's schema, per table: a count and a sha256 over each row's text in primary-key
  order (computed by PostgreSQL, so that a table is summed the same however it was loaded);
- the school's rows in the public schema: every row of a shared model with a foreign key to ``School``
  (found from the models, so a new model is included without anyone listing it), serialised with
  Django's JSON serialiser, timestamps to the microsecond;
- its uploads, under ``MEDIA_ROOT/<schema>/``, read through the storage so any backend works.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Q
from django_tenants.utils import schema_context

from tenants.models import School

# Sequence of fetched rows when a table is summed (bounded memory whatever its size).
_FETCH_ROWS = 2000


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts timestamps to milliseconds; a restore must give back the same instant."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- The school's schema ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableLayout:
    """One table of a school's schema: its live columns in order, the generated ones, its primary key."""

    oid: int
    name: str
    columns: tuple[str, ...]
    generated: frozenset[str]
    key: tuple[str, ...]

    @property
    def copied_columns(self) -> tuple[str, ...]:
        """The columns a ``COPY`` carries (a generated column is computed again, and refuses values)."""
        return tuple(column for column in self.columns if column not in self.generated)


@dataclass(frozen=True)
class SchemaLayout:
    """A schema's tables and sequences, read with a few catalog queries that name its namespace oid."""

    oid: int
    tables: tuple[TableLayout, ...]
    sequences: tuple[str, ...]


def schema_layout(schema_name: str) -> SchemaLayout:
    """The tables and sequences of one schema.

    Every query goes through an index from the namespace's oid (or its relations' oids), never a join on
    schema names or a catalog view (``pg_tables``, ``information_schema``): those read every school's
    relations, which is what made ``pg_dump -n`` pay for the whole fleet (design.md, "Backups at scale").
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [schema_name])
        found = cursor.fetchone()
        if found is None:
            raise LookupError(schema_name)
        (oid,) = found
        # The schema's relations through pg_depend's index on what is depended on (every relation depends
        # on its namespace; that is how DROP SCHEMA finds them): pg_class has no index on relnamespace,
        # and scanning it reads every school's 400-odd relations.
        cursor.execute(
            "SELECT c.oid, c.relname, c.relkind FROM pg_depend d JOIN pg_class c ON c.oid = d.objid"
            " WHERE d.refclassid = 'pg_namespace'::regclass AND d.refobjid = %s AND d.classid = 'pg_class'::regclass"
            " AND c.relnamespace = %s AND c.relkind IN ('r', 'p', 'S') ORDER BY c.relname",
            [oid, oid],
        )
        relations = cursor.fetchall()
        tables = {relid: name for relid, name, kind in relations if kind != "S"}
        columns: dict[int, list[tuple[str, str]]] = {relid: [] for relid in tables}
        keys: dict[int, list[str]] = {relid: [] for relid in tables}
        if tables:
            cursor.execute(
                "SELECT attrelid, attname, attgenerated FROM pg_attribute WHERE attrelid = ANY(%s::oid[])"
                " AND attnum > 0 AND NOT attisdropped ORDER BY attrelid, attnum",
                [list(tables)],
            )
            for relid, name, generated in cursor.fetchall():
                columns[relid].append((name, generated))
            cursor.execute(
                "SELECT i.indrelid, a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ANY(%s::oid[]) AND i.indisprimary"
                " ORDER BY i.indrelid, array_position(i.indkey, a.attnum)",
                [list(tables)],
            )
            for relid, name in cursor.fetchall():
                keys[relid].append(name)
    return SchemaLayout(
        oid=oid,
        tables=tuple(
            TableLayout(
                oid=relid,
                name=name,
                columns=tuple(column for column, _generated in columns[relid]),
                generated=frozenset(column for column, generated in columns[relid] if generated),
                key=tuple(keys[relid]),
            )
            for relid, name in tables.items()
        ),
        sequences=tuple(name for _relid, name, kind in relations if kind == "S"),
    )


def table_summary(schema_name: str, table: TableLayout, rewrites: dict | None = None) -> dict:
    """``{"rows": n, "sha256": …}`` of one table; ``rewrites`` maps column -> {live value: archived value}
    (a copy's site answers on its own host: summed as the original's, the rest of the row must match)."""
    rewrites = rewrites or {}
    params: list = []
    expressions = []
    for column in table.columns:
        if column in rewrites:
            cases = []
            for live, archived in rewrites[column].items():
                cases.append("WHEN %s THEN %s")
                params += [live, archived]
            expressions.append(f"CASE {quoted(column)} {' '.join(cases)} ELSE {quoted(column)} END")
        else:
            expressions.append(quoted(column))
    order = ", ".join(quoted(column) for column in table.key)
    sql = (
        f"SELECT ROW({', '.join(expressions)})::text AS row_text FROM {quoted(schema_name)}.{quoted(table.name)}"
        f" ORDER BY {order or 'row_text'}"
    )
    digest = hashlib.sha256()
    count = 0
    # A server-side cursor: a large table is streamed, never held whole. Needs a transaction.
    connection.ensure_connection()
    with connection.connection.cursor(name=f"summary_{table.name}"[:60]) as cursor:
        cursor.itersize = _FETCH_ROWS
        cursor.execute(sql, params)
        for (row_text,) in cursor:
            digest.update(row_text.encode())
            digest.update(b"\n")
            count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def schema_summary(schema_name: str, rewrites: dict | None = None, layout: SchemaLayout | None = None) -> dict:
    """Every table of the schema summed; ``rewrites``: table -> column -> {live: archived}."""
    rewrites = rewrites or {}
    layout = layout or schema_layout(schema_name)
    return {table.name: table_summary(schema_name, table, rewrites.get(table.name)) for table in layout.tables}


def schema_migrations(schema_name: str) -> list[str]:
    """The migrations recorded in a schema ("app.name", sorted): the migration state of its tables."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app || '.' || name FROM {quoted(schema_name)}.django_migrations")
        return sorted(name for (name,) in cursor.fetchall())


# --- The school's rows in the public schema ------------------------------------------------------------


def school_foreign_keys(model) -> list[str]:
    """The attribute names of ``model``'s foreign keys to School."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is School and (field.many_to_one or field.one_to_one)
    ]


def public_models_referring_to_school() -> list:
    """Every model of the public schema with a foreign key to School, by label (School itself apart)."""
    shared = set(settings.SHARED_APPS)
    found = [
        model
        for model in apps.get_models()
        if model._meta.app_config.name in shared
        and not model._meta.proxy
        and model is not School
        and school_foreign_keys(model)
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def public_rows(school: School) -> list[dict]:
    """The school's row and its rows in the public schema, as Django's JSON serialiser writes them."""
    rows = _serialised(School.objects.filter(pk=school.pk))
    for model in public_models_referring_to_school():
        refers = Q()
        for attname in school_foreign_keys(model):
            refers |= Q(**{attname: school.pk})
        rows += _serialised(model._base_manager.filter(refers).order_by("pk"))
    return rows


def _serialised(queryset) -> list[dict]:
    return json.loads(serializers.serialize("json", queryset, cls=ExactJSONEncoder))


def public_summary(rows: list[dict]) -> dict[str, dict]:
    """Per model: how many rows and a sha256 over their fields in order (primary keys left out: a copy's
    rows are new rows)."""
    by_model: dict[str, hashlib._Hash] = {}
    counts: dict[str, int] = {}
    for row in rows:
        digest = by_model.setdefault(row["model"], hashlib.sha256())
        digest.update(json.dumps(row["fields"], sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    return {label: {"rows": counts[label], "sha256": digest.hexdigest()} for label, digest in by_model.items()}


# --- Uploads -------------------------------------------------------------------------------------------


def media_files(schema_name: str) -> Iterator[str]:
    """The names of the school's uploads, relative to its folder, sorted."""
    with schema_context(schema_name):
        yield from sorted(_walk(""))


def _walk(folder: str) -> Iterator[str]:
    folders, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for name in folders:
        yield from _walk(f"{folder}/{name}" if folder else name)


def media_checksums(schema_name: str) -> dict[str, str]:
    with schema_context(schema_name):
        return {name: file_sha256(default_storage.open(name)) for name in media_files(schema_name)}


def file_sha256(handle) -> str:
    digest = hashlib.sha256()
    with handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
