"""Fleet migrations: a real added migration reaches the schools behind, once each, around a locked school.

The added migration is real: a copy of the workflows app's migrations plus one ``AddField(null=True)``,
in a package written to a temporary folder and installed with ``MIGRATION_MODULES``. The schools are
committed (the fleet replays in other processes and connections) and dropped afterwards.
"""

import shutil
import sys
import textwrap
import time
from pathlib import Path

import psycopg2
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

import workflows.migrations
from provisioning import fleet_migration, schema_template
from provisioning.fleet_migration import fleet_migrate, schools_migrate_one_by_one
from provisioning.fleet_upgrade import version_upgrade_compute
from provisioning.fleet_versions import BehindSchool, schema_versions_read
from provisioning.migration_safety import new_migrations_problems
from provisioning.models import FleetMigrationFailure, SchemaTemplate
from tenants.models import School
from tests.factories import school_create

PACKAGE = "fleet_added_migrations"
# The test's own migrations come after the last real one of workflows, whatever it is now.
LATEST = sorted(path.stem for path in Path(workflows.migrations.__file__).parent.glob("0*.py"))[-1]
NEXT = f"{int(LATEST[:4]) + 1:04d}"
PROBE_COLUMN = "fleet_probe"
ADD_NULLABLE = """
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workflows", "LATEST")]
    operations = [
        migrations.AddField(model_name="sectionfreshness", name="fleet_probe", field=models.TextField(null=True)),
    ]
"""


def _versions_forget():
    schema_template.migrations_fingerprint.cache_clear()
    schema_template.tenant_schema_version.cache_clear()


@pytest.fixture
def migrations_package(tmp_path):
    """Write a copy of workflows' migrations (plus ``extra``, {file name: source}) and install it."""
    installed = []

    def install(extra: dict[str, str]):
        package = tmp_path / PACKAGE
        shutil.copytree(Path(workflows.migrations.__file__).parent, package, ignore=shutil.ignore_patterns("__py*"))
        (package / "__init__.py").write_text("")
        for name, source in extra.items():
            source = source.replace('"LATEST"', f'"{LATEST}"')  # noqa: PLW2901
            (package / name).write_text(textwrap.dedent(source))
        sys.path.insert(0, str(tmp_path))
        override = override_settings(MIGRATION_MODULES={"workflows": PACKAGE})
        override.enable()
        installed.append(override)
        _versions_forget()

    yield install
    for override in installed:
        override.disable()
    for name in [module for module in sys.modules if module.startswith(PACKAGE)]:
        del sys.modules[name]
    if str(tmp_path) in sys.path:
        sys.path.remove(str(tmp_path))
    _versions_forget()


@pytest.fixture
def fleet(django_db_setup, django_db_blocker):
    """Committed schools, made and dropped outside any test transaction."""
    made = []
    with django_db_blocker.unblock():

        def make(count):
            for _ in range(count):
                made.append(school_create().school)
                connection.close()
            return list(made)

        yield make
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            for school in made:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{school.schema_name}" CASCADE')
        School.objects.filter(pk__in=[school.pk for school in made]).delete()
        SchemaTemplate.objects.filter(sql__contains=PROBE_COLUMN).delete()


def _has_probe(schema_name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = %s"
            " AND table_name = 'workflows_sectionfreshness' AND column_name = %s",
            [schema_name, PROBE_COLUMN],
        )
        return cursor.fetchone() is not None


@pytest.mark.slow  # about a minute: the added migration makes the provisioning template be recorded again
def test_added_column_reaches_behind_schools_around_a_locked_one(fleet, migrations_package):
    first, second, locked, unknown = fleet(4)
    old_version = schema_template.tenant_schema_version()
    School.objects.filter(pk=unknown.pk).update(schema_version="")  # provisioned before versions were kept

    started = time.monotonic()
    summary = fleet_migrate(processes=2)
    assert summary.ok and summary.migrated == 0 and summary.up_to_date >= 4
    assert time.monotonic() - started < 10, "an up-to-date fleet costs one query, not a visit per school"
    assert School.objects.get(pk=unknown.pk).schema_version == old_version  # read from its django_migrations

    migrations_package({f"{NEXT}_fleet_probe.py": ADD_NULLABLE})
    new_version = schema_template.tenant_schema_version()
    assert new_version != old_version
    holder = psycopg2.connect(**connection.get_connection_params())
    try:
        with holder.cursor() as cursor:  # a long request in one school: holds a lock the ALTER TABLE waits for
            cursor.execute(f'LOCK TABLE "{locked.schema_name}".workflows_sectionfreshness IN ACCESS SHARE MODE')
        summary = fleet_migrate(processes=2, lock_timeout="1s")
    finally:
        holder.rollback()
        holder.close()

    assert set(summary.failed) == {locked.schema_name}
    assert "lock timeout" in summary.failed[locked.schema_name]
    assert summary.migrated >= 3
    assert [upgrade.migrations for upgrade in summary.upgrades] == [(f"workflows.{NEXT}_fleet_probe",)]
    assert all(_has_probe(school.schema_name) for school in (first, second, unknown))
    assert not _has_probe(locked.schema_name)
    assert School.objects.get(pk=locked.pk).schema_version == old_version
    assert FleetMigrationFailure.objects.filter(school=locked, target_version=new_version).exists()
    assert School.objects.get(pk=first.pk).schema_version == new_version
    assert schema_versions_read([first.schema_name]) == {first.schema_name: new_version}

    call_command("migrate_schemas", verbosity=0)  # the re-run: only the locked school is left
    assert _has_probe(locked.schema_name)
    assert School.objects.get(pk=locked.pk).schema_version == new_version
    assert not FleetMigrationFailure.objects.filter(school=locked).exists()
    assert fleet_migrate().migrated == 0


def test_a_second_fleet_migration_is_refused_while_one_runs(fleet):
    other_run = psycopg2.connect(**connection.get_connection_params())
    try:
        with other_run.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [fleet_migration._FLEET_LOCK_KEY])
        with pytest.raises(fleet_migration.FleetMigrationRunning):
            fleet_migrate()
    finally:
        other_run.close()
    assert fleet_migrate().ok


def test_version_of_a_school_without_one_is_read_from_its_migrations(fleet):
    (school,) = fleet(1)[-1:]
    School.objects.filter(pk=school.pk).update(schema_version="")
    with connection.cursor() as cursor:  # as if it missed the last workflows migration
        cursor.execute(
            f"DELETE FROM \"{school.schema_name}\".django_migrations WHERE app = 'workflows' AND name = %s", [LATEST]
        )
    read = schema_versions_read([school.schema_name])[school.schema_name]
    names = [key for key in schema_template.tenant_migration_names() if key != ("workflows", LATEST)]
    assert read == schema_template._schema_version_of(names) != schema_template.tenant_schema_version()


WITH_PYTHON = """
from django.db import migrations


def fleet_group_add(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="fleet-probe")


class Migration(migrations.Migration):
    dependencies = [("workflows", "LATEST")]
    operations = [migrations.RunPython(fleet_group_add, migrations.RunPython.noop)]
"""


def test_a_runpython_migration_is_run_school_by_school_with_the_standard_executor(fleet, migrations_package):
    (school,) = fleet(1)[-1:]
    old_version, current = schema_template.tenant_schema_version(), schema_template.schema_template_current()
    migrations_package({f"{NEXT}_fleet_group.py": WITH_PYTHON})

    upgrade = version_upgrade_compute(from_version=old_version, current=current)
    assert upgrade.sql is None
    assert upgrade.fallback_reason.startswith(f"RunPython in workflows.{NEXT}_fleet_group")

    new_version = schema_template.tenant_schema_version()
    behind = [BehindSchool(school.id, school.schema_name, old_version)]
    assert schools_migrate_one_by_one(schools=behind, to_version=new_version, processes=1) == {
        school.schema_name: None
    }
    assert School.objects.get(pk=school.pk).schema_version == new_version
    with schema_context(school.schema_name):
        assert Group.objects.filter(name="fleet-probe").exists()


UNSAFE_REMOVE = """
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflows", "LATEST")]
    operations = [migrations.RemoveField(model_name="sectionfreshness", name="reviewed_at")]
"""
CONTRACT_REMOVE = UNSAFE_REMOVE.replace(
    "class Migration(migrations.Migration):\n",
    'class Migration(migrations.Migration):\n    contract_step = "unused since 2.3"\n',
)
UNSAFE_NOT_NULL = ADD_NULLABLE.replace("null=True", "default='x'")
SAFE_DB_DEFAULT = ADD_NULLABLE.replace("null=True", "db_default='x'")


@pytest.mark.parametrize(
    "source, problem",
    [
        (UNSAFE_REMOVE, "RemoveField"),
        (CONTRACT_REMOVE, None),
        (UNSAFE_NOT_NULL, "NOT NULL without db_default"),
        (ADD_NULLABLE, None),
        (SAFE_DB_DEFAULT, None),
    ],
)
def test_expand_check_rejects_unsafe_new_migrations(migrations_package, source, problem):
    baseline = {line for line in _baseline() if not line.startswith("workflows.")} | {
        f"workflows.{path.stem}" for path in Path(workflows.migrations.__file__).parent.glob("0*.py")
    }
    migrations_package({f"{NEXT}_change.py": source})
    problems = new_migrations_problems(baseline=baseline)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problems[0].startswith(f"workflows.{NEXT}_change:") and problem in problems[0]


def _baseline():
    from provisioning.migration_safety import baseline_read

    return baseline_read()


def test_the_repositorys_migrations_pass_the_expand_check():
    assert new_migrations_problems() == []
