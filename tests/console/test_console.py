"""The regional console: sign-in, the list of schools, the form that opens a school
(tests/console/test_school_opening.py follows the opening itself)."""

import pytest
from django.contrib.auth import get_user_model

from tenants.cluster import cluster_enabled
from tenants.models import School
from tests.factories import console_client, regional_staff, school_form_fields

CONSOLE = "edu.test"


@pytest.fixture
def office_client(db, client_for):
    return console_client(client_for, "office-console")


def test_console_requires_regional_staff(db, client_for):
    anonymous = client_for(CONSOLE).get("/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")

    not_staff = get_user_model().objects.create_user("teacher", password="irrelevant")
    client = client_for(CONSOLE)
    client.force_login(not_staff)
    assert client.get("/schools/new/").status_code == 403


def test_sign_in_with_password(db, client_for):
    regional_staff("office", role="inspector", password="Regional-pass-1")
    client = client_for(CONSOLE)
    response = client.post("/login/", {"username": "office", "password": "Regional-pass-1"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_school_list_links_to_each_site_and_editor(office_client, school, other_school):
    body = office_client.get("/").content.decode()
    assert 'href="http://alpha.edu.test/"' in body
    assert 'href="http://alpha.edu.test/admin/"' in body
    assert 'href="http://beta.edu.test/admin/"' in body


def test_school_list_search_by_name_or_bin(office_client, school, other_school):
    body = office_client.get("/", {"q": other_school.school.bin}).content.decode()
    assert "beta.edu.test" in body
    assert "alpha.edu.test" not in body


def test_school_list_query_count_does_not_grow_with_schools(
    office_client, school, make_school, django_assert_max_num_queries
):
    office_client.get("/")
    # On a Citus cluster the list also shows each school's node: one more query for the whole page.
    with django_assert_max_num_queries(8 + cluster_enabled()) as few:
        office_client.get("/")
    for _ in range(3):
        make_school()
    with django_assert_max_num_queries(len(few.captured_queries)):
        office_client.get("/")


def test_bad_input_is_shown_next_to_each_field_and_nothing_is_created(office_client, school):
    response = office_client.post(
        "/schools/new/", school_form_fields(bin="123", subdomain="alpha", head_email="nope", name_ru="")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"bin", "subdomain", "head_email", "name_ru"}
    assert "already taken" in form.errors["subdomain"][0]
    # What was typed is kept, so nothing has to be entered again.
    assert 'value="Жаңа мектеп"' in response.content.decode()
    assert not School.objects.filter(name_kk="Жаңа мектеп").exists()


def test_signed_in_non_staff_user_is_refused_not_looped(db, client_for):
    teacher = get_user_model().objects.create_user("teacher2", password="irrelevant")
    client = client_for(CONSOLE)
    client.force_login(teacher)
    assert client.get("/").status_code == 403
    assert client.get("/login/", follow=True).status_code == 403  # no redirect loop


def test_the_office_adds_a_screening_rule_for_every_school(office_client):
    from workflows.models import RegionalScreeningRule

    bad = office_client.post("/screening-rules/", {"clause": "3.3.5", "language": "ru", "text": "re:(oops"})
    assert "This regular expression is not valid" in bad.content.decode()
    assert not RegionalScreeningRule.objects.exists()
    good = office_client.post(
        "/screening-rules/", {"clause": "3.3.5", "language": "ru", "text": "курсы вождения", "reason": "Complaints"}
    )
    assert good.status_code == 302
    rule = RegionalScreeningRule.objects.get()
    assert (rule.created_by, rule.active) == ("office-console", True)
    office_client.post(f"/screening-rules/{rule.pk}/toggle/")
    rule.refresh_from_db()
    assert not rule.active


def _scan(provisioned, days=0):
    import datetime

    from django.utils import timezone
    from django_tenants.utils import schema_context

    from compliance.services import school_scan

    with schema_context(provisioned.school.schema_name):
        school_scan(now=timezone.now() + datetime.timedelta(days=days))


def test_2_2_6_the_overview_shows_each_schools_compliance_and_filters_it(office_client, school, other_school):
    _scan(school)  # fresh but incomplete: the provisioned sections have no content yet
    _scan(other_school, days=400)  # every section stale
    body = office_client.get("/", {"sort": "name"}).content.decode()
    assert "0%" in body and "not scanned yet" not in body.split("alpha.edu.test")[0][-2000:]
    stale_only = office_client.get("/", {"stale": "on"}).content.decode()
    assert "beta.edu.test" in stale_only and "alpha.edu.test" not in stale_only
    bad = office_client.get("/", {"score_min": "80", "score_max": "20"}).content.decode()
    assert "The upper bound is below the lower one." in bad


def test_the_overview_exports_as_csv_and_xlsx(office_client, school, other_school):
    import io

    from openpyxl import load_workbook

    _scan(school)
    csv_text = office_client.get("/", {"export": "csv", "sort": "name"}).content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("School,BIN,District,Status,Score (%)")
    assert any(school.school.bin in line for line in lines[1:])
    xlsx = office_client.get("/", {"export": "xlsx", "q": other_school.school.bin})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "School" and len(rows) == 2 and rows[1][1] == other_school.school.bin
    assert rows[0][-1] == "Site health problems" and rows[1][-1] in ("", None)  # not checked yet


def test_5_6_the_overview_export_counts_each_schools_site_health_problems(office_client, school):
    from django.utils import timezone

    from compliance.models import SiteHealthSummary

    SiteHealthSummary.objects.create(
        school=school.school, checked_at=timezone.now(), broken_links=2, missing_files=1, images_without_alt=1
    )
    csv_text = office_client.get("/", {"export": "csv", "q": school.school.bin}).content.decode("utf-8-sig")
    heading, row = csv_text.splitlines()[:2]
    assert heading.endswith(",Site health problems") and row.endswith(",4")


def test_the_overview_names_the_administrator_and_whether_they_signed_in(office_client, school):
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from django_tenants.utils import schema_context

    _scan(school)
    body = office_client.get("/", {"q": school.school.bin}).content.decode()
    assert "never signed in" in body
    with schema_context(school.school.schema_name):
        get_user_model().objects.filter(groups__name="Site administrator").update(last_login=timezone.now())
    _scan(school)
    body = office_client.get("/", {"q": school.school.bin}).content.decode()
    assert "signed in " in body and "never signed in" not in body
    csv_text = office_client.get("/", {"export": "csv", "q": school.school.bin}).content.decode("utf-8-sig")
    assert "Site administrator" in csv_text.splitlines()[0]
