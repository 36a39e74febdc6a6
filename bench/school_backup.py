"""Benchmark: one school's backup and restore in a region, against ``pg_dump -n`` in the same run.

    .venv/bin/python bench/school_backup.py                  # the database of DATABASE_URL, as it is
    .venv/bin/python bench/school_backup.py --schools 200    # provision up to 200 schools first

Runs against the database DATABASE_URL names (it provisions schools into it when ``--schools`` is more
than it has: use a scratch database). For one school (by default the middle one) it prints, each the
median of ``--repeat`` runs:

- ``school_backup`` (the platform's archive: template SQL + ``COPY`` per table) in this process, and as
  the ``school_backup`` command in a fresh process (Django's start-up included), with that process's
  peak memory;
- ``pg_dump -Fc -n`` of the same school, with and without merge joins (the fallback turns them off),
  with its peak memory;
- ``school_restore`` of the archive as a copy (dropped afterwards).

``backup_figures(school, folder)`` is what ``bench/fleet.py`` calls.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def _measured(command: list[str], environment: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one child process.

    The peak is the child's own VmHWM, read from /proc while it runs: the rusage that wait4 returns would
    carry this bench process's own peak, which Linux keeps across the child's fork and exec.
    """
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=errors)
        peak_kb = 0
        status_file = Path(f"/proc/{process.pid}/status")
        while process.poll() is None:
            try:
                for line in status_file.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kb = max(peak_kb, int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.005)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{command[0]} failed: {errors.read().decode(errors='replace')}")
    return seconds, peak_kb / 1024


def backup_figures(school, folder: Path, *, repeat: int = 3) -> dict[str, float]:
    """One school's backup and restore against ``pg_dump -n``: seconds (median of ``repeat``), MB, bytes."""
    from django.db import connection

    from provisioning import pg_tools
    from provisioning.backup import school_backup
    from provisioning.restore import school_restore
    from tenants.models import School
    from tests.factories import valid_bin

    folder.mkdir(parents=True, exist_ok=True)
    figures: dict[str, float] = {}
    # A fresh connection first (its catalog caches empty, as a nightly task's may be): time and what the
    # backend holds afterwards.
    connection.close()
    started = time.perf_counter()
    school_backup(school=school, output_dir=folder / "platform")
    figures["backup_fresh_connection_s"] = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
        figures["backend_mb"] = cursor.fetchone()[0] / 2**20
    in_process, archives = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        archives.append(school_backup(school=school, output_dir=folder / "platform").path)
        in_process.append(time.perf_counter() - started)
    figures["backup_s"] = statistics.median(in_process)
    figures["backup_bytes"] = archives[-1].stat().st_size
    command = [sys.executable, str(BASE_DIR / "manage.py"), "school_backup", school.schema_name]
    runs = [_measured([*command, "--output", str(folder / "command")]) for _ in range(repeat)]
    figures["backup_command_s"] = statistics.median(run[0] for run in runs)
    figures["backup_command_mb"] = max(run[1] for run in runs)

    pg_dump = str(pg_tools.pg_program("pg_dump"))
    arguments, environment = pg_tools.libpq_arguments()
    dump = folder / "pg_dump.dump"
    for label, options in (("pg_dump", ""), ("pg_dump_no_mergejoin", pg_tools.PG_DUMP_OPTIONS)):
        runs = [
            _measured(
                [pg_dump, "-Fc", "-n", school.schema_name, "-f", str(dump), *arguments],
                {**environment, "PGOPTIONS": options},
            )
            for _ in range(repeat)
        ]
        figures[f"{label}_s"] = statistics.median(run[0] for run in runs)
        figures[f"{label}_mb"] = max(run[1] for run in runs)
    figures["pg_dump_bytes"] = dump.stat().st_size

    restores = []
    for _ in range(repeat):
        connection.set_schema_to_public()
        for made in School.objects.filter(schema_name="school_bench_restored"):
            made.delete(force_drop=True)
        started = time.perf_counter()
        school_restore(archive=archives[-1], as_subdomain="bench-restored", bin=valid_bin(99990))
        restores.append(time.perf_counter() - started)
    for made in School.objects.filter(schema_name="school_bench_restored"):
        made.delete(force_drop=True)
    figures["restore_s"] = statistics.median(restores)
    return figures


def _provision_up_to(count: int) -> None:
    from django.db import connection

    from provisioning.services import school_provision
    from tenants.models import School
    from tests.factories import school_details, valid_bin

    have = School.objects.exclude(schema_name="public").count()
    for number in range(have, count):
        details = school_details(subdomain=f"fleet-{number}", bin=valid_bin(5000 + number))
        school_provision(details=details, send_invitations=False, interactive=False)
        if number % 5 == 4:
            connection.close()  # a connection slows with every school it creates (issue 14)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=0, help="provision up to this many schools first")
    parser.add_argument("--school", help="the school's schema (default: the middle one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regional_platform.settings.dev")
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.db import connection

    from tenants.models import School

    _provision_up_to(args.schools)
    schools = School.objects.exclude(schema_name="public").order_by("pk")
    school = schools.get(schema_name=args.school) if args.school else schools[schools.count() // 2]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), pg_size_pretty(pg_database_size(current_database())) FROM pg_class")
        relations, size = cursor.fetchone()
    print(
        f"{schools.count()} schools, {relations} relations in pg_class, database {size}; school {school.schema_name}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as scratch:
        figures = backup_figures(school, Path(scratch), repeat=args.repeat)
    print(
        f"school_backup (in process)   {figures['backup_s']:.2f} s   archive {figures['backup_bytes'] / 1024:.0f} KB"
    )
    print(
        f"school_backup (fresh conn.)  {figures['backup_fresh_connection_s']:.2f} s"
        f"   its backend then holds {figures['backend_mb']:.1f} MB"
    )
    print(
        f"school_backup (command)      {figures['backup_command_s']:.2f} s"
        f"   peak {figures['backup_command_mb']:.0f} MB"
    )
    print(f"pg_dump -n                   {figures['pg_dump_s']:.2f} s   peak {figures['pg_dump_mb']:.0f} MB")
    print(
        f"pg_dump -n, no merge joins   {figures['pg_dump_no_mergejoin_s']:.2f} s"
        f"   peak {figures['pg_dump_no_mergejoin_mb']:.0f} MB   dump {figures['pg_dump_bytes'] / 1024:.0f} KB"
    )
    print(f"school_restore (as a copy)   {figures['restore_s']:.2f} s")


if __name__ == "__main__":
    main()
