"""The drift report names the schools whose schema differs from their template, and only those."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

from compliance.models import JobRun
from provisioning.schema_drift import DRIFT_JOB, Status, schools_drift_report
from provisioning.tasks import schools_drift_task
from tenants.models import School

# The schools are provisioned in the test's own transaction, so a table that received rows then holds
# deferred foreign-key checks and cannot be altered. On one server SET CONSTRAINTS fires them; on a Citus
# cluster they wait on the school's worker, out of its reach. The drift is therefore made on a table that
# provisioning leaves empty (every table is compared alike).
DRIFTED_TABLE = "wagtaildocs_document"


def _sql(*statements: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)


def _plain_index(schema: str, table: str) -> str:
    """An index of ``table`` that backs no constraint (dropping it leaves the constraints alone)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
               WHERE x.indrelid = %s::regclass
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
               ORDER BY 1 LIMIT 1""",
            [f'"{schema}"."{table}"'],
        )
        return cursor.fetchone()[0]


def _by_schema(report) -> dict:
    return {school.schema_name: school for school in report.schools}


@pytest.fixture
def three_schools(make_school):
    return [make_school(subdomain=f"drift-{number}").school for number in range(3)]


def test_a_drifted_school_is_named_with_exactly_its_differences_and_the_others_are_identical(three_schools):
    clean_one, drifted, clean_two = three_schools
    schema = drifted.schema_name
    index = _plain_index(schema, DRIFTED_TABLE)
    _sql(
        f'ALTER TABLE "{schema}".{DRIFTED_TABLE} ADD COLUMN drift_note text',
        f'DROP INDEX "{schema}"."{index}"',
        f"""ALTER TABLE "{schema}".{DRIFTED_TABLE} ALTER COLUMN title SET DEFAULT 'untitled'""",
        f"""DELETE FROM "{schema}".django_migrations WHERE id = (SELECT max(id) FROM "{schema}".django_migrations
            WHERE app = 'school_sections')""",
    )
    report = schools_drift_report()

    assert [school.schema_name for school in report.with_status(Status.DRIFTED)] == [schema]
    schools = _by_schema(report)
    assert schools[clean_one.schema_name].status == Status.IDENTICAL
    assert schools[clean_two.schema_name].status == Status.IDENTICAL
    assert schools[clean_one.schema_name].differences == []
    found = {(d.topic, d.kind, d.key) for d in schools[schema].differences}
    (unrecorded,) = [key for topic, _, key in found if topic == "migrations"]
    assert unrecorded.startswith("school_sections.")
    assert found == {
        ("columns", "extra", f"{DRIFTED_TABLE}.drift_note"),
        ("columns", "changed", f"{DRIFTED_TABLE}.title"),
        ("indexes", "missing", index),
        ("relations", "missing", index),
        ("migrations", "missing", unrecorded),
    }
    (default,) = [d for d in schools[schema].differences if d.kind == "changed"]
    assert "'untitled'" in default.actual and "'untitled'" not in default.expected
    (dropped,) = [d for d in schools[schema].differences if d.topic == "indexes"]
    assert dropped.expected.startswith("CREATE INDEX") and f"SCHEMA.{DRIFTED_TABLE}" in dropped.expected
    assert not report.clean
    assert "drifted" in report.summary()


def test_a_clean_fleet_is_clean_and_the_command_exits_zero(three_schools, capsys):
    report = schools_drift_report()
    mine = {school.schema_name for school in three_schools}
    assert {school.schema_name for school in report.with_status(Status.IDENTICAL)} >= mine
    assert report.with_status(Status.DRIFTED) == []

    call_command("schools_drift")  # no SystemExit: nothing to look at
    assert "0 drifted" in capsys.readouterr().out


def test_schemas_without_a_school_and_schools_without_a_schema_are_reported(three_schools):
    orphan = "zz_left_behind"
    _sql(f'CREATE SCHEMA "{orphan}"', f'CREATE TABLE "{orphan}".t (id int)')
    moved = three_schools[0]
    School.objects.filter(pk=moved.pk).update(schema_name="school_never_made")  # its schema is left unnamed

    report = schools_drift_report()

    assert orphan in report.orphan_schemas
    assert moved.schema_name in report.orphan_schemas
    assert [school.schema_name for school in report.with_status(Status.MISSING)] == ["school_never_made"]
    assert "public" not in report.orphan_schemas and "information_schema" not in report.orphan_schemas
    assert not report.clean


def test_a_school_behind_is_compared_with_its_versions_template_when_kept(three_schools):
    gone, unrecorded, current = three_schools
    School.objects.filter(pk=gone.pk).update(schema_version="0" * 64)  # no template of this version is kept
    School.objects.filter(pk=unrecorded.pk).update(schema_version="")  # provisioned before versions were kept

    report = schools_drift_report()

    schools = _by_schema(report)
    assert (schools[gone.schema_name].status, schools[gone.schema_name].compared_with) == (Status.BEHIND, None)
    assert [school.schema_name for school in report.uncompared] == [gone.schema_name]
    # No version recorded: compared with the code's template, which it matches.
    assert schools[unrecorded.schema_name].status == Status.BEHIND
    assert schools[unrecorded.schema_name].compared_with == report.code_version
    assert schools[current.schema_name].status == Status.IDENTICAL
    assert report.clean  # behind is for the fleet migration, not a failure


def test_the_command_lists_drift_exits_one_and_speaks_json(three_schools, capsys):
    schema = three_schools[1].schema_name
    _sql(f'ALTER TABLE "{schema}".{DRIFTED_TABLE} ADD COLUMN stray integer DEFAULT 7')

    with pytest.raises(SystemExit) as exit_status:
        call_command("schools_drift")
    assert exit_status.value.code == 1
    out = capsys.readouterr().out
    assert f"{schema}: 1 difference\n" in out
    assert f"columns: extra {DRIFTED_TABLE}.stray (" in out

    with pytest.raises(SystemExit):
        call_command("schools_drift", "--json")
    data = json.loads(capsys.readouterr().out)
    (drifted,) = [school for school in data["schools"] if school["status"] == "drifted"]
    assert drifted["schema_name"] == schema
    assert drifted["differences"][0]["key"] == f"{DRIFTED_TABLE}.stray"
    assert data["clean"] is False


def test_the_daily_task_records_drift_as_a_failed_job_and_a_clean_fleet_as_done(three_schools):
    schema = three_schools[2].schema_name
    _sql(f'ALTER TABLE "{schema}".{DRIFTED_TABLE} ADD COLUMN stray integer')

    counts = schools_drift_task()

    assert counts["drifted"] == 1 and counts["identical"] >= 2
    run = JobRun.objects.get(job=DRIFT_JOB, school=None)
    assert run.status == JobRun.Status.FAILED
    assert f"Schools: {schema}" in run.error and "1 drifted" in run.error

    _sql(f'ALTER TABLE "{schema}".{DRIFTED_TABLE} DROP COLUMN stray')  # columns compare by live position
    assert schools_drift_task()["drifted"] == 0
    run.refresh_from_db()
    assert (run.status, run.error, run.failures) == (JobRun.Status.DONE, "", 0)
