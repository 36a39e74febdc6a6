"""Hostile input on a school's public host answers 4xx or a safe redirect, never a server error (issue 13).

A deterministic fuzz (tests/test_property_hostile_input.py draws new values with hypothesis): every public
URL of a school host, each of the query parameters, form fields and path parts it reads, crossed with a generated
list of hostile values (NUL and other control bytes, overlong text, broken UTF-8, off-site and non-path
redirects, ids out of range, bad page numbers, markup). Every response must be below 500.
"""

from __future__ import annotations

import itertools
import time
import traceback

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from demo.content import demo_content_fill

# Values, as text; the client percent-encodes them (so "\x00" arrives as %00).
HOSTILE_VALUES = [
    "",
    "\x00",
    "a\x00b",
    "\r\nX-Injected: 1",
    "\t\x0b\x1b[31m\x7f",
    "x" * 5000,
    "й" * 3000,
    "😀\u202e\ufeff",
    "//evil.example/",
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "abc",
    "-1",
    "1e309",
    "99999999999999999999999999",
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR '1'='1",
]
# Raw query strings the client would not make from text: broken UTF-8 and broken percent-encoding.
RAW_QUERY_STRINGS = ["%ff%fe", "%", "%zz", "%c0%ae%c0%ae/", "a=%00&a=%00&a=%ff", "&&&==", "%u0000"]

PAGE_PARAMETERS = ["lang", "page", "p", "q", "tag", "year", "month", "next", "id"]


@pytest.fixture
def fuzz_site(make_school):
    """A school with the demo's content, a password-restricted news item and a document."""
    from wagtail.documents.models import Document

    from school_sections.models import EventPage, NewsPage

    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        demo_content_fill()
        news = NewsPage.objects.live().first()
        event = EventPage.objects.live().first()
        restriction = PageViewRestriction.objects.create(
            page=news, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
        document = Document.objects.first()
        return {
            "hostname": provisioned.hostname,
            "pages": ["/", "/news/", news.url, event.url],
            "restriction": f"/_util/authenticate_with_password/{restriction.pk}/{news.pk}/",
            "document": f"/files/{document.pk}/{document.filename}" if document else None,
        }


def _requests(site):
    """Every (method, path, data or raw query string, headers) the fuzz sends.

    A view reads its own parameters and ignores the others, so each GET carries every parameter at once,
    all set to the same hostile value: one request tries the value on whichever of them the URL reads.
    """
    singles = [
        *site["pages"],
        "/search/",
        "/sitemap.xml",
        "/feeds/news.rss",  # the Atom feed is the same code
        "/feeds/events.ics",
        "/_util/login/",
        site["restriction"],
    ]
    if site["document"]:
        singles.append(site["document"])
    for path, value in itertools.product(singles, HOSTILE_VALUES):
        yield "get", path, dict.fromkeys(PAGE_PARAMETERS, value), {}
    for path, raw in itertools.product(["/", "/search/", "/sitemap.xml", site["restriction"]], RAW_QUERY_STRINGS):
        yield "get", path, "&".join(f"{name}={raw}" for name in PAGE_PARAMETERS), {}
    for value in HOSTILE_VALUES:
        # A WSGI server hands headers over as latin-1 text.
        header = value[:200].encode().decode("latin-1")
        yield "post", "/i18n/low-vision/", {"next": value, "low_vision": "1"}, {}
        yield "post", "/i18n/low-vision/", {"next": value, "images": value}, {"HTTP_REFERER": header}
        yield "post", "/i18n/setlang/", {"next": value, "language": value}, {"HTTP_REFERER": header}
        yield "post", site["restriction"], {"password": value, "return_url": value}, {}
        yield "get", "/robots.txt", {}, {"HTTP_COOKIE": f"django_language={header}; low_vision={header}"}
        # The value as a path part: a page's slug, an upload, a document, an invitation, a restriction.
        part = value.replace("/", "%2F")
        for path in [
            f"/news/{part}/",
            f"/media/{part}",
            f"/files/{part}/{part}",
            f"/invite/{part}/{part}/",
            f"/_util/authenticate_with_password/{part}/{part}/",
        ]:
            yield "get", path, {}, {}


def _send(client: Client, method: str, path: str, data, headers: dict):
    if isinstance(data, str):
        return getattr(client, method)(path, QUERY_STRING=data, **headers)
    return getattr(client, method)(path, data, **headers)


def test_no_public_url_of_a_school_answers_a_server_error_to_hostile_input(fuzz_site):
    """Every public URL × every parameter × hostile values: no response is 5xx (issue 13, point 5)."""
    client = Client(HTTP_HOST=fuzz_site["hostname"], raise_request_exception=True)
    failures, sent, started = [], 0, time.monotonic()
    for method, path, data, headers in _requests(fuzz_site):
        sent += 1
        try:
            status = _send(client, method, path, data, headers).status_code
        except Exception:  # the test client re-raises what the view raised: a 500 in production
            status, detail = 500, traceback.format_exc(limit=-3)
        else:
            detail = ""
        if status >= 500:
            failures.append(f"{method.upper()} {path} {str(data)[:80]!r} {headers!r}: {status}\n{detail}")
    elapsed = time.monotonic() - started
    print(f"{sent} requests in {elapsed:.1f} s")
    assert sent > 300
    assert not failures, f"{len(failures)} of {sent} requests answered 5xx:\n" + "\n".join(failures[:40])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("\x00", "Null characters are not allowed"),
        ("a\x00b", "Null characters are not allowed"),
        ("x" * 201, "at most"),
    ],
)
def test_a_search_the_database_cannot_take_answers_400_and_says_why(school, client_for, query, message):
    """``/search/?q=%00`` reached PostgreSQL and answered 500 (issue 13)."""
    response = client_for(school.hostname).get("/search/", {"q": query})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "next_url",
    [
        "abc",
        "0",
        "a\x00b",
        "/contacts/\x00",
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "x" * 3000,
    ],
)
def test_the_low_vision_switch_sends_any_next_that_is_not_a_local_path_home(school, client_for, next_url):
    """A non-path ``next`` made ``redirect()`` reverse it as a URL name: a 500 (issue 13)."""
    response = client_for(school.hostname).post("/i18n/low-vision/", {"low_vision": "1", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_low_vision_switch_returns_to_a_local_path_with_its_query(school, client_for):
    response = client_for(school.hostname).post("/i18n/low-vision/", {"low_vision": "1", "next": "/news/?lang=ru"})
    assert response["Location"] == "/news/?lang=ru"


def test_a_control_character_in_a_news_title_leaves_the_feeds_working(make_school, client_for):
    """Django's feed writer raises on characters XML 1.0 cannot carry (a vertical tab pasted from a word
    processor): the feeds drop them instead of answering 500."""
    from school_sections.models import NewsIndexPage, NewsPage

    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        NewsIndexPage.objects.get().add_child(
            instance=NewsPage(title="Prize", title_en="Prize\x0bgiving\x1b", body_en="<p>For\x0c all</p>")
        ).save_revision().publish()
    client = client_for(provisioned.hostname)
    for path in ["/feeds/news.rss", "/feeds/news.atom"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Prizegiving" in response.content.decode() and "For all" in response.content.decode(), path
