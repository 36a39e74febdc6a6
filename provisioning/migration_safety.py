"""The expand-then-contract check: a new migration must leave the previous release able to serve.

During a deploy the previous release keeps serving while the schools are migrated (some already
have the new schema, some not yet), so a migration in the deploy path may only *expand*: add a
table, a nullable column, a column with a database default. Dropping, renaming or tightening
(NOT NULL) comes in a later release, once no running code reads or writes the old shape; such a
migration says so with ``contract_step = "<why it is safe now>"`` on its class. ``RunPython`` in a
tenant app runs once per school in Python and cannot be replayed (``fleet_upgrade``): it needs the
same declaration. Migrations listed in ``migrations_baseline.txt`` predate the rule and are not
checked. See docs/migrations.md.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader

BASELINE = Path(__file__).with_name("migrations_baseline.txt")
CONTRACT_ATTRIBUTE = "contract_step"


def _database_operations(operations):
    for operation in operations:
        if isinstance(operation, ops.SeparateDatabaseAndState):
            yield from _database_operations(operation.database_operations)
        else:
            yield operation


def _not_null_without_db_default(field) -> bool:
    return not field.many_to_many and not field.null and field.db_default is models.NOT_PROVIDED


def migration_expand_problems(migration, state_before, *, tenant_app: bool) -> list[str]:
    """Why ``migration`` would break the previous release while it runs; [] if it only expands."""
    if getattr(migration, CONTRACT_ATTRIBUTE, ""):
        return []
    problems = []
    for operation in _database_operations(migration.operations):
        name = type(operation).__name__
        if isinstance(operation, (ops.RemoveField, ops.DeleteModel, ops.RenameField, ops.RenameModel)):
            problems.append(f"{name} ({operation.describe()}): the previous release still uses it")
        elif isinstance(operation, ops.AddField) and _not_null_without_db_default(operation.field):
            problems.append(
                f"AddField {operation.name}: NOT NULL without db_default; the previous release's inserts fail"
            )
        elif isinstance(operation, ops.AlterField) and _not_null_without_db_default(operation.field):
            model = state_before.models.get((migration.app_label, operation.model_name_lower))
            before = model.fields.get(operation.name) if model else None
            if before is None or before.null:
                problems.append(f"AlterField {operation.name}: makes the column NOT NULL without db_default")
        elif isinstance(operation, ops.RunPython) and tenant_app and operation.code is not ops.RunPython.noop:
            problems.append("RunPython in a tenant app: runs per school in Python and is not replayed")
    return [f"{migration.app_label}.{migration.name}: {problem}" for problem in problems]


def baseline_read() -> set[str]:
    lines = BASELINE.read_text().splitlines() if BASELINE.exists() else []
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def project_migration_keys(loader: MigrationLoader) -> list[tuple[str, str]]:
    """(app_label, name) of the migrations of the project's own apps (not the libraries')."""
    base = Path(settings.BASE_DIR).resolve()
    own = {
        config.label
        for config in apps.get_app_configs()
        if base in Path(config.path).resolve().parents and ".venv" not in Path(config.path).parts
    }
    return sorted(key for key in loader.disk_migrations if key[0] in own)


def new_migrations_problems(*, baseline: set[str] | None = None) -> list[str]:
    """Every expand-unsafe operation of the project's migrations that are not in the baseline."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    grandfathered = baseline_read() if baseline is None else baseline
    tenant_labels = {config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS}
    problems = []
    for key in project_migration_keys(loader):
        if f"{key[0]}.{key[1]}" in grandfathered:
            continue
        migration = loader.disk_migrations[key]
        state_before = loader.project_state(key, at_end=False)
        problems += migration_expand_problems(migration, state_before, tenant_app=key[0] in tenant_labels)
    return problems
