"""The rows of a school's archived schema loaded into another schema (``provisioning.restore``).

``pg_restore --data-only`` turns the archive's ``schema.dump`` into a script of ``COPY`` blocks and
``setval`` calls, each naming the archived schema; each is sent to the target schema instead, through the
restore's own connection, so that the whole restore is one transaction. Anything else in the script but
session settings is refused: a data-only script holds nothing else.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _

from provisioning import pg_tools
from provisioning.backup_contents import quoted


class ArchiveDataError(ValueError):
    """The archive's data is not what ``school_backup`` writes."""


# pg_restore's data-only script: COPY blocks and setval calls name the archived schema.
_COPY = re.compile(rb'^COPY (?P<schema>"(?:[^"]|"")+"|[^".\s]+)\.(?P<rest>.+ FROM stdin);\n$')
_SETVAL = re.compile(
    rb"^SELECT pg_catalog\.setval\('(?P<name>(?:[^']|'')+)', (?P<value>\d+), (?P<called>true|false)\);\n$"
)
# \\restrict/\\unrestrict: psql meta-commands newer pg_restore adds around a script (CVE-2025-8714).
_IGNORED = (b"--", b"SET ", b"SELECT pg_catalog.set_config(", b"\n", b"\\restrict ", b"\\unrestrict ")


def _unquoted(identifier: bytes) -> str:
    text = identifier.decode()
    return text[1:-1].replace('""', '"') if text.startswith('"') else text


def schema_rows_load(dump: Path, source_schema: str, target_schema: str) -> None:
    """Empty the new schema's tables (the template seeds a site), then load the archive's rows into them."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses tables with pending checks
        cursor.execute(
            "SELECT string_agg(format('%%I.%%I', schemaname, tablename), ', ') FROM pg_tables WHERE schemaname = %s",
            [target_schema],
        )
        (tables,) = cursor.fetchone()
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # rows arrive table by table; checked at commit
        arguments = [str(pg_tools.pg_program("pg_restore")), "--data-only", "-f", "-", str(dump)]
        script = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
        try:
            _script_replay(cursor, script.stdout, source_schema, target_schema)
        finally:
            script.stdout.close()
            errors = script.stderr.read()
            script.wait()
        if script.returncode != 0:
            raise pg_tools.PostgresToolError(f"pg_restore failed: {errors.decode(errors='replace').strip()}")


def _shown(line: bytes) -> str:
    return line[:200].decode(errors="replace").strip()


def _script_replay(cursor, lines, source_schema: str, target_schema: str) -> None:
    for line in iter(lines.readline, b""):
        copy = _COPY.match(line)
        if copy:
            if _unquoted(copy.group("schema")) != source_schema:
                raise ArchiveDataError(_("The archive's data names another schema: %(line)s") % {"line": _shown(line)})
            cursor.copy_expert(f"COPY {quoted(target_schema)}.{copy.group('rest').decode()}", _CopyBlock(lines))
            continue
        setval = _SETVAL.match(line)
        if setval:
            name = setval.group("name").decode().replace("''", "'")
            schema, _dot, sequence = name.partition(".")
            if schema.strip('"') != source_schema:
                raise ArchiveDataError(_("The archive's data names another schema: %(line)s") % {"line": _shown(line)})
            cursor.execute(
                "SELECT pg_catalog.setval(%s, %s, %s)",
                [f"{quoted(target_schema)}.{sequence}", int(setval.group("value")), setval.group("called") == b"true"],
            )
            continue
        if not line.startswith(_IGNORED):
            raise ArchiveDataError(_("Unexpected statement in the archive's data: %(line)s") % {"line": _shown(line)})


class _CopyBlock:
    """One COPY block of the script as a file for psycopg2's copy_expert: up to its ``\\.`` line."""

    def __init__(self, lines):
        self.lines, self.buffer, self.done = lines, b"", False

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.buffer) < size):
            line = self.lines.readline()
            if line in (b"\\.\n", b""):
                self.done = True
            else:
                self.buffer += line
        if size < 0:
            size = len(self.buffer)
        chunk, self.buffer = self.buffer[:size], self.buffer[size:]
        return chunk

    readline = read
