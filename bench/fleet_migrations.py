"""The bench's migration runs, each in a process of its own (a release's new migration is a settings matter).

    python bench/fleet_migrations.py fleet                 # the deploy's command, timed
    python bench/fleet_migrations.py standard SCHEMA...    # django-tenants' executor, school by school, timed

Prints one JSON line: {"seconds": total, "per_school": [...]} (per_school only for ``standard``).
``bench/fleet.py`` runs it with DJANGO_SETTINGS_MODULE=bench.fleet_settings and, for the added column,
BENCH_ADDED_MIGRATIONS pointing at a scratch package holding one more migration.
"""

from __future__ import annotations

import io
import json
import logging
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def main() -> None:
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

    from provisioning.fleet_migration import schools_version_record
    from provisioning.fleet_upgrade import fast_migration_table_check

    mode, schemas = sys.argv[1], sys.argv[2:]
    out = io.StringIO()
    if mode == "fleet":
        started = time.perf_counter()
        call_command("migrate_schemas", interactive=False, verbosity=1, stdout=out)
        print(json.dumps({"seconds": time.perf_counter() - started, "output": out.getvalue()}))
        return
    per_school = []
    with fast_migration_table_check():  # the standard executor as this platform runs it (design.md)
        for schema in schemas:
            started = time.perf_counter()
            call_command(MigrateSchemasCommand(), schema_name=schema, interactive=False, verbosity=0, stdout=out)
            per_school.append(time.perf_counter() - started)
    schools_version_record(schema_names=schemas)  # as `migrate_schemas --per-school` does afterwards
    print(json.dumps({"seconds": sum(per_school), "per_school": per_school}))


if __name__ == "__main__":
    main()
