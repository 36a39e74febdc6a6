"""A built school schema as the SQL that makes it at once: its final DDL and its rows, without their history.

The migrations' own statements carry every step that led to the schema: columns created and then
retyped (Wagtail's type rewrites, 46-60 ms each), a ``django_migrations`` row inserted per migration,
deferred foreign-key checks fired after each. Provisioning needs only the result, so the template is
made from the schema the migrations built:

1. pg_dump's schema-only output of it, up to the first constraint or index (tables, identity sequences,
   defaults, comments): pg_dump writes each object as it is, with the names the migrations gave;
2. every table's rows as multi-row ``INSERT``s, and every sequence's position (``setval``);
3. the rest of pg_dump's output: primary keys, unique constraints, indexes, then foreign keys.

The rows go in before any constraint exists, as pg_dump's own restores do: adding a foreign key checks
the table's rows with one query, and no per-row check is queued. Per-row checks made the provisioning
connection slower with every school it created: PostgreSQL keeps a prepared plan for each foreign key it
has checked, for the life of the connection, and every catalog change walks all of them (see
docs/architecture.md, "Flat provisioning").

The schema's name is taken out of the statements, which then act on the first schema of the
``search_path`` (the school's), as the migrations' statements do. Owners and privileges are left out
(``--no-owner --no-privileges``): replayed tables get the connecting role and its default privileges,
as tables the migrations create do. ``schema_template`` verifies the result against what the
migrations built, catalog and data, before it is ever used.
"""

from __future__ import annotations

import re
import subprocess

from django.db import connection

from provisioning import pg_tools

ROWS_PER_INSERT = 500
# pg_dump writes a header before every object: "-- Name: x; Type: TABLE; Schema: s; Owner: -".
_ENTRY_HEADER = re.compile(
    r"^--\n-- Name: (?P<name>[^\n]*?); Type: (?P<type>[^;\n]+); Schema: [^\n]*\n--\n", re.MULTILINE
)
# Objects that pg_dump writes after the data (its "post-data" section), in that order.
_AFTER_DATA = {"CONSTRAINT", "FK CONSTRAINT", "INDEX", "INDEX ATTACH", "TRIGGER", "RULE", "POLICY", "ROW SECURITY"}
# Lines that steer pg_dump's own session (SET x = y; search_path) or psql (\restrict), not the schema.
_SESSION_LINE = re.compile(r"^(?:SET [a-z_]+ = .*;|SELECT pg_catalog\.set_config\(.*\);|\\(?:un)?restrict .*|--.*)$")


class SchemaDumpError(RuntimeError):
    """pg_dump's output is not what this module reads; the template is recorded the old way instead."""


def schema_final_statements(schema: str) -> list[str]:
    """The statements that rebuild ``schema`` (structure and rows) in the first schema of the search_path."""
    with connection.cursor() as cursor:
        before_data, after_data = _ddl_statements(_schema_only_dump(schema), _index_column_names(cursor, schema))
        rows = _rows_statements(cursor, schema)
        positions = _sequence_statements(cursor, schema)
    statements = [_unqualified(sql, schema) for sql in (*before_data, *rows, *positions, *after_data)]
    leaked = [sql for sql in statements if schema in sql]
    if leaked:
        raise SchemaDumpError(f"The dump still names {schema}: {leaked[0][:200]}")
    return statements


def _schema_only_dump(schema: str) -> str:
    arguments, environment = pg_tools.libpq_arguments()
    command = [
        str(pg_tools.pg_program("pg_dump")),
        *arguments,
        "--schema-only",
        "--no-owner",
        "--no-privileges",
        f"--schema={schema}",  # a plain name: BUILD_SCHEMA has no pattern characters
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)  # noqa: S603
    if done.returncode != 0:
        raise pg_tools.PostgresToolError(f"pg_dump failed: {done.stderr.strip()}")
    return done.stdout


def _ddl_statements(dump: str, index_column_names: dict[str, list[tuple]]) -> tuple[list[str], list[str]]:
    """pg_dump's objects as (before the data, after it), one entry each, session settings left out."""
    headers = list(_ENTRY_HEADER.finditer(dump))
    if not headers:
        raise SchemaDumpError("pg_dump wrote no objects")
    before: list[str] = []
    after: list[str] = []
    for number, header in enumerate(headers):
        end = headers[number + 1].start() if number + 1 < len(headers) else len(dump)
        kind = header.group("type")
        body = "\n".join(
            line for line in dump[header.end() : end].strip().splitlines() if not _SESSION_LINE.match(line)
        ).strip()
        if kind == "SCHEMA" or not body:
            continue  # the replay makes the school's schema itself
        if kind in _AFTER_DATA:
            body = _STABLE_ARRAY_CAST.sub(_array_cast_kept, body)
            renamed = index_column_names.get(header.group("name").split()[-1])
            if renamed:
                body = _with_index_column_names(body, renamed)
        (after if after or kind in _AFTER_DATA else before).append(body)
    return _identities_in_create_table(before), after


_ADD_IDENTITY = re.compile(
    r"^ALTER TABLE (?P<table>\S+) ALTER COLUMN (?P<column>\S+) ADD (?P<identity>GENERATED (?:BY DEFAULT|ALWAYS) "
    r"AS IDENTITY \(.*\));$",
    re.DOTALL,
)


def _identities_in_create_table(entries: list[str]) -> list[str]:
    """Each identity column declared in its CREATE TABLE instead of a later ALTER TABLE, as pg_dump writes it.

    The same schema either way; but Citus refuses to add an identity to a table of a distributed schema
    (issue 15, docs/citus.md), while it takes one declared with the table. An entry that does not read as
    expected is left as pg_dump wrote it (the template's verification judges the result)."""
    entries = list(entries)
    creates: dict[str, int] = {}
    for position, entry in enumerate(entries):
        create = re.match(r"CREATE TABLE (\S+) \(", entry)
        if create:
            creates[create.group(1)] = position
    folded: set[int] = set()
    for number, entry in enumerate(entries):
        added = _ADD_IDENTITY.match(entry)
        if added is None or added.group("table") not in creates:
            continue
        index = creates[added.group("table")]
        identity = " ".join(added.group("identity").split())
        column_line = re.compile(rf"^(    {re.escape(added.group('column'))} [^\n]*?)(,?)$", re.MULTILINE)

        def declare(line: re.Match, identity: str = identity) -> str:
            return f"{line.group(1)} {identity}{line.group(2)}"

        declared, found = column_line.subn(declare, entries[index], 1)
        if found:
            entries[index] = declared
            folded.add(number)
    return [entry for number, entry in enumerate(entries) if number not in folded]


# pg_get_indexdef prints an array cast as "(ARRAY['a'::T, 'b'::T])::U[]", which PostgreSQL reads back as
# "ARRAY[('a'::T)::U, ...]": another expression. "(ARRAY[...]::T[])::U[]" reads back as it was printed.
_STABLE_ARRAY_CAST = re.compile(r"\(ARRAY\[((?:'(?:[^']|'')*'::(?P<type>[a-z ]+(?:\(\d+\))?)(?:, )?)+)\]\)::")


def _array_cast_kept(match: re.Match) -> str:
    elements = match.group(1)
    if any(not element.endswith(f"::{match.group('type')}") for element in elements.split(", ")):
        return match.group(0)  # mixed element types: leave it; the template's verification judges it
    return f"(ARRAY[{elements}]::{match.group('type')}[])::"


def _index_column_names(cursor, schema: str) -> dict[str, list[tuple]]:
    """Indexes that name a column by an older name: PostgreSQL keeps the name a column had when the
    index was made, and a migration renamed the column since. {index: [(table, column, name in index)]}"""
    cursor.execute(
        """
        SELECT i.relname, t.relname, ta.attname, ia.attname
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_attribute ia ON ia.attrelid = i.oid AND ia.attnum > 0
        JOIN pg_attribute ta ON ta.attrelid = t.oid AND ta.attnum = x.indkey[ia.attnum - 1]
        WHERE t.relnamespace = %s::regnamespace AND ia.attname <> ta.attname
        ORDER BY 1, ia.attnum""",
        [schema],
    )
    renamed: dict[str, list[tuple]] = {}
    for index, table, column, name_in_index in cursor.fetchall():
        renamed.setdefault(index, []).append((table, column, name_in_index))
    return renamed


def _with_index_column_names(body: str, renamed: list[tuple]) -> str:
    """The index made while its columns bear the names it keeps, then the columns named as they are now."""

    def rename(table, old, new):
        return f"ALTER TABLE {_quoted(table)} RENAME COLUMN {_quoted(old)} TO {_quoted(new)};"

    before = [rename(table, column, name_in_index) for table, column, name_in_index in renamed]
    after = [rename(table, name_in_index, column) for table, column, name_in_index in renamed]
    for _table, column, name_in_index in renamed:  # pg_dump names the column as it is now
        body = re.sub(rf"(?<![\w.]){re.escape(column)}(?!\w)", name_in_index, body)
    return "\n".join([*before, body, *after])


def _rows_statements(cursor, schema: str) -> list[str]:
    """Every table's rows as multi-row INSERTs, the values as text literals the columns' types read back."""
    cursor.execute(
        """
        SELECT c.relname, array_agg(a.attname::text ORDER BY a.attnum), bool_or(a.attidentity = 'a')
        FROM pg_class c
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        WHERE c.relnamespace = %s::regnamespace AND c.relkind IN ('r', 'p')
        GROUP BY c.relname ORDER BY c.relname""",
        [schema],
    )
    statements = []
    for table, columns, identity_always in cursor.fetchall():
        listed = ", ".join(_quoted(name) for name in columns)
        # In the table's own order (no ORDER BY), so a query without one finds the rows as in a migrated schema.
        cursor.execute(
            f"SELECT {', '.join(f'{_quoted(name)}::text' for name in columns)} FROM {_quoted(schema)}.{_quoted(table)}"
        )
        rows = cursor.fetchall()
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        overriding = " OVERRIDING SYSTEM VALUE" if identity_always else ""
        for start in range(0, len(rows), ROWS_PER_INSERT):
            chunk = rows[start : start + ROWS_PER_INSERT]
            values = ",\n".join(cursor.mogrify(placeholders, row).decode() for row in chunk)
            statements.append(f"INSERT INTO {_quoted(table)} ({listed}){overriding} VALUES\n{values}")
    return statements


def _sequence_statements(cursor, schema: str) -> list[str]:
    """Each sequence where the build left it (a sequence never used is left as created)."""
    cursor.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'S' ORDER BY 1", [schema]
    )
    statements = []
    for (sequence,) in cursor.fetchall():
        cursor.execute(f"SELECT last_value, is_called FROM {_quoted(schema)}.{_quoted(sequence)}")
        last_value, is_called = cursor.fetchone()
        if is_called:
            literal = cursor.mogrify("%s", [_quoted(sequence)]).decode()
            statements.append(f"SELECT pg_catalog.setval({literal}, {int(last_value)}, true)")
    return statements


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _unqualified(sql: str, schema: str) -> str:
    # pg_dump qualifies every object with its schema, quoted only where the name needs it.
    return sql.replace(f"{_quoted(schema)}.", "").replace(f"{schema}.", "")
