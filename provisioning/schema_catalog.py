"""What PostgreSQL holds for one schema, in a form two schemas can be compared by.

Used to check every recorded provisioning template against the migrations it
came from (``schema_template``), and by the schema-fidelity test. The second half
(``FLEET_STRUCTURE_QUERIES``, ``catalog_digests``, ``catalog_rows``) reads the
structure of many schemas at once, for the drift report (``schema_drift``).
"""

from __future__ import annotations

import contextlib

from django.db import connection, transaction

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


# The structure of many schemas at once, one query per topic for the whole fleet (the drift report). Each
# row is (schema oid, key, definition, shown): ``key`` names the object within its schema (a table's column,
# an index), ``definition`` is everything about it that two schools built from one template share, and
# ``shown`` (NULL: the definition) says it for people. Rows of one schema are digested together
# (``catalog_digests``); only schemas whose digest differs are read row by row (``catalog_rows``).
# Definitions are built from the catalog's own columns, with names for column numbers (a template built
# without a migration's dropped columns numbers them otherwise), rather than by pg_get_indexdef and
# pg_get_constraintdef: those look every part up again, one object at a time, and were most of the time.
# Unlike STRUCTURE_QUERIES, a sequence's position is left out (it is data), and so are the columns of
# indexes and sequences (their own topics say all of them).
# Each table's column names by number (dropped columns keep theirs, so the array's index is the number), read
# once for every table of the schemas instead of looked up per key of every constraint and index.
_COLUMN_NAMES = """
    WITH tables AS (
        SELECT a.attrelid, array_agg(a.attname::text ORDER BY a.attnum) AS names
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace = ANY(%(namespaces)s::oid[]) AND c.relkind IN ('r', 'p', 'm') AND a.attnum > 0
        GROUP BY a.attrelid)"""


def _names(numbers: str, table: str) -> str:
    """SQL: the names of the columns ``numbers`` (an int2 array) of ``table`` (a row of ``tables``), in order."""
    return (
        f"coalesce(array_to_string(ARRAY(SELECT coalesce({table}.names[n], '#' || n)"
        f" FROM unnest({numbers}::int2[]) AS n), ','), '')"
    )


FLEET_STRUCTURE_QUERIES = {
    "relations": """
        SELECT c.relnamespace, c.relname, concat_ws('|', c.relkind, c.relpersistence, c.relrowsecurity,
               coalesce(c.relacl::text, ''), coalesce(array_to_string(c.reloptions, ','), '')), NULL
        FROM pg_class c WHERE c.relnamespace = ANY(%(namespaces)s::oid[])""",
    "columns": """
        SELECT c.relnamespace, c.relname || '.' || a.attname,
               -- by position among live columns, as in STRUCTURE_QUERIES
               concat_ws('|', row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
                         format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity, a.attgenerated,
                         coalesce(pg_get_expr(d.adbin, d.adrelid), ''), coalesce(co.collname, '')), NULL
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0
        WHERE c.relnamespace = ANY(%(namespaces)s::oid[]) AND c.relkind NOT IN ('i', 'I', 'S')
          AND a.attnum > 0 AND NOT a.attisdropped""",
    "constraints": f"""{_COLUMN_NAMES}
        SELECT k.connamespace, c.relname || '.' || k.conname,
               concat_ws('|', k.contype, k.condeferrable, k.condeferred, k.convalidated, k.connoinherit,
                         {_names("k.conkey", "own")},
                         -- the referenced table: in the same schema, or named with its own
                         CASE WHEN f.relnamespace = k.connamespace THEN f.relname
                              ELSE coalesce(f.relnamespace::regnamespace::text || '.' || f.relname, '') END,
                         {_names("k.confkey", "referenced")},
                         k.confupdtype, k.confdeltype, k.confmatchtype, coalesce(k.conexclop::text, ''),
                         coalesce(pg_get_expr(k.conbin, k.conrelid), '')),
               pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_class f ON f.oid = k.confrelid
        LEFT JOIN tables own ON own.attrelid = k.conrelid
        LEFT JOIN tables referenced ON referenced.attrelid = k.confrelid
        WHERE k.connamespace = ANY(%(namespaces)s::oid[])""",
    "indexes": f"""{_COLUMN_NAMES}
        SELECT i.relnamespace, i.relname,
               concat_ws('|', t.relname, i.relam, x.indisunique, x.indisprimary, x.indisexclusion,
                         x.indimmediate, x.indisvalid, x.indnkeyatts,
                         {_names("x.indkey", "own")},
                         x.indclass::text, x.indcollation::text, x.indoption::text,
                         coalesce(pg_get_expr(x.indexprs, x.indrelid), ''),
                         coalesce(pg_get_expr(x.indpred, x.indrelid), '')),
               CASE WHEN x.indisvalid THEN '' ELSE 'INVALID ' END || pg_get_indexdef(x.indexrelid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        LEFT JOIN tables own ON own.attrelid = x.indrelid
        WHERE i.relnamespace = ANY(%(namespaces)s::oid[])""",
    "sequences": """
        SELECT c.relnamespace, c.relname, concat_ws('|', format_type(s.seqtypid, NULL), s.seqstart, s.seqmin,
               s.seqmax, s.seqincrement, s.seqcycle, s.seqcache), NULL
        FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
        WHERE c.relnamespace = ANY(%(namespaces)s::oid[])""",
    "triggers": """
        SELECT c.relnamespace, c.relname || '.' || t.tgname, concat_ws('|', t.tgenabled, pg_get_triggerdef(t.oid)),
               NULL
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = ANY(%(namespaces)s::oid[]) AND NOT t.tgisinternal""",
    "functions": """
        SELECT p.pronamespace, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
               concat_ws('|', p.prokind, pg_get_function_result(p.oid), md5(p.prosrc)), NULL
        FROM pg_proc p WHERE p.pronamespace = ANY(%(namespaces)s::oid[])""",
    "types": """
        SELECT t.typnamespace, t.typname, concat_ws('|', t.typtype, format_type(t.typbasetype, t.typtypmod),
               t.typnotnull, coalesce(t.typdefault, ''),
               (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e
                WHERE e.enumtypid = t.oid)), NULL
        FROM pg_type t WHERE t.typnamespace = ANY(%(namespaces)s::oid[]) AND t.typtype IN ('e', 'd')""",
    "views": """
        SELECT c.relnamespace, c.relname, pg_get_viewdef(c.oid), NULL
        FROM pg_class c WHERE c.relnamespace = ANY(%(namespaces)s::oid[]) AND c.relkind IN ('v', 'm')""",
    "comments": """
        SELECT c.relnamespace, c.relname || '.' || d.objsubid, d.description, NULL
        FROM pg_description d JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass
        WHERE c.relnamespace = ANY(%(namespaces)s::oid[])""",
}

# The schema's own name taken out of its rows, so that schemas compare: as PostgreSQL prints it (quoted
# when it must be), read per row from the oid (a join on pg_namespace was planned as a loop per schema).
_ROWS = """
    SELECT topic.namespace, replace(topic.key, topic.namespace::regnamespace::text || '.', 'SCHEMA.') AS key,
           replace(topic.definition, topic.namespace::regnamespace::text || '.', 'SCHEMA.') AS definition,
           replace(topic.shown, topic.namespace::regnamespace::text || '.', 'SCHEMA.') AS shown
    FROM ({query}) AS topic(namespace, key, definition, shown)"""
_DIGESTS = """
    SELECT namespace, md5(string_agg(key || E'\\t' || definition, E'\\n' ORDER BY key COLLATE "C"))
    FROM ({rows}) AS named GROUP BY namespace"""


def catalog_digests(schemas: list[str], topics: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    """{schema: {topic: digest}} for every schema in ``schemas``, one query per topic for all of them.

    ``topics`` (default ``FLEET_STRUCTURE_QUERIES``) are queries of rows (schema oid, key, definition,
    shown) taking ``%(namespaces)s``, the schemas' oids. A topic a schema holds nothing of has the digest "".
    """
    topics = topics or FLEET_STRUCTURE_QUERIES
    digests: dict[str, dict[str, str]] = {schema: dict.fromkeys(topics, "") for schema in schemas}
    with transaction.atomic(), connection.cursor() as cursor, _whole_catalog_plans(cursor, schemas):
        names, namespaces = _namespaces(cursor, schemas)
        for topic, query in topics.items():
            cursor.execute(_DIGESTS.format(rows=_ROWS.format(query=query)), {"namespaces": namespaces})
            for namespace, digest in cursor.fetchall():
                digests[names[namespace]][topic] = digest
    return digests


def catalog_rows(schemas: list[str], topic_names, topics: dict[str, str] | None = None) -> dict:
    """{schema: {topic: {key: (definition, shown)}}} of ``schemas`` for the topics named, as
    ``catalog_digests`` reads them (``shown`` is the definition when the topic has no other)."""
    queries = topics or FLEET_STRUCTURE_QUERIES
    rows: dict[str, dict[str, dict]] = {schema: {topic: {} for topic in topic_names} for schema in schemas}
    with transaction.atomic(), connection.cursor() as cursor, _whole_catalog_plans(cursor, schemas):
        names, namespaces = _namespaces(cursor, schemas)
        for topic in topic_names:
            cursor.execute(_ROWS.format(query=queries[topic]), {"namespaces": namespaces})
            for namespace, key, definition, shown in cursor.fetchall():
                rows[names[namespace]][topic][key] = (definition, definition if shown is None else shown)
    return rows


def _namespaces(cursor, schemas: list[str]) -> tuple[dict[int, str], str]:
    """{oid: name} of ``schemas``, and their oids as one array constant: a filter the planner hashes, where a
    join on pg_namespace led it to scan pg_class's (name, namespace) index once per schema (quadratic)."""
    cursor.execute("SELECT oid, nspname FROM pg_namespace WHERE nspname = ANY(%s)", [list(schemas)])
    names = dict(cursor.fetchall())
    return names, "{" + ",".join(str(oid) for oid in names) + "}"


# The planner cannot estimate how many catalog rows belong to a list of schemas, guesses one, and then loops
# over a whole catalog once per row (minutes at 200 schools); these queries read most of the catalog, which
# hash joins do in one pass. Memory enough to sort a topic's rows without spilling to disk.
_WHOLE_CATALOG_SETTINGS = {"enable_nestloop": "off", "work_mem": "64MB"}
_WHOLE_CATALOG_FROM = 20  # schemas


@contextlib.contextmanager
def _whole_catalog_plans(cursor, schemas: list[str]):
    """Plan the fleet queries as scans of the whole catalog, for this transaction's queries meanwhile only;
    a few schemas (a reference, a school's details) are read faster through the catalog's indexes."""
    if len(schemas) < _WHOLE_CATALOG_FROM:
        yield
        return
    previous = {}
    for name, value in _WHOLE_CATALOG_SETTINGS.items():
        cursor.execute("SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value])
        previous[name] = cursor.fetchone()[0]
    try:
        yield
    finally:
        for name, value in previous.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
