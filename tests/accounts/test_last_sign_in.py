"""The console shows a site administrator's sign-in at once (issue 17, point 3), not after the next daily scan."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.services import sign_in_record
from compliance.models import SchoolSummary
from compliance.services import school_scan
from tests.factories import console_client

PASSWORD = "Pass-word-2026"


def _editor_sign_in(client, school, user):
    with schema_context(school.schema_name):
        user.set_password(PASSWORD)
        user.save()
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302  # on to the second factor or the editor: signed in either way


def test_an_administrator_signing_in_to_the_editor_shows_in_the_console_at_once(school_site, people, client_for):
    school_scan(now=timezone.now())  # the daily scan: nobody has signed in yet
    connection.set_schema_to_public()
    office = console_client(client_for, "office-last-sign-in")
    overview = office.get("/", {"q": school_site.school.bin}).content.decode()
    assert "never signed in" in overview

    before = timezone.now()
    _editor_sign_in(client_for(school_site.hostname), school_site.school, people["administrator"])
    connection.set_schema_to_public()
    signed_in = SchoolSummary.objects.get(school=school_site.school).administrator_last_login
    assert signed_in is not None and before <= signed_in <= timezone.now()
    overview = office.get("/", {"q": school_site.school.bin}).content.decode()
    assert "never signed in" not in overview and "signed in " in overview


def test_a_teacher_signing_in_is_not_the_administrators_sign_in(school_site, people, client_for):
    school_scan(now=timezone.now())
    _editor_sign_in(client_for(school_site.hostname), school_site.school, people["teacher"])
    connection.set_schema_to_public()
    assert SchoolSummary.objects.get(school=school_site.school).administrator_last_login is None


def test_the_sign_in_costs_one_query_in_the_public_schema_and_never_goes_back_in_time(school_site, people):
    school_scan(now=timezone.now())
    administrator = people["administrator"]
    moment = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        sign_in_record(user=administrator, at=moment)
    summary_queries = [query["sql"] for query in queries if "compliance_schoolsummary" in query["sql"]]
    assert len(summary_queries) == 1 and summary_queries[0].startswith("UPDATE")
    assert len(queries) <= 3  # the school (outside a request), the administrator's role, the UPDATE
    sign_in_record(user=administrator, at=moment - datetime.timedelta(hours=1))  # a late, older one
    assert SchoolSummary.objects.get(school=school_site.school).administrator_last_login == moment


def test_regional_staff_signing_in_to_the_console_touch_no_school(db, client_for, school):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("office-plain", password=PASSWORD, is_staff=True)
    with CaptureQueriesContext(connection) as queries:
        response = client_for("edu.test").post("/login/", {"username": "office-plain", "password": PASSWORD})
    assert response.status_code == 302
    assert not any("compliance_schoolsummary" in query["sql"] for query in queries)
