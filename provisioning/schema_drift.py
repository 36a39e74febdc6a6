"""Which schools' schemas are no longer what their template built: the daily drift report.

Every school is built by replaying the template of its schema version (``schema_template``), so every
school of one version must hold the same structure. A hand-run ``ALTER TABLE``, an index dropped while
debugging, a fleet migration that stopped half way: the report finds them, with the differences.

Reading each school's catalog in turn costs ten catalog queries a school, each slower as the catalog grows
(431 relations a school). Instead each topic of ``schema_catalog.FLEET_STRUCTURE_QUERIES`` is read once
for every school schema together and digested per schema; the template of each version in use is replayed
into a scratch schema, in a transaction that is rolled back, and digested the same way. Only schools whose
digests differ from their template's are read row by row, to name the differences.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

from compliance.jobs import job_run
from provisioning.fleet_versions import schemas_with_migrations_table
from provisioning.schema_catalog import catalog_digests, catalog_rows
from provisioning.schema_template import (
    _replay,
    schema_template_current,
    schema_template_of_version,
    tenant_migration_names,
    tenant_schema_version,
)
from tenants.models import School

logger = logging.getLogger(__name__)

# The replayed templates live only inside the report's transaction, which is rolled back.
REFERENCE_SCHEMA = "zz_school_drift_reference_{}"
# Schools read row by row in one round of queries: bounds the rows held in memory at once.
_DETAIL_BATCH = 50
# Schemas whose django_migrations are read by one statement (each holds a lock on the table it reads).
_MIGRATIONS_BATCH = 200
MIGRATIONS_TOPIC = "migrations"
# The regional job (compliance.models.JobRun) the daily check is recorded as.
DRIFT_JOB = "schema-drift"


class Status:
    IDENTICAL = "identical"  # on the code's schema version, and the same as its template
    BEHIND = "behind"  # on another version (or none recorded); the same as that version's template, if kept
    DRIFTED = "drifted"  # differs from the template it was compared with
    MISSING = "missing"  # a School row whose schema does not exist


_TO_LOOK_AT = (Status.DRIFTED, Status.MISSING)


@dataclass(frozen=True)
class CatalogDifference:
    """One object that differs: ``missing`` from the school, ``extra`` in it, or ``changed``."""

    topic: str
    kind: str
    key: str
    expected: str = ""  # the template's definition
    actual: str = ""  # the school's

    def __str__(self) -> str:
        if self.kind == "changed":
            return f"{self.topic}: changed {self.key}: {self.expected} -> {self.actual}"
        return f"{self.topic}: {self.kind} {self.key} ({self.expected or self.actual})"


@dataclass
class SchoolDrift:
    school_id: int
    schema_name: str
    schema_version: str
    status: str
    behind: bool = False  # not on the code's schema version (or on none recorded)
    compared_with: str | None = None  # the schema version whose template it was compared with; None: none kept
    differences: list[CatalogDifference] = field(default_factory=list)


@dataclass
class DriftReport:
    """What ``schools_drift_report`` found; ``schools`` holds every school, in schema order."""

    code_version: str
    schools: list[SchoolDrift]
    orphan_schemas: list[str]  # schemas that no School row names
    seconds: float = 0.0
    # Where the time went: "fleet digests", "references" (replay and digests), "differences" (row by row).
    phases: dict[str, float] = field(default_factory=dict)

    def with_status(self, status: str) -> list[SchoolDrift]:
        return [school for school in self.schools if school.status == status]

    @property
    def clean(self) -> bool:
        """Nothing to look at: no drift, no school without its schema, no schema without its school."""
        return not (self.with_status(Status.DRIFTED) or self.with_status(Status.MISSING) or self.orphan_schemas)

    @property
    def uncompared(self) -> list[SchoolDrift]:
        """Schools on a version whose template is no longer kept: they were not compared."""
        return [school for school in self.schools if school.status == Status.BEHIND and not school.compared_with]

    def summary(self) -> str:
        counts = {status: len(self.with_status(status)) for status in (Status.IDENTICAL, Status.BEHIND)}
        return (
            f"{len(self.schools) - len(self.with_status(Status.MISSING))} schools checked in {self.seconds:.1f} s:"
            f" {counts[Status.IDENTICAL]} identical, {counts[Status.BEHIND]} behind"
            f" ({len(self.uncompared)} not compared: their version's template is gone),"
            f" {len(self.with_status(Status.DRIFTED))} drifted; {len(self.with_status(Status.MISSING))} without"
            f" a schema, {len(self.orphan_schemas)} schemas without a school"
        )


def schools_drift_report() -> DriftReport:
    """Compare every school's schema with the template of its schema version; the differences of each.

    Set-based: one catalog query per topic for the whole fleet, then row-by-row reads only for the
    schools whose digests differ (module docstring). Reads only, apart from the replayed templates, which
    are rolled back; a template missing for the code's own version is built first (minutes), as
    provisioning would. Run it outside a transaction on a fresh connection at fleet scale: it touches
    the catalog entries of every school, and the caller should close the connection afterwards.
    """
    started = time.monotonic()
    connection.set_schema_to_public()
    code_version = tenant_schema_version()
    rows = list(
        School.objects.exclude(schema_name=get_public_schema_name())
        .order_by("schema_name")
        .values_list("pk", "schema_name", "schema_version")
    )
    existing = _school_like_schemas()
    schools = [
        SchoolDrift(
            school_id=pk,
            schema_name=name,
            schema_version=version,
            status=Status.IDENTICAL if name in existing else Status.MISSING,
        )
        for pk, name, version in rows
    ]
    orphans = sorted(existing - {name for _, name, _ in rows})
    present = [school for school in schools if school.status != Status.MISSING]
    templates = _templates_by_version({school.schema_version or code_version for school in present}, code_version)

    # The fleet's digests first, outside the transaction that holds the replayed templates: the migration
    # tables they read are locked only while each statement runs.
    phases, mark = {}, time.monotonic()
    digests = catalog_digests([school.schema_name for school in present])
    _add_migration_digests(digests)
    phases["fleet digests"], mark = time.monotonic() - mark, time.monotonic()
    with transaction.atomic():
        references = {}
        for number, (version, template) in enumerate(sorted(templates.items())):
            references[version] = REFERENCE_SCHEMA.format(number)
            _replay(schema_name=references[version], sql=template.sql)
        reference_digests = catalog_digests(list(references.values()))
        _add_migration_digests(reference_digests)
        phases["references"], mark = time.monotonic() - mark, time.monotonic()
        differing = []
        for school in present:
            version = school.schema_version or code_version
            if school.schema_version != code_version:
                school.status, school.behind = Status.BEHIND, True
            if version not in references:
                continue
            school.compared_with = version
            expected = reference_digests[references[version]]
            topics = [topic for topic, digest in digests[school.schema_name].items() if expected[topic] != digest]
            if topics:
                school.status = Status.DRIFTED
                differing.append((school, references[version], topics))
        for start in range(0, len(differing), _DETAIL_BATCH):
            _differences_read(differing[start : start + _DETAIL_BATCH])
        phases["differences"] = time.monotonic() - mark
        transaction.set_rollback(True)
    connection.set_schema_to_public()
    report = DriftReport(code_version=code_version, schools=schools, orphan_schemas=orphans, phases=phases)
    report.seconds = time.monotonic() - started
    logger.info("Schema drift: %s", report.summary())
    return report


class SchemaDriftFound(Exception):
    """Raised inside the daily check's record, so that the job shows as failed and says which schools."""


def schools_drift_check() -> DriftReport:
    """The daily report, recorded as the regional job ``DRIFT_JOB``: failed, with the summary and the schools
    to look at, when anything drifted or a school and its schema have parted (the console's job list and
    ``/metrics`` show failed jobs); each drifted school is logged as a warning with its first differences."""
    try:
        with job_run(DRIFT_JOB):
            report = schools_drift_report()
            for school in report.with_status(Status.DRIFTED):
                first = "; ".join(str(difference) for difference in school.differences[:5])
                logger.warning("Schema drift in %s (%d): %s", school.schema_name, len(school.differences), first)
            if not report.clean:
                names = [school.schema_name for school in report.schools if school.status in _TO_LOOK_AT]
                raise SchemaDriftFound(f"{report.summary()}. Schools: {', '.join(names[:50])}")
    except SchemaDriftFound:
        pass  # recorded; a retry would find the same
    return report


def _school_like_schemas() -> set[str]:
    """Every schema but PostgreSQL's own, public, and those an extension made (citus, columnar)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT n.nspname FROM pg_namespace n
               WHERE n.nspname NOT LIKE 'pg\\_%%' AND n.nspname NOT IN ('information_schema', %s)
                 AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass
                                 AND d.objid = n.oid AND d.deptype = 'e')""",
            [get_public_schema_name()],
        )
        return {name for (name,) in cursor.fetchall()}


def _templates_by_version(versions: set[str], code_version: str) -> dict:
    templates = {version: schema_template_of_version(version) for version in versions}
    if code_version in templates and templates[code_version] is None:
        templates[code_version] = schema_template_current()
    return {version: template for version, template in templates.items() if template is not None}


def _quoted(schema: str) -> str:
    return '"' + schema.replace('"', '""') + '"'


def _migrations_query(schemas: list[str], *, digest: bool) -> tuple[str, list]:
    """One statement over the ``django_migrations`` of ``schemas``: the tenant migrations each records."""
    apps = sorted({app for app, _ in tenant_migration_names()})
    parts, params = [], []
    for schema in schemas:
        name = "app || '.' || name"
        selected = f"md5(string_agg({name}, E'\\n' ORDER BY {name} COLLATE \"C\"))" if digest else name
        parts.append(f"SELECT %s::text, {selected} FROM {_quoted(schema)}.django_migrations WHERE app = ANY(%s)")
        params += [schema, apps]
    return " UNION ALL ".join(parts), params


def _add_migration_digests(digests: dict[str, dict[str, str]]) -> None:
    """Add the ``migrations`` topic: which tenant migrations each schema records as applied."""
    with_table = schemas_with_migrations_table(digests)
    with connection.cursor() as cursor:
        for per_topic in digests.values():
            per_topic[MIGRATIONS_TOPIC] = ""
        for start in range(0, len(with_table), _MIGRATIONS_BATCH):
            cursor.execute(*_migrations_query(with_table[start : start + _MIGRATIONS_BATCH], digest=True))
            for schema, digest in cursor.fetchall():
                digests[schema][MIGRATIONS_TOPIC] = digest or ""


def _migration_rows(schemas: list[str]) -> dict[str, dict[str, tuple[str, str]]]:
    rows: dict[str, dict[str, tuple[str, str]]] = {schema: {} for schema in schemas}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)"
            " AND to_regclass(quote_ident(nspname) || '.django_migrations') IS NOT NULL",
            [schemas],
        )
        with_table = [name for (name,) in cursor.fetchall()]
        if with_table:
            cursor.execute(*_migrations_query(with_table, digest=False))
            for schema, migration in cursor.fetchall():
                rows[schema][migration] = ("applied", "applied")
    return rows


def _differences_read(batch: list) -> None:
    """Name the differences of each (school, reference schema, topics) in ``batch``: one query per topic."""
    schemas = sorted({school.schema_name for school, _, _ in batch} | {reference for _, reference, _ in batch})
    topics = sorted({topic for _, _, school_topics in batch for topic in school_topics})
    structure = [topic for topic in topics if topic != MIGRATIONS_TOPIC]
    rows = catalog_rows(schemas, structure)
    if MIGRATIONS_TOPIC in topics:
        for schema, migrations in _migration_rows(schemas).items():
            rows[schema][MIGRATIONS_TOPIC] = migrations
    for school, reference, school_topics in batch:
        for topic in school_topics:
            school.differences += _topic_differences(topic, rows[reference][topic], rows[school.schema_name][topic])


def _topic_differences(topic: str, expected: dict, actual: dict) -> list[CatalogDifference]:
    """What differs between two schemas' rows of a topic ({key: (definition, shown)})."""
    missing, extra = expected.keys() - actual.keys(), actual.keys() - expected.keys()
    differences = [CatalogDifference(topic, "missing", key, expected=expected[key][1]) for key in missing]
    differences += [CatalogDifference(topic, "extra", key, actual=actual[key][1]) for key in extra]
    for key in expected.keys() & actual.keys():
        (want, want_shown), (got, got_shown) = expected[key], actual[key]
        if want != got:
            # The text people read may not show what differs (a column number, an operator class).
            shown = (want_shown, got_shown) if want_shown != got_shown else (want, got)
            differences.append(CatalogDifference(topic, "changed", key, expected=shown[0], actual=shown[1]))
    return sorted(differences, key=lambda difference: (difference.topic, difference.key, difference.kind))
