"""Property-based tests of hostile input (issue 13, point 7), with hypothesis: whatever text arrives in a
public page's query parameters, in the console's "Add a school" form or in an uploaded CSV file, the
platform answers below 500, and input it refuses creates nothing.

The fixed lists of known-bad values live beside each area (tests/school_sections/test_hostile_input.py,
tests/console/test_console_hostile_input.py, tests/provisioning/test_import_hostile.py); these tests draw
new values every run from hypothesis's strategies, which favour the edges (empty, NUL and other control
characters, surrogates' neighbours, very long text, odd Unicode), and shrink any failure to its smallest form.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provisioning.models import SchoolOpening
from provisioning.school_csv import ImportFileError
from provisioning.school_import import COLUMNS, school_rows_check, school_rows_read
from tenants.models import School
from tests.factories import console_client, school_form_fields

# Fixtures are made once per test, not per example: every example here only reads, or is rolled back
# with the test's transaction, so sharing them between examples is what is meant.
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=False,
)
# Any Unicode text but lone surrogates (which no client can send as UTF-8), up to some thousands of characters.
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=3000)
PUBLIC_PARAMETERS = ["q", "page", "p", "lang", "tag", "year", "month", "next", "id"]


PUBLIC_PATHS = ["/", "/news/", "/events/", "/search/", "/i18n/low-vision/", "/feeds/news.rss", "/sitemap.xml"]


@pytest.fixture
def office(db, client_for):
    return console_client(client_for, "property-office")


@PROPERTY
@given(path=st.sampled_from(PUBLIC_PATHS), parameter=st.sampled_from(PUBLIC_PARAMETERS), value=ANY_TEXT)
def test_public_pages_answer_any_query_parameter_below_500(client_for, school, path, parameter, value):
    response = client_for(school.hostname).get(path, {parameter: value})
    assert response.status_code < 500, (path, parameter, value)


@PROPERTY
@given(fields=st.fixed_dictionaries(dict.fromkeys(school_form_fields(), ANY_TEXT)))
def test_the_open_a_school_form_refuses_or_queues_but_never_fails(office, fields):
    before = SchoolOpening.objects.count(), School.objects.count()
    response = office.post("/schools/new/", fields)
    assert response.status_code < 500, fields
    if response.status_code == 200:  # the form came back with its problems: nothing was queued or created
        assert (SchoolOpening.objects.count(), School.objects.count()) == before


# A CSV line: the real columns in some order, then lines of arbitrary values, commas, semicolons and quotes.
CELL = st.one_of(
    ANY_TEXT.map(lambda text: text[:200]), st.sampled_from(['"', '""', '"a,b"', ";", "\r", "\x00", "=1+1"])
)


@st.composite
def csv_files(draw) -> bytes:
    header = draw(st.permutations(list(COLUMNS)))
    delimiter = draw(st.sampled_from([",", ";"]))
    lines = [delimiter.join(header)]
    for _ in range(draw(st.integers(0, 6))):
        lines.append(delimiter.join(draw(st.lists(CELL, min_size=0, max_size=len(COLUMNS) + 2))))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


@PROPERTY
@given(content=st.one_of(csv_files(), st.binary(max_size=4000)))
def test_the_csv_reader_reads_or_refuses_any_file_with_a_message(db, content):
    schools = School.objects.count()
    try:
        rows = school_rows_read(content)
    except ImportFileError as refusal:
        assert str(refusal).strip()  # a refusal says why
        return
    school_rows_check(rows)  # reads the database, writes nothing
    for row in rows:
        assert row.outcome is None or row.problems or str(row.outcome) == "already there", row
    assert School.objects.count() == schools
