"""The ledger says what the per-school selectors say, and the region reads it in one query."""

import datetime

from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from compliance.freshness import school_freshness, update_period_days
from compliance.jobs import job_run
from compliance.models import LedgerEntry, RegionalUpdatePeriod
from compliance.selectors import stale_sections_across_region
from compliance.services import school_scan
from regulation import catalogue
from school_sections.selectors import school_completeness
from tests.factories import school_create


def test_the_ledger_matches_the_schools_own_selectors(make_school):
    provisioned = make_school(subdomain="ledger")
    with schema_context(provisioned.school.schema_name):
        now = timezone.now()
        school_scan(now=now)
        completeness = {state.section.code: state for state in school_completeness().sections}
        freshness = {state.code: state for state in school_freshness(now=now, opened_at=provisioned.school.created_at)}
    entries = {entry.section_code: entry for entry in LedgerEntry.objects.filter(school=provisioned.school)}
    assert set(entries) == set(freshness)
    for code, entry in entries.items():
        assert entry.complete == completeness[code].complete
        assert entry.missing_count == len(completeness[code].missing)
        assert entry.mandatory == catalogue.section(code).mandatory
        assert (entry.stale_since, entry.responsible_count) == (freshness[code].stale_since, 0)


def test_stale_sections_across_the_region_is_one_query_whatever_the_number_of_schools(
    school, other_school, django_assert_num_queries
):
    now = timezone.now()
    later = now + datetime.timedelta(days=400)  # every section's period has passed
    for provisioned in (school, other_school):
        with schema_context(provisioned.school.schema_name):
            school_scan(now=later)
    LedgerEntry.objects.exists()  # back in the public schema (its SET search_path is not the query's)
    with django_assert_num_queries(1):
        rows = list(stale_sections_across_region())
        names = {row["school__schema_name"] for row in rows}
    assert names == {school.school.schema_name, other_school.school.schema_name}
    extra = school_create(subdomain="ledger-extra")
    with schema_context(extra.school.schema_name):
        school_scan(now=later)
    LedgerEntry.objects.exists()
    with django_assert_num_queries(1):
        after = {row["school__schema_name"] for row in stale_sections_across_region()}
    assert after == names | {extra.school.schema_name}


def test_2_2_3_the_region_bounds_and_the_school_tightens_the_period():
    contacts = catalogue.section("3.1.1")
    assert update_period_days(contacts, None, None) == contacts.update_period_days
    assert update_period_days(contacts, 90, None) == 90
    assert update_period_days(contacts, 500, None) == contacts.update_period_days  # a school cannot loosen
    assert update_period_days(contacts, 90, 30) == 30


def test_the_region_bound_reaches_the_ledger(make_school):
    RegionalUpdatePeriod.objects.create(section_code="3.1.1", max_days=20)
    provisioned = make_school(subdomain="bounded")
    with schema_context(provisioned.school.schema_name):
        school_scan(now=timezone.now())
    assert LedgerEntry.objects.get(school=provisioned.school, section_code="3.1.1").period_days == 20


def test_jobs_status_shows_last_runs_and_failures(school, capsys):
    with job_run("scan", school.school):
        pass
    try:
        with job_run("weekly-digest", school.school):
            raise ConnectionError("database went away")
    except ConnectionError:
        pass
    call_command("jobs_status")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("weekly-digest") and "failed" in out[0] and "failures in a row: 1" in out[0]
    assert "database went away" in out[1]
    assert any(line.startswith("scan") and " done " in line for line in out)
