"""A database made by the previous main (a84b9bd) is migrated by this code with nothing lost.

The dump (tests/fixtures/README.md: what is in it, how it was made) is loaded into a fresh database
on the test run's server; this code's ``migrate_schemas`` runs on it as a deploy would; then the rows
read before are compared with the rows read after, every migration of the code must be recorded in
every schema, the old school's site must answer, and a new school must open beside it from a
provisioning template that migrate brought up to date.

Only management commands (as subprocesses), SQL and HTTP through Django's test client: the project's
own modules are not imported here, so the test does not depend on where they live.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

DUMP = Path(__file__).parent / "fixtures" / "old_database_a84b9bd.sql.gz"
BASE_DIR = Path(__file__).resolve().parent.parent
COMMAND_TIMEOUT_SECONDS = 300

# What the dump holds (tests/fixtures/README.md).
OLD_SCHEMA = "school_school_1"
OLD_HOST = "school-1.edu.test"
OLD_NAME = "№1 жалпы білім беретін мектеп"
ANNOUNCEMENT = "Жаңа оқу жылы 1 қыркүйекте басталады."
NEWS_TITLE = "Білім күні"
# A school to open in the migrated database (a valid BIN, from examples/schools.csv).
NEW_SUBDOMAIN = "school-2"
NEW_SCHEMA = "school_school_2"
NEW_HOST = "school-2.edu.test"
NEW_NAME = "Абай атындағы №2 гимназия"
NEW_BIN = "020240002026"

# Rows that must survive the migration, read with SQL before and after. Only columns that a84b9bd
# had, so a later migration that adds a column does not count as a change; "{school}" is the old
# school's schema.
FACTS = {
    "schools": """
        SELECT schema_name, name_kk, name_ru, name_en, short_name, bin, region, district, address, status,
               default_language, created_at
        FROM public.tenants_school ORDER BY schema_name""",
    "domains": """
        SELECT d.domain, d.is_primary, s.schema_name
        FROM public.tenants_domain d JOIN public.tenants_school s ON s.id = d.tenant_id ORDER BY d.domain""",
    "regional_staff": """
        SELECT u.username, u.email, u.is_staff, u.is_active, u.password,
               array_remove(array_agg(g.name ORDER BY g.name), NULL)
        FROM public.auth_user u
        LEFT JOIN public.auth_user_groups ug ON ug.user_id = u.id
        LEFT JOIN public.auth_group g ON g.id = ug.group_id
        GROUP BY u.id ORDER BY u.username""",
    "ledger": """
        SELECT s.schema_name, l.section_code, l.mandatory, l.complete, l.missing_count, l.last_updated,
               l.stale_since, l.period_days, l.responsible_count, l.pending_reviews, l.findings_waiting,
               l.page_id, l.scanned_at
        FROM public.compliance_ledgerentry l JOIN public.tenants_school s ON s.id = l.school_id
        ORDER BY 1, 2""",
    "school_summaries": """
        SELECT s.schema_name, m.administrators, m.administrator_last_login, m.scanned_at, m.licence_expired
        FROM public.compliance_schoolsummary m JOIN public.tenants_school s ON s.id = m.school_id ORDER BY 1""",
    "compliance_snapshots": """
        SELECT date, district, schools, average_score, complete_schools, stale_schools, expired_licences
        FROM public.compliance_compliancesnapshot ORDER BY date, district""",
    "regional_actions": """
        SELECT a.actor, a.action, a.reason, a.data::text, s.schema_name, a.at
        FROM public.tenants_regionalaction a LEFT JOIN public.tenants_school s ON s.id = a.school_id
        ORDER BY a.id""",
    "announcements": """
        SELECT text_kk, text_ru, text_en, districts::text, starts_at, ends_at, created_by
        FROM public.tenants_announcement ORDER BY id""",
    "pages": """
        SELECT ct.app_label, ct.model, p.title, p.slug, p.url_path, p.live, p.has_unpublished_changes, o.username
        FROM {school}.wagtailcore_page p
        JOIN {school}.django_content_type ct ON ct.id = p.content_type_id
        LEFT JOIN {school}.auth_user o ON o.id = p.owner_id
        ORDER BY p.path""",
    "news": """
        SELECT p.title, n.title_kk, n.intro_kk, n.intro_ru, n.body_kk::text, n.date
        FROM {school}.school_sections_newspage n JOIN {school}.wagtailcore_page p ON p.id = n.page_ptr_id
        ORDER BY p.path""",
    "contacts": """
        SELECT legal_address_kk, phones::text, emails::text, latitude, longitude
        FROM {school}.school_sections_contactspage""",
    "site": """
        SELECT s.hostname, s.port, s.site_name, s.is_default_site, p.title
        FROM {school}.wagtailcore_site s JOIN {school}.wagtailcore_page p ON p.id = s.root_page_id""",
    "school_people": """
        SELECT u.username, u.email, u.first_name, u.is_active, u.password,
               array_remove(array_agg(g.name ORDER BY g.name), NULL)
        FROM {school}.auth_user u
        LEFT JOIN {school}.auth_user_groups ug ON ug.user_id = u.id
        LEFT JOIN {school}.auth_group g ON g.id = ug.group_id
        GROUP BY u.id ORDER BY u.username""",
    "responsible_people": """
        SELECT p.title, u.username, b.username, r.assigned_at
        FROM {school}.workflows_sectionresponsibility r
        JOIN {school}.wagtailcore_page p ON p.id = r.section_id
        JOIN {school}.auth_user u ON u.id = r.person_id
        LEFT JOIN {school}.auth_user b ON b.id = r.assigned_by_id
        ORDER BY p.path, u.username""",
    "revisions": """
        SELECT p.title, count(*) FROM {school}.wagtailcore_revision r
        JOIN {school}.wagtailcore_page p ON p.id::text = r.object_id GROUP BY p.path, p.title ORDER BY p.path""",
    "documents": """
        SELECT title, file, file_size, file_hash FROM {school}.wagtaildocs_document ORDER BY id""",
    "archived": """
        SELECT title, reason, archived_at FROM {school}.workflows_archival ORDER BY id""",
    "screening_reports": """
        SELECT p.title, r.findings::text, r.screened_at FROM {school}.workflows_screeningreport r
        JOIN {school}.wagtailcore_page p ON p.id = r.page_id ORDER BY r.id""",
    "workflow_states": """
        SELECT p.title, w.status, u.username FROM {school}.wagtailcore_workflowstate w
        JOIN {school}.wagtailcore_page p ON p.id::text = w.object_id
        JOIN {school}.auth_user u ON u.id = w.requested_by_id ORDER BY w.id""",
}

# psql meta-commands that pg_dump 15.14+ writes around the dump (a random key against injected
# meta-commands); psycopg2 cannot run them and they hold no data.
_RESTRICT_LINE = re.compile(r"^\\(un)?restrict [A-Za-z0-9]+$")
_TEMPLATE_LINE = re.compile(r"^Provisioning template: schema template ([0-9a-f]{12}) \((\d+) statements\)$", re.M)
_PLAN_LINE = re.compile(r"^\[([ X])\]\s+(\S+)\.(\S+)$")


def _dump_sql() -> str:
    """The dump's SQL, made runnable by psycopg2 without psql.

    The dump was made with ``pg_dump --inserts`` rather than COPY: every statement is plain SQL that
    one ``cursor.execute`` runs (no ``COPY ... FROM stdin`` data blocks to feed through
    ``copy_expert``), and no ``psql`` binary is needed, which the embedded PostgreSQL does not have.
    Anything else psql-only would be a dump made another way: refuse it rather than half-load it.
    """
    lines = [
        line for line in gzip.decompress(DUMP.read_bytes()).decode().split("\n") if not _RESTRICT_LINE.match(line)
    ]
    unsupported = [line for line in lines if line.startswith("\\") or re.match(r"^COPY .* FROM stdin;$", line)]
    assert not unsupported, f"{DUMP.name} needs psql: remake it with pg_dump --inserts ({unsupported[0][:80]})"
    return "\n".join(lines)


def _server() -> dict:
    """psycopg2 arguments for the test run's PostgreSQL server."""
    config = connection.settings_dict
    arguments = {"host": config["HOST"], "port": config["PORT"], "user": config["USER"]}
    if config["PASSWORD"]:
        arguments["password"] = config["PASSWORD"]
    return {name: value for name, value in arguments.items() if value}


def _database_url(name: str) -> str:
    """The same server as the test run's, database ``name`` (a socket directory's path is %-encoded)."""
    config = connection.settings_dict
    credentials = quote(config["USER"] or "", safe="")
    if config["PASSWORD"]:
        credentials += ":" + quote(config["PASSWORD"], safe="")
    host = quote(config["HOST"] or "localhost", safe="")
    return f"postgres://{credentials}@{host}:{config['PORT'] or 5432}/{name}"


@contextmanager
def _cursor(dbname: str):
    """A cursor on ``dbname`` in one transaction (committed if the block succeeds); the connection is closed after."""
    conn = psycopg2.connect(dbname=dbname, **_server())
    try:
        with conn, conn.cursor() as cursor:
            yield cursor
    finally:
        conn.close()


def _rows(dbname: str, sql: str, *params) -> list[tuple]:
    with _cursor(dbname) as cursor:
        cursor.execute(sql, params or None)
        return cursor.fetchall()


def _facts(dbname: str) -> dict[str, list[tuple]]:
    facts = {}
    with _cursor(dbname) as cursor:
        for name, sql in FACTS.items():
            cursor.execute(sql.format(school=OLD_SCHEMA))
            facts[name] = cursor.fetchall()
    return facts


def _recorded_migrations(dbname: str, schema: str) -> set[tuple[str, str]]:
    return set(_rows(dbname, f'SELECT app, name FROM "{schema}".django_migrations'))


def _definition(value, schema: str) -> str:
    """A catalog value without the schema's name, casts or parentheses.

    A restored dump re-creates indexes from their deparsed text, and PostgreSQL then shows a predicate
    written ``status IN ('a', 'b')`` as ``ANY (ARRAY[('a'::character varying)::text, ...])`` where
    the migration's own index shows ``ANY ((ARRAY['a'::character varying, ...])::text[])``: the same
    index. Names, columns and values are kept.
    """
    text = str(value).replace(f"{schema}.", "<schema>.")
    return re.sub(r"[()]", "", re.sub(r"::[a-z ]+(\[\])?", "", text))


def _catalog(dbname: str, schema: str) -> dict[str, set[tuple]]:
    """A schema's tables, columns, constraints and indexes, with the schema's own name taken out."""
    queries = {
        "columns": """
            SELECT table_name, column_name, data_type, is_nullable, is_identity, character_maximum_length
            FROM information_schema.columns c WHERE table_schema = %s
            -- not the views of an extension installed there (Citus' citus_tables, … on a cluster)
            AND NOT EXISTS (
                SELECT 1 FROM pg_depend d
                WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e'
                AND d.objid = format('%%I.%%I', c.table_schema, c.table_name)::regclass)""",
        "constraints": """
            SELECT rel.relname, con.conname, con.contype, pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
            JOIN pg_namespace ns ON ns.oid = rel.relnamespace
            WHERE ns.nspname = %s AND con.contype IN ('p', 'u', 'f', 'c', 'x')""",
        "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s",
    }
    return {
        name: {tuple(_definition(value, schema) for value in row) for row in _rows(dbname, sql, schema)}
        for name, sql in queries.items()
    }


@pytest.fixture
def old_database(django_db_setup):
    """A new database on the test run's server holding the dump; dropped afterwards, whatever happened."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"old_main_a84b9bd_{worker}_{uuid.uuid4().hex[:10]}"
    maintenance = connection.settings_dict["NAME"]  # the worker's test database: it exists
    admin = psycopg2.connect(dbname=maintenance, **_server())
    admin.autocommit = True  # CREATE / DROP DATABASE cannot run in a transaction
    try:
        with admin.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        try:
            with _cursor(name) as cursor:
                # pg_dump -n public writes CREATE SCHEMA public: the dump brings its own.
                cursor.execute("DROP SCHEMA public CASCADE")
                cursor.execute(_dump_sql())
            yield name
        finally:
            with admin.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    [name],
                )
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        admin.close()


def _manage(database: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """``manage.py`` with the test run's environment and settings, on ``database``."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(database),
        "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
        # The test settings make a media folder in the temporary directory: keep it in one that is cleaned.
        "TMPDIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )


def _output(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-6000:]}"


# Renders pages through Django's test client inside the migrated database (run by `manage.py shell -c`).
_RENDER = """
import json
from django.test import Client
pages = {}
for host, path in json.loads(REQUESTS):
    response = Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="kk").get(path)
    pages[host + path] = [response.status_code, response.content.decode(), response.get("Location", "")]
print("PAGES " + json.dumps(pages))
"""


def _render(database: str, tmp_path: Path, requests: list[tuple[str, str]]) -> dict[str, tuple[int, str, str]]:
    result = _manage(database, tmp_path, "shell", "-c", _RENDER.replace("REQUESTS", repr(json.dumps(requests))))
    assert result.returncode == 0, _output(result)
    line = next((line for line in result.stdout.splitlines() if line.startswith("PAGES ")), None)
    assert line is not None, _output(result)
    return {key: tuple(value) for key, value in json.loads(line.removeprefix("PAGES ")).items()}


def test_previous_main_database_migrates_without_loss(old_database, tmp_path):
    before = _facts(old_database)
    # The dump is what tests/fixtures/README.md says (else the comparison below proves nothing).
    assert [row[:2] for row in before["schools"]] == [(OLD_SCHEMA, OLD_NAME)]
    assert before["domains"] == [(OLD_HOST, True, OLD_SCHEMA)]
    assert len(before["ledger"]) == 10
    assert {row[0] for row in before["ledger"]} == {OLD_SCHEMA}
    assert [row[:2] for row in before["regional_actions"]] == [("office", "open"), ("office", "announce")]
    assert [row[0] for row in before["announcements"]] == [ANNOUNCEMENT]
    assert [row[0] for row in before["regional_staff"]] == ["inspector", "office"]
    assert len(before["pages"]) == 16
    page_types = {}
    for app_label, model, *_ in before["pages"]:
        page_types[f"{app_label}.{model}"] = page_types.get(f"{app_label}.{model}", 0) + 1
    assert page_types["school_sections.newspage"] == 3
    assert page_types["school_sections.schoolhomepage"] == 1
    assert len(before["school_people"]) == 3
    assert len(before["responsible_people"]) == 11
    assert [row[0] for row in before["news"]][:1] == [NEWS_TITLE]
    assert len(before["documents"]) == 6
    assert len(before["archived"]) == 1
    assert [row[1] for row in before["workflow_states"]] == ["in_progress"]
    old_template = _rows(old_database, "SELECT fingerprint, created_at FROM public.tenants_schematemplate")
    assert len(old_template) == 1

    migrated = _manage(old_database, tmp_path, "migrate_schemas", "--noinput")
    assert migrated.returncode == 0, _output(migrated)

    # Nothing lost or changed: every row read before is read again, with the same values.
    after = _facts(old_database)
    for name in FACTS:
        assert after[name] == before[name], f"{name} changed in the migration"

    # Every migration of the code is recorded in the public schema and in the school's.
    plan = _manage(old_database, tmp_path, "showmigrations", "--plan")
    assert plan.returncode == 0, _output(plan)
    plan_lines = [_PLAN_LINE.match(line.strip()) for line in plan.stdout.splitlines() if line.strip()]
    assert all(plan_lines), _output(plan)
    code_migrations = {(match[2], match[3]) for match in plan_lines}
    assert {app for app, _ in code_migrations} >= {
        *("tenants", "compliance", "school_sections", "workflows", "auth", "contenttypes", "sessions", "otp_totp"),
        *("wagtailcore", "wagtailadmin", "wagtaildocs", "wagtailimages", "wagtailsearch", "wagtailusers", "taggit"),
    }
    assert [match[0] for match in plan_lines if match[1] != "X"] == []  # public: all applied
    assert code_migrations - _recorded_migrations(old_database, "public") == set()
    # The school's schema records every tenant migration; a school whose tenant migrations are all applied is
    # left alone by the fleet migration, shared apps' migrations doing nothing there (docs/migrations.md).
    tenant_labels = {config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS}
    tenant_migrations = {key for key in code_migrations if key[0] in tenant_labels}
    assert tenant_migrations and tenant_migrations - _recorded_migrations(old_database, OLD_SCHEMA) == set()

    # migrate re-recorded the provisioning template for the new code, and said so.
    printed = _TEMPLATE_LINE.search(migrated.stdout)
    assert printed is not None, _output(migrated)
    # The old template stays beside it (older versions' templates are kept for fleet migrations; this one,
    # recorded before versions were, has none): the current one is the one with a version.
    template = _rows(
        old_database,
        "SELECT id, fingerprint, statement_count, created_at FROM public.tenants_schematemplate"
        " WHERE schema_version <> ''",
    )
    assert len(template) == 1
    template_id, fingerprint, statement_count, created_at = template[0]
    assert (fingerprint[:12], str(statement_count)) == printed.groups()
    assert fingerprint != old_template[0][0], "migrate kept the template a84b9bd recorded"
    assert created_at > old_template[0][1]

    # A new school opens beside the old one, from that template as it stands (no rebuild: it is current).
    provisioned = _manage(
        old_database,
        tmp_path,
        "provision_school",
        "--name-kk", NEW_NAME,
        "--name-ru", "Гимназия №2 имени Абая",
        "--name-en", "Abai Gymnasium No. 2",
        "--short-name", "Гимназия №2",
        "--bin", NEW_BIN,
        "--region", "Абай облысы",
        "--district", "Аягөз ауданы",
        "--address", "Аягөз қ., Бөкейхан көшесі, 5",
        "--subdomain", NEW_SUBDOMAIN,
        "--head-name", "Иванова Марина Петровна",
        "--head-email", "director@school-2.example.kz",
    )  # fmt: skip
    assert provisioned.returncode == 0, _output(provisioned)
    assert f"http://{NEW_HOST}/" in provisioned.stdout, _output(provisioned)
    current_templates = (
        "SELECT id, fingerprint, created_at FROM public.tenants_schematemplate WHERE schema_version <> ''"
    )
    assert _rows(old_database, current_templates) == [(template_id, fingerprint, created_at)]
    assert _rows(old_database, "SELECT schema_name, bin FROM public.tenants_school ORDER BY schema_name") == [
        (OLD_SCHEMA, "010140001012"),
        (NEW_SCHEMA, NEW_BIN),
    ]
    assert code_migrations - _recorded_migrations(old_database, NEW_SCHEMA) == set()
    assert _rows(old_database, f"SELECT title FROM {NEW_SCHEMA}.wagtailcore_page WHERE depth = 2") == [(NEW_NAME,)]
    # The migrated school's schema has the same tables, columns, constraints and indexes as one built
    # from the code's migrations today (the template).
    old_catalog, new_catalog = _catalog(old_database, OLD_SCHEMA), _catalog(old_database, NEW_SCHEMA)
    assert len(old_catalog["columns"]) > 300
    for part in ("columns", "constraints", "indexes"):
        assert sorted(old_catalog[part] - new_catalog[part]) == [], f"{part} only in the migrated school"
        assert sorted(new_catalog[part] - old_catalog[part]) == [], f"{part} only in the new school"
    # The same for the public schema: as the test run's own, migrated from empty by this code.
    old_public, fresh_public = _catalog(old_database, "public"), _catalog(connection.settings_dict["NAME"], "public")
    for part in ("columns", "constraints", "indexes"):
        assert sorted(old_public[part] ^ fresh_public[part]) == [], f"public {part} differ from a fresh migrate"

    # Both schools' sites answer; the old one with its content and the region's announcement.
    news_path = next(row[4] for row in before["pages"] if row[2] == NEWS_TITLE)
    home_path = next(row[4] for row in before["pages"] if row[1] == "schoolhomepage")
    news_url = "/" + news_path.removeprefix(home_path)
    pages = _render(old_database, tmp_path, [(OLD_HOST, "/"), (OLD_HOST, news_url), (NEW_HOST, "/")])
    status, html, _ = pages[f"{OLD_HOST}/"]
    assert status == 200
    assert OLD_NAME in html
    assert ANNOUNCEMENT in html, f"the region's announcement is shown until {before['announcements'][0][5]}"
    status, html, _ = pages[f"{OLD_HOST}{news_url}"]
    assert status == 200
    assert NEWS_TITLE in html
    status, html, _ = pages[f"{NEW_HOST}/"]
    assert status == 200
    assert NEW_NAME in html
    assert OLD_NAME not in html
