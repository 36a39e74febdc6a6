"""Hostile input to the console's forms and parameters (issue 13): no server error, and a refused input
creates nothing.

A deterministic companion of tests/test_property_hostile_input.py (hypothesis): the inputs are a
fixed list of hostile values (NUL bytes, bad numbers, huge ids, odd digits, impossible dates, overlong text,
formulas, markup) plus strings drawn from a seeded generator: the same run every time, and any failure
names the exact request that failed.
"""

import random

import pytest
from django.contrib.auth import get_user_model

from provisioning.models import SchoolOpening
from tenants.models import Announcement, RegionalAction, School
from tests.factories import console_client, valid_bin
from workflows.models import RegionalScreeningRule

HOSTILE = [
    "", " ", "abc", "\x00", "a\x00b", "%00", "-1", "0", "1.5", "1e309", "nan", "inf", "-inf",
    "99999999999999999999999", "9223372036854775808", "²", "١٢٣", "𝟙", "0x10", " 7 ", "'", '"', "\\",
    "<script>alert(1)</script>", "=1+1", "@SUM(A1)", "../../etc/passwd", "//evil.test", "abc", "\r\nSet-Cookie: x=1",
    "x" * 5000, "0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T10:00", "10000-01-01T00:00", "00:00",
    "\u202e", "𝕏", "true", "[]", "{}", "%(x)s", "{0}",
]  # fmt: skip


def _random_strings(count: int) -> list[str]:
    generator = random.Random(13)  # noqa: S311  (seeded: the same values every run)
    alphabet = "aZ09 -_=+@.,;:/\\'\"<>\x00\x01\t\r\nйқ€𝕏\u202e\ufffd"
    return ["".join(generator.choice(alphabet) for _ in range(generator.randint(0, 40))) for _ in range(count)]


VALUES = HOSTILE + _random_strings(8)
# The values that broke something once (a NUL byte, an overlong text, an impossible date, an id out of range,
# a digit Python reads but PostgreSQL does not): every field gets each of them alone.
CORE = ["\x00", "x" * 5000, "0001-01-01T00:00", "99999999999999999999999", "²", "abc"]


def _some(offset: int, count: int = 12) -> list[str]:
    """``count`` values of VALUES, a different slice for each ``offset``: together they cover every value while
    the test stays within its time (a request takes 0.1-0.3 s on a busy machine)."""
    return [VALUES[(offset * count + index) % len(VALUES)] for index in range(count)]


def _counts() -> dict:
    return {
        "openings": SchoolOpening.objects.count(),
        "announcements": Announcement.objects.count(),
        "rules": RegionalScreeningRule.objects.count(),
        "staff": get_user_model().objects.filter(is_staff=True).count(),
        "schools": School.objects.count(),
    }


def _valid_school_fields() -> dict:
    return {
        "name_kk": "Мектеп", "name_ru": "Школа", "short_name": "Fuzz", "bin": valid_bin(9911), "region": "Abai",
        "district": "Semey", "address": "1 Abai st", "subdomain": "fuzz-school", "head_full_name": "Head Person",
        "head_email": "head@fuzz.kz",
    }  # fmt: skip


FORMS = {
    # url: (fields with a valid value each; each field in turn gets every hostile value)
    "/schools/new/": _valid_school_fields(),
    "/announcements/": {
        "text_kk": "Мәтін",
        "text_ru": "Текст",
        "text_en": "",
        "districts": "Semey",
        "starts_at": "2026-12-01T08:00",
        "ends_at": "2026-12-02T08:00",
    },
    "/screening-rules/": {"clause": "3.1", "language": "ru", "text": "запрещено", "reason": "Because"},
    "/staff/": {"full_name": "New Officer", "email": "officer@fuzz.kz", "role": "regional inspector"},
}

QUERIES = {
    "/": ["q", "district", "status", "score_min", "score_max", "sort", "page", "export", "stale"],
    "/audit/": ["action", "actor", "school", "page"],
    "/trends/": ["days", "district"],
    "/report/": ["district"],
    "/schools/new/": ["from"],
    "/schools/import/": ["page"],
    "/second-factor/": ["next"],
}


@pytest.fixture
def office(db, client_for):
    client = console_client(client_for, "office-fuzz")
    client.raise_request_exception = False  # a server error is an answer to count, not an exception here
    return client


def test_the_consoles_parameters_and_forms_answer_no_server_error_and_a_refusal_creates_nothing(office, school):
    """Issue 13: every console form and parameter, each hostile value in turn; 0 answers of 5xx."""
    server_errors = []
    created_on_refusal = []

    def check(method, url, data):
        before = _counts()
        response = getattr(office, method)(url, data)
        if response.status_code >= 500:
            server_errors.append((method, url, data))
        elif method == "post" and response.status_code != 302 and _counts() != before:
            created_on_refusal.append((url, data))

    for offset, (url, names) in enumerate(QUERIES.items()):
        for value in CORE + _some(offset):
            check("get", url, dict.fromkeys(names, value))  # every parameter at once: each is read alone
    for offset, (url, fields) in enumerate(FORMS.items()):
        for value in _some(offset):
            check("post", url, dict.fromkeys(fields, value))
        for name in fields:
            for value in CORE:
                check("post", url, {**fields, name: value})
    school_id = school.school.pk
    posts = [
        (f"/schools/{school_id}/archive/", lambda value: {"archival": value, "reason": "Duplicate"}),
        (f"/schools/{school_id}/archive/", lambda value: {"archival": "1", "reason": value}),
        (f"/schools/{school_id}/head/", lambda value: {"email": value, "full_name": value, "reason": value}),
        (f"/schools/{school_id}/head/", lambda value: {"email": "a@b.kz", "full_name": value, "reason": "R"}),
        (f"/schools/{school_id}/suspend/", lambda value: {"reason": value}),
        (f"/staff/{office.user.pk}/role/", lambda value: {"role": value}),
        (f"/staff/{office.user.pk}/deactivate/", lambda value: {"reason": value}),
        ("/update-periods/3.1.1/", lambda value: {"max_days": value}),
    ]
    for offset, (url, data) in enumerate(posts):
        for value in CORE + _some(offset, 6):
            check("post", url, data(value))
    for path in ("/schools/99999999999999999999999/", "/schools/import/99999999999999999999999/",
                 "/schools/opening/99999999999999999999999/", "/update-periods/%00/",
                 "/staff/99999999999999999999999/role/"):  # fmt: skip
        check("get", path, {})
        check("post", path, {})
    assert server_errors == []
    assert created_on_refusal == []


def test_a_non_numeric_archival_id_is_a_clear_refusal(office, school):
    """Before: POST archival=abc answered 500 (get_object_or_404 with a text id)."""
    before = RegionalAction.objects.count()
    response = office.post(f"/schools/{school.school.pk}/archive/", {"archival": "abc", "reason": "Duplicate"})
    assert response.status_code == 404
    assert RegionalAction.objects.count() == before


def test_an_impossible_announcement_date_is_a_form_error(office):
    fields = {**FORMS["/announcements/"], "starts_at": "0001-01-01T00:00"}
    response = office.post("/announcements/", fields)
    assert response.status_code == 200 and not Announcement.objects.exists()


def test_a_non_path_next_after_the_second_factor_goes_to_the_console(office):
    """Before: ``?next=abc`` answered 500 (Django's redirect took "abc" for a URL name)."""
    response = office.get("/second-factor/", {"next": "abc"})
    assert response.status_code == 302 and response["Location"] == "/"
