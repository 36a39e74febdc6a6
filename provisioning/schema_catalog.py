"""What PostgreSQL holds for one schema, in a form two schemas can be compared by.

Used to check every recorded provisioning template against the migrations it
came from (``schema_template``), and by the schema-fidelity test.
"""

from __future__ import annotations

from django.db import connection

# Structure: each query returns rows that must be equal, in order, for two schemas.
STRUCTURE_QUERIES = {
    "relations": """
        SELECT c.relname, c.relkind::text, c.relpersistence::text, coalesce(c.relacl::text, '')
        FROM pg_class c WHERE c.relnamespace = %(schema)s::regnamespace ORDER BY 1""",
    "columns": """
        SELECT c.relname,
               -- the column's position among live columns: a schema built without a migration's dropped
               -- columns (a template, a restore) holds the same table with other attnums
               row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum), a.attname,
               format_type(a.atttypid, a.atttypmod), a.attnotnull,
               a.attidentity::text, a.attgenerated::text, coalesce(pg_get_expr(d.adbin, d.adrelid), ''),
               coalesce(co.collname, '')
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0
        WHERE c.relnamespace = %(schema)s::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY 1, 2""",
    "constraints": """
        SELECT c.relname, k.conname, k.contype::text, k.condeferrable, k.condeferred,
               pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        WHERE k.connamespace = %(schema)s::regnamespace ORDER BY 1, 2""",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %(schema)s ORDER BY 1, 2",
    "sequences": """
        SELECT sequencename, data_type::text, start_value, min_value, max_value, increment_by, cycle,
               last_value
        FROM pg_sequences WHERE schemaname = %(schema)s ORDER BY 1""",
    "triggers": """
        SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = %(schema)s::regnamespace AND NOT t.tgisinternal ORDER BY 1, 2""",
    "functions": """
        SELECT p.proname, pg_get_function_identity_arguments(p.oid), md5(p.prosrc)
        FROM pg_proc p WHERE p.pronamespace = %(schema)s::regnamespace ORDER BY 1, 2""",
    "types": """
        SELECT t.typname, t.typtype::text,
               coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                         FROM pg_enum e WHERE e.enumtypid = t.oid), '')
        FROM pg_type t WHERE t.typnamespace = %(schema)s::regnamespace AND t.typtype IN ('e', 'd')
        ORDER BY 1""",
    "views": "SELECT viewname, definition FROM pg_views WHERE schemaname = %(schema)s ORDER BY 1",
    "comments": """
        SELECT c.relname, d.objsubid, d.description
        FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
        WHERE c.relnamespace = %(schema)s::regnamespace ORDER BY 1, 2""",
}

# Values that legitimately differ between two builds of the same migrations.
_VOLATILE_COLUMNS = {"django_migrations": {"applied"}}


def schema_catalog(schema: str, *, ignore_columns: dict[str, set[str]] | None = None) -> dict[str, list[tuple]]:
    """Structure and data of ``schema``, with the schema's own name taken out.

    ``ignore_columns`` leaves out data columns that differ by nature between two
    runs of the same migrations (random keys); the replay copies them exactly.
    """
    ignored = {**_VOLATILE_COLUMNS}
    for table, columns in (ignore_columns or {}).items():
        ignored[table] = ignored.get(table, set()) | columns
    result: dict[str, list[tuple]] = {}
    with connection.cursor() as cursor:
        for topic, query in STRUCTURE_QUERIES.items():
            cursor.execute(query, {"schema": schema})
            result[topic] = [_without_schema_name(row, schema) for row in cursor.fetchall()]
        for table in [row[0] for row in result["relations"] if row[1] in ("r", "p")]:
            result[f"data:{table}"] = _table_rows(cursor, schema, table, ignored.get(table, set()))
    return result


def _table_rows(cursor, schema: str, table: str, ignored: set[str]) -> list[tuple]:
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped"
        " ORDER BY attnum",
        [f'"{schema}"."{table}"'],
    )
    columns = [name for (name,) in cursor.fetchall() if name not in ignored]
    if not columns:
        return []
    listed = ", ".join(f'"{name}"::text' for name in columns)
    order = ", ".join(str(position) for position in range(1, len(columns) + 1))
    cursor.execute(f'SELECT {listed} FROM "{schema}"."{table}" ORDER BY {order}')
    return cursor.fetchall()


def _without_schema_name(row: tuple, schema: str) -> tuple:
    return tuple(value.replace(f"{schema}.", "SCHEMA.") if isinstance(value, str) else value for value in row)


def catalog_differences(expected: dict[str, list[tuple]], actual: dict[str, list[tuple]]) -> list[str]:
    """One line per topic that differs, with a few of the differing rows."""
    differences = []
    for topic in sorted(set(expected) | set(actual)):
        want, got = expected.get(topic, []), actual.get(topic, [])
        if want == got:
            continue
        missing = [row for row in want if row not in got][:3]
        extra = [row for row in got if row not in want][:3]
        differences.append(f"{topic}: missing {missing}, extra {extra}" if missing or extra else f"{topic}: order")
    return differences
