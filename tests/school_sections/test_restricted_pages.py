"""A news item or event behind a password or a sign-in never shows in a public listing (issue 13, security).

Wagtail's view restrictions guard a page's own address; the home page, the news and events sections, the
RSS, Atom and iCalendar feeds, the sitemap and the search list pages themselves, and must list only the
public ones. Each test has a restricted and a public item, and checks the one is missing and the other there.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from school_sections.models import EventIndexPage, EventPage, NewsIndexPage, NewsPage

PUBLIC_NEWS, HIDDEN_NEWS = "Open day announced", "Staff salaries revised"
PUBLIC_EVENT, HIDDEN_EVENT = "Science fair", "Board meeting"
RESTRICTIONS = {
    "password": {"restriction_type": PageViewRestriction.PASSWORD, "password": "letmein"},
    "sign-in": {"restriction_type": PageViewRestriction.LOGIN},
    "groups": {"restriction_type": PageViewRestriction.GROUPS},
}
PUBLIC_LISTINGS = ["/", "/news/", "/events/", "/feeds/news.rss", "/feeds/news.atom", "/feeds/events.ics"]


def _news(title: str) -> NewsPage:
    index = NewsIndexPage.objects.get()
    page = index.add_child(
        instance=NewsPage(
            title=title, title_en=title, body_en=f"<p>{title}: the full text.</p>", date=timezone.localdate()
        )
    )
    page.save_revision().publish()
    return page


def _event(title: str) -> EventPage:
    index = EventIndexPage.objects.get()
    starts = timezone.now() + datetime.timedelta(days=3)
    page = index.add_child(
        instance=EventPage(title=title, title_en=title, body_en=f"<p>{title}: the agenda.</p>", starts_at=starts)
    )
    page.save_revision().publish()
    return page


def _restrict(page, kind: str) -> None:
    restriction = PageViewRestriction.objects.create(page=page, **RESTRICTIONS[kind])
    if kind == "groups":
        restriction.groups.add(Group.objects.first())


@pytest.fixture
def site_with_restricted_items(make_school):
    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        _news(PUBLIC_NEWS)
        _event(PUBLIC_EVENT)
        hidden = {"news": _news(HIDDEN_NEWS), "event": _event(HIDDEN_EVENT)}
    return provisioned, hidden


@pytest.mark.parametrize("kind", list(RESTRICTIONS))
def test_restricted_news_and_events_are_missing_from_every_public_listing(
    site_with_restricted_items, client_for, kind
):
    provisioned, hidden = site_with_restricted_items
    with schema_context(provisioned.school.schema_name):
        _restrict(hidden["news"], kind)
        _restrict(hidden["event"], kind)
    client = client_for(provisioned.hostname)
    for path in PUBLIC_LISTINGS:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert HIDDEN_NEWS not in body and HIDDEN_EVENT not in body, (kind, path)
    # ...while the public items are listed in the same places.
    assert PUBLIC_NEWS in client.get("/").content.decode()
    assert PUBLIC_EVENT in client.get("/").content.decode()
    assert PUBLIC_NEWS in client.get("/news/").content.decode()
    assert PUBLIC_EVENT in client.get("/events/").content.decode()
    assert f"{PUBLIC_NEWS}: the full text" in client.get("/feeds/news.rss").content.decode()
    assert PUBLIC_NEWS in client.get("/feeds/news.atom").content.decode()
    assert f"SUMMARY:{PUBLIC_EVENT}" in client.get("/feeds/events.ics").content.decode()


def test_restricted_items_are_missing_from_the_sitemap_and_the_search(site_with_restricted_items, client_for):
    provisioned, hidden = site_with_restricted_items
    with schema_context(provisioned.school.schema_name):
        _restrict(hidden["news"], "password")
        _restrict(hidden["event"], "sign-in")
        hidden_urls = [hidden["news"].url, hidden["event"].url]
        public_url = NewsPage.objects.get(title=PUBLIC_NEWS).url
    client = client_for(provisioned.hostname)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert public_url in sitemap
    assert not [url for url in hidden_urls if url in sitemap]
    assert PUBLIC_NEWS in client.get("/search/", {"q": "full text"}).content.decode()
    found = client.get("/search/", {"q": "revised"}).content.decode()
    assert "0 results" in found and HIDDEN_NEWS not in found
    assert HIDDEN_EVENT not in client.get("/search/", {"q": "agenda"}).content.decode()


def test_a_restricted_news_section_hides_every_item_under_it(site_with_restricted_items, client_for):
    provisioned, _ = site_with_restricted_items
    with schema_context(provisioned.school.schema_name):
        _restrict(NewsIndexPage.objects.get(), "password")
    client = client_for(provisioned.hostname)
    for path in ["/", "/feeds/news.rss", "/feeds/news.atom", "/sitemap.xml"]:
        body = client.get(path).content.decode()
        assert PUBLIC_NEWS not in body and HIDDEN_NEWS not in body, path
    assert PUBLIC_EVENT in client.get("/").content.decode()  # the events section is still public


def test_a_restricted_item_still_opens_for_whoever_has_its_password(site_with_restricted_items, client_for):
    provisioned, hidden = site_with_restricted_items
    with schema_context(provisioned.school.schema_name):
        _restrict(hidden["news"], "password")
        url = hidden["news"].url
        restriction = PageViewRestriction.objects.get(page=hidden["news"])
    client = client_for(provisioned.hostname)
    assert HIDDEN_NEWS not in client.get(url).content.decode()  # the password form
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{hidden['news'].pk}/",
        {"password": "letmein", "return_url": url},
    )
    assert f"{HIDDEN_NEWS}: the full text" in client.get(url).content.decode()


def test_5_2_items_for_parents_are_missing_from_listings_feeds_search_and_sitemap(
    site_with_restricted_items, client_for
):
    """Restricted through the administrator's privacy dialog (accounts.privacy) to the parents' group."""
    from django.contrib.auth import get_user_model

    from regulation.roles import ReaderGroup, Role
    from tests.accounts.test_readers import restrict_through_the_privacy_dialog
    from tests.factories import login_verified

    provisioned, hidden = site_with_restricted_items
    schema = provisioned.school.schema_name
    administrator_client = client_for(provisioned.hostname)
    with schema_context(schema):
        login_verified(administrator_client, get_user_model().objects.get(groups__name=Role.SITE_ADMINISTRATOR.value))
        hidden_urls = [hidden["news"].url, hidden["event"].url]
    for page in hidden.values():
        restrict_through_the_privacy_dialog(administrator_client, schema, page, ReaderGroup.PARENTS)
    client = client_for(provisioned.hostname)
    for path in PUBLIC_LISTINGS:
        body = client.get(path).content.decode()
        assert HIDDEN_NEWS not in body and HIDDEN_EVENT not in body, path
    sitemap = client.get("/sitemap.xml").content.decode()
    assert not [url for url in hidden_urls if url in sitemap]
    assert HIDDEN_NEWS not in client.get("/search/", {"q": "revised"}).content.decode()
    assert HIDDEN_EVENT not in client.get("/search/", {"q": "agenda"}).content.decode()
    assert PUBLIC_NEWS in client.get("/search/", {"q": "full text"}).content.decode()
    for url in hidden_urls:  # the pages themselves send a visitor to the readers' sign-in
        assert client.get(url)["Location"].startswith("/account/sign-in/?next=")
