"""A school's rows without its structure: ``COPY`` text per table and each sequence's value.

Every school's structure is its schema version's provisioning template, so an archive holds the
template's SQL once and the school's rows as ``COPY … TO STDOUT`` text per table (``schema_data_dump``);
a restore replays the template into a new schema, empties the rows it seeds and copies the archive's in
(``schema_data_load``). Neither reads more of the catalog than the one schema's relations
(``backup_contents.schema_layout``), so one school's backup costs the same in a region of 20 schools or
of 2,000 — where ``pg_dump -n`` reads the whole catalog first (issue 14: 13–18 s and 408 MB at 1,000).
"""

from __future__ import annotations

import graphlib
import json
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _

from provisioning.backup_contents import SchemaLayout, quoted, schema_layout

DATA_PREFIX = "data/"
SEQUENCES = "sequences.json"


class SchemaDataError(ValueError):
    """The archive's rows do not fit the schema its template builds."""


def data_member(table: str) -> str:
    return f"{DATA_PREFIX}{table}.copy"


def schema_data_dump(schema_name: str, layout: SchemaLayout, folder: Path) -> dict:
    """Write each table's rows (``<folder>/data/<table>.copy``) and the sequences (``sequences.json``);
    the manifest's account of them: each table's copied columns. Run inside the backup's snapshot."""
    (folder / DATA_PREFIX).mkdir(parents=True, exist_ok=True)
    schema = quoted(schema_name)
    with connection.cursor() as cursor:
        for table in layout.tables:
            columns = ", ".join(quoted(column) for column in table.copied_columns)
            with open(folder / data_member(table.name), "wb") as output:
                cursor.copy_expert(f"COPY {schema}.{quoted(table.name)} ({columns}) TO STDOUT", output)
        sequences = {}
        if layout.sequences:
            # One statement for all of them: a sequence is a one-row relation.
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s, last_value, is_called FROM {schema}.{quoted(name)}" for name in layout.sequences
                ),
                list(layout.sequences),
            )
            sequences = {name: [value, called] for name, value, called in cursor.fetchall()}
    (folder / SEQUENCES).write_text(json.dumps(sequences, indent=1, sort_keys=True))
    return {"tables": {table.name: list(table.copied_columns) for table in layout.tables}}


def schema_data_load(folder: Path, schema_name: str, tables: dict[str, list[str]]) -> None:
    """Empty the new schema's tables (its template seeds a site), copy the archive's rows in, set its
    sequences. In the caller's transaction; foreign keys are checked once every table is in."""
    layout = schema_layout(schema_name)
    present = {table.name for table in layout.tables}
    if set(tables) != present:
        missing, extra = sorted(set(tables) - present), sorted(present - set(tables))
        raise SchemaDataError(
            _("The archive's tables are not its template's (missing: %(missing)s; not in the archive: %(extra)s).")
            % {"missing": ", ".join(missing) or "-", "extra": ", ".join(extra) or "-"}
        )
    schema = quoted(schema_name)
    with connection.cursor() as cursor:
        # Django's foreign keys are DEFERRABLE: checked at commit, whatever order the rows go and come in.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # DELETE, not TRUNCATE: the seeded rows are a few dozen, and TRUNCATE gives each of the ~70 tables and
        # their indexes new files (2 s of a restore). A deferred key whose row is deleted and copied back in
        # with the same key is satisfied at commit.
        for name in sorted(present):
            cursor.execute(f"DELETE FROM {schema}.{quoted(name)}")
        for table in _load_order(cursor, layout):
            columns = ", ".join(quoted(column) for column in tables[table])
            with open(folder / data_member(table), "rb") as rows:
                cursor.copy_expert(f"COPY {schema}.{quoted(table)} ({columns}) FROM STDIN", rows)
        sequences = json.loads((folder / SEQUENCES).read_text())
        unknown = sorted(set(sequences) - set(layout.sequences))
        if unknown:
            raise SchemaDataError(_("The archive sets sequences its template lacks: %(names)s") % {"names": unknown})
        for name, (value, called) in sorted(sequences.items()):
            sequence = f"{schema}.{quoted(name)}"
            cursor.execute("SELECT pg_catalog.setval(%s::regclass, %s, %s)", [sequence, value, called])


def _load_order(cursor, layout: SchemaLayout) -> list[str]:
    """The tables, each after those its NOT DEFERRABLE foreign keys point to (a deferred key waits for
    the commit; one that is not is checked row by row as the rows arrive)."""
    by_oid = {table.oid: table.name for table in layout.tables}
    graph: dict[str, set[str]] = {table.name: set() for table in layout.tables}
    cursor.execute(
        # By conrelid (indexed): pg_constraint has no index on the namespace alone.
        "SELECT conrelid, confrelid FROM pg_constraint WHERE conrelid = ANY(%s::oid[]) AND contype = 'f'"
        " AND NOT condeferrable",
        [list(by_oid)],
    )
    for referring, referred in cursor.fetchall():
        if referring != referred and referred in by_oid:
            graph[by_oid[referring]].add(by_oid[referred])
    try:
        return list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        message = _("Tables refer to each other with keys that cannot wait: %(cycle)s")
        raise SchemaDataError(message % {"cycle": exc.args[1]}) from None
