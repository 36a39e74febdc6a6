"""The public site's services: search, feeds, sitemap, robots.txt, languages, low-vision mode."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from demo.content import demo_content_fill


@pytest.fixture
def demo_school(make_school):
    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        demo_content_fill()
    return provisioned


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("приём", "/admission/"),  # Russian, in another case than the text
        ("ҚАБЫЛДАУ", "/admission/"),  # Kazakh letters, upper case
        ("робототехнике", "/achievements/"),  # inside a structured block
        ("Семей", "/contacts/"),
    ],
)
def test_2_2_1_search_finds_kazakh_and_russian_text(demo_school, client_for, query, expected):
    body = client_for(demo_school.hostname).get("/search/", {"q": query}).content.decode()
    assert f'href="{expected}"' in body


def test_search_stays_within_the_school(demo_school, school, client_for):
    body = client_for(school.hostname).get("/search/", {"q": "робототехнике"}).content.decode()
    assert "0 results" in body


def test_empty_search_explains_itself(school, client_for):
    assert "Type a word" in client_for(school.hostname).get("/search/").content.decode()


def test_2_2_1_sitemap_lists_the_sections_on_the_schools_own_host(demo_school, client_for):
    body = client_for(demo_school.hostname).get("/sitemap.xml").content.decode()
    assert f"http://{demo_school.hostname}/contacts/" in body
    assert f"http://{demo_school.hostname}/news/" in body


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_editor(school, client_for):
    body = client_for(school.hostname).get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body
    assert f"Sitemap: http://{school.hostname}/sitemap.xml" in body


@pytest.mark.parametrize("path", ["/feeds/news.rss", "/feeds/news.atom"])
def test_2_2_2_news_feeds(demo_school, client_for, path):
    response = client_for(demo_school.hostname, language="ru").get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "День знаний" in body
    assert "Родительское собрание" in body


def test_2_2_2_events_calendar(demo_school, client_for):
    response = client_for(demo_school.hostname, language="en").get("/feeds/events.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:New Year party" in body
    assert "DTSTART:20261227T100000Z" in body


def test_pages_carry_opengraph_and_hreflang(school, client_for):
    body = client_for(school.hostname).get("/contacts/").content.decode()
    assert '<meta property="og:title" content="Contact information">' in body
    for code in ("kk", "ru", "en"):
        assert f'hreflang="{code}" href="http://{school.hostname}/contacts/?lang={code}"' in body
    assert f'hreflang="x-default" href="http://{school.hostname}/contacts/"' in body


def test_page_titles_name_the_section_and_the_school_and_every_page_has_an_icon(school, client_for):
    from django.contrib.staticfiles import finders

    name = school.school.name_en
    contacts = client_for(school.hostname).get("/contacts/").content.decode()
    assert f"<title>Contact information — {name}</title>" in contacts
    assert f"<title>{name}</title>" in client_for(school.hostname).get("/").content.decode()
    search = client_for(school.hostname, language="ru").get("/search/", {"q": "x"}).content.decode()
    # The page's heading is the noun (Поиск), the button the verb (Найти).
    assert f"<title>Поиск — {school.school.name_ru}</title>" in search and "<h1>Поиск</h1>" in search
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in contacts
    assert finders.find("favicon.svg")


def test_1_3_lang_parameter_switches_and_is_remembered(school, client_for):
    client = client_for(school.hostname, language="en")
    body = client.get("/contacts/", {"lang": "ru"}).content.decode()
    assert 'lang="ru"' in body
    assert 'lang="ru"' in client.get("/staff/").content.decode()  # remembered in a cookie


def _body_classes(client, path: str) -> set[str]:
    import re

    body = client.get(path).content.decode()
    return set(re.search(r'<body class="([^"]*)"', body).group(1).split())


def test_1_3_low_vision_mode_stays_on_until_switched_off(school, client_for):
    client = client_for(school.hostname)
    response = client.post("/i18n/low-vision/", {"low_vision": "1", "next": "/contacts/"})
    assert response.status_code == 302
    assert response["Location"] == "/contacts/"
    assert {"low-vision", "lv-size-2", "lv-scheme-white", "lv-spacing-0"} <= _body_classes(client, "/staff/")
    client.post("/i18n/low-vision/", {"low_vision": "0", "next": "https://elsewhere.example/"})
    assert "low-vision" not in _body_classes(client, "/staff/")


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ({"size": "3"}, "lv-size-3"),
        ({"scheme": "black"}, "lv-scheme-black"),
        ({"scheme": "blue"}, "lv-scheme-blue"),
        ({"scheme": "beige"}, "lv-scheme-beige"),
        ({"spacing": "2"}, "lv-spacing-2"),
        ({"images": "0"}, "no-images"),
    ],
)
def test_each_low_vision_setting_is_applied_and_remembered(school, client_for, choice, expected):
    client = client_for(school.hostname)
    client.post("/i18n/low-vision/", {"low_vision": "1", "next": "/"})
    client.post("/i18n/low-vision/", {**choice, "next": "/"})
    assert expected in _body_classes(client, "/")
    assert expected in _body_classes(client, "/news/")  # on every page
    other = {"spacing": "1"} if "spacing" not in choice else {"size": "1"}
    client.post("/i18n/low-vision/", {**other, "next": "/"})  # another setting keeps this one
    assert expected in _body_classes(client, "/")


def test_forged_low_vision_values_fall_back_to_the_defaults(school, client_for):
    client = client_for(school.hostname)
    client.post("/i18n/low-vision/", {"low_vision": "1", "size": "99", "scheme": "<script>", "next": "/"})
    assert {"lv-size-2", "lv-scheme-white"} <= _body_classes(client, "/")
    client.cookies["low_vision"] = "x-y-z-w"
    assert {"low-vision", "lv-size-2", "lv-scheme-white", "lv-spacing-0"} <= _body_classes(client, "/")


def test_low_vision_switch_never_redirects_off_site(school, client_for):
    response = client_for(school.hostname).post(
        "/i18n/low-vision/", {"low_vision": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("path", ["/contacts/", "/administration/", "/documents/", "/staff/"])
def test_a_section_page_takes_at_most_ten_queries(demo_school, client_for, path):
    client = client_for(demo_school.hostname)
    client.get(path)  # warm Wagtail's site cache, as a running server has
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    # 11: with one for the view restrictions of document collections (clause 5.2), read once per request.
    assert len(queries) <= 11, "\n".join(query["sql"][:150] for query in queries.captured_queries)


def test_phone_numbers_are_shown_readably_and_dialled_in_e164(demo_school, client_for):
    body = client_for(demo_school.hostname).get("/contacts/").content.decode()
    assert '<a href="tel:+77222521234">+7 7222 52 12 34</a>' in body


def test_images_are_optional_in_low_vision_mode(school, client_for):
    client = client_for(school.hostname)
    client.post("/i18n/low-vision/", {"low_vision": "1", "next": "/"})
    assert "no-images" not in _body_classes(client, "/")  # images shown by default
    client.post("/i18n/low-vision/", {"images": "0", "next": "/"})
    assert "no-images" in _body_classes(client, "/")
    body = client.get("/").content.decode()
    assert '<input type="radio" name="images" value="0" checked>' in body  # the panel shows the choice
    client.post("/i18n/low-vision/", {"low_vision": "0", "next": "/"})
    assert "no-images" not in _body_classes(client, "/")


def test_news_are_listed_twenty_a_page_with_links_between_pages_and_any_page_number_lands(school, client_for):
    import datetime

    from school_sections.models import NewsIndexPage, NewsPage
    from school_sections.selectors import ITEMS_PER_PAGE

    with schema_context(school.school.schema_name):
        index = NewsIndexPage.objects.get()
        first_day = datetime.date(2026, 1, 1)
        for number in range(ITEMS_PER_PAGE + 5):
            day = first_day + datetime.timedelta(days=number)
            index.add_child(instance=NewsPage(title=f"Item {number:02d}", title_en=f"Item {number:02d}", date=day))
    client = client_for(school.hostname)

    first = client.get("/news/").content.decode()
    assert first.count('class="entry"') == ITEMS_PER_PAGE
    assert "Item 24" in first and "Item 04" not in first  # newest first
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
    assert "Page 1 of 2" in first

    second = client.get("/news/", {"page": 2}).content.decode()
    assert second.count('class="entry"') == 5 and "Item 00" in second
    assert 'href="?page=1" rel="prev"' in second and 'rel="next"' not in second

    for typed, expected in (("abc", "Page 1 of 2"), ("999", "Page 2 of 2"), ("-1", "Page 2 of 2")):
        response = client.get("/news/", {"page": typed})
        assert response.status_code == 200 and expected in response.content.decode(), typed


def test_a_mandatory_section_still_lacking_content_says_it_is_being_prepared_and_a_complete_one_does_not(
    school, demo_school, client_for
):
    """A freshly opened school's sections are not blank pages for parents (the demo school's are complete)."""
    fresh = client_for(school.hostname).get("/staff/").content.decode()
    assert "This section is being prepared" in fresh and "Last updated" in fresh
    complete = client_for(demo_school.hostname).get("/staff/").content.decode()
    assert "This section is being prepared" not in complete
    # An optional section is never "being prepared": it is there because the school chose to fill it.
    assert "This section is being prepared" not in client_for(school.hostname).get("/news/").content.decode()


def test_inner_pages_show_where_they_are_breadcrumbs_and_the_menu_marks_their_section(school, client_for):
    from school_sections.models import NewsIndexPage, NewsPage

    with schema_context(school.school.schema_name):
        item = NewsIndexPage.objects.get().add_child(instance=NewsPage(title="Sports day", title_en="Sports day"))
        item_url = item.url
    client = client_for(school.hostname)

    news_item = client.get(item_url).content.decode()
    trail = news_item[news_item.index('class="breadcrumbs"') :]
    trail = trail[: trail.index("</nav>")]
    assert trail.index('href="/">Home<') < trail.index('href="/news/">News<') < trail.index(">Sports day</li>")
    assert '<a href="/news/" aria-current="true">News</a>' in news_item  # the menu marks the item's section

    section = client.get("/news/").content.decode()
    assert '<a href="/news/" aria-current="page">News</a>' in section
    assert 'href="/">Home</a></li><li aria-current="page">News</li>' in section
    assert 'class="breadcrumbs"' not in client.get("/").content.decode()


def test_a_news_picture_is_described_by_its_alt_text_and_is_decorative_without_one(school, client_for):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.images.models import Image

    from school_sections.models import NewsIndexPage, NewsPage

    def picture(description: str) -> Image:
        buffer = io.BytesIO()
        PillowImage.new("RGB", (8, 8), (30, 90, 160)).save(buffer, "PNG")
        upload = ImageFile(io.BytesIO(buffer.getvalue()), name="photo.png")
        return Image.objects.create(title="IMG_2041", description=description, file=upload)

    with schema_context(school.school.schema_name):
        index = NewsIndexPage.objects.get()
        described = index.add_child(instance=NewsPage(title="Fair", image=picture("Pupils at the science fair")))
        plain = index.add_child(instance=NewsPage(title="Plain", image=picture("")))
        urls = described.url, plain.url
    client = client_for(school.hostname)
    assert 'alt="Pupils at the science fair"' in client.get(urls[0]).content.decode()
    body = client.get(urls[1]).content.decode()
    assert 'alt=""' in body and "IMG_2041" not in body  # never the file's title read aloud


@pytest.mark.parametrize(("language", "label"), [("kk", "Сабақ кестесі"), ("ru", "Расписание уроков")])
def test_a_documents_link_is_named_in_the_visitors_language_not_by_its_file_title(
    demo_school, client_for, language, label
):
    body = client_for(demo_school.hostname, language=language).get("/educational-process/").content.decode()
    assert f"download>{label}</a>" in body
    assert ">Timetable<" not in body


def test_the_home_page_takes_few_queries_with_its_pictures(school_site, client_for):
    """News cards with pictures: the pictures and their renditions in two queries, not two per card."""
    from demo.content import demo_content_fill
    from demo.identity import demo_identity_fill

    with schema_context(school_site.school.schema_name):
        demo_content_fill()
        demo_identity_fill(1)
    client = client_for(school_site.hostname)
    client.get("/")  # warm the caches (site, identity) and make the renditions, as a running server has
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    # The page, the sections, three view-restriction checks, news (+ pictures), events: 11 with the search_path.
    assert len(queries) <= 12, "\n".join(query["sql"][:150] for query in queries.captured_queries)


def test_a_missing_page_on_a_school_host_keeps_the_schools_header_menu_and_footer(school, client_for):
    response = client_for(school.hostname).get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert f"<title>Page not found — {school.school.name_en}</title>" in body
    assert 'id="site-nav"' in body and 'class="site-footer"' in body and 'action="/search/"' in body
