"""The visitors' search understands word forms in kk, ru and en (issue 16): every pair of a form written on
a page and another form typed by a visitor must find that page; results carry a highlighted excerpt, the
section, the type and the date, come in pages, and a misspelt word still finds its page."""

import datetime

import pytest
from django_tenants.utils import schema_context
from wagtail.models import Page

from school_sections.models import NewsIndexPage, NewsPage, SearchEntry
from school_sections.search import indexing
from school_sections.search.queries import RESULTS_PER_PAGE, site_search

# (the form on the page, the form the visitor types): plural, case, possessive and verb forms.
RUSSIAN = [
    ("олимпиада", "олимпиады"),
    ("олимпиадах", "олимпиада"),
    ("математике", "математика"),
    ("ученики", "ученик"),
    ("учеников", "ученикам"),
    ("школа", "школы"),
    ("школе", "школой"),
    ("учитель", "учителя"),
    ("учителями", "учителю"),
    ("расписание", "расписания"),
    ("расписанием", "расписанию"),
    ("экзамен", "экзамены"),
    ("экзаменов", "экзаменах"),
    ("родители", "родителей"),
    ("родителям", "родитель"),
    ("собрание", "собрания"),
    ("собрании", "собранием"),
    ("победители", "победитель"),
    ("победителей", "победителям"),
    ("конкурс", "конкурса"),
    ("конкурсе", "конкурсы"),
    ("документы", "документ"),
    ("документов", "документами"),
    ("лицензия", "лицензии"),
    ("уставе", "устава"),
    ("отчёт", "отчёты"),
    ("занятия", "занятие"),
    ("уроки", "урок"),
    ("уроков", "уроке"),
    ("кружке", "кружком"),
    ("библиотека", "библиотеке"),
    ("выпускники", "выпускников"),
    ("достижения", "достижений"),
    ("каникулы", "каникулах"),
    ("благодарим", "благодарить"),
    ("подготовили", "подготовил"),
    ("учится", "учиться"),
    ("преподаёт", "преподают"),
    ("учебный", "учебного"),
]
ENGLISH = [
    ("olympiad", "olympiads"),
    ("pupils", "pupil"),
    ("teacher", "teachers"),
    ("school", "schools"),
    ("exam", "exams"),
    ("timetable", "timetables"),
    ("winners", "winner"),
    ("prize", "prizes"),
    ("parents", "parent"),
    ("meeting", "meetings"),
    ("documents", "document"),
    ("licence", "licences"),
    ("report", "reports"),
    ("lessons", "lesson"),
    ("class", "classes"),
    ("studies", "study"),
    ("studying", "studied"),
    ("teaching", "teach"),
    ("prepared", "prepare"),
    ("prepares", "preparing"),
    ("celebrated", "celebrate"),
    ("admission", "admissions"),
    ("clubs", "club"),
    ("competition", "competitions"),
    ("achievements", "achievement"),
    ("graduates", "graduate"),
    ("libraries", "library"),
    ("activities", "activity"),
    ("holidays", "holiday"),
    ("sports", "sport"),
    ("thanks", "thanked"),
    ("enrolled", "enrolment"),
    ("enrol", "enrols"),
    ("graduated", "graduates"),
    ("uniforms", "uniform"),
]
KAZAKH = [
    ("мектебімізде", "мектеп"),
    ("мектептер", "мектебіміз"),
    ("оқушыларымыздың", "оқушы"),
    ("оқушыға", "оқушылар"),
    ("мұғалімдерімізге", "мұғалім"),
    ("мұғаліміміз", "мұғалімдер"),
    ("сыныптарда", "сынып"),
    ("сыныбы", "сыныпта"),
    ("сабақтарда", "сабақ"),
    ("сабағы", "сабақтар"),
    ("олимпиадасында", "олимпиада"),
    ("олимпиадаға", "олимпиадалар"),
    ("жарыстарға", "жарыс"),
    ("байқауда", "байқау"),
    ("емтихандарды", "емтихан"),
    ("кестесі", "кесте"),
    ("құжаттарды", "құжат"),
    ("жарғысы", "жарғы"),
    ("лицензиясын", "лицензия"),
    ("есебін", "есеп"),
    ("директорының", "директор"),
    ("орынбасарлары", "орынбасар"),
    ("үйірмелеріне", "үйірме"),
    ("жетістіктеріміз", "жетістік"),
    ("жеңімпаздарын", "жеңімпаз"),
    ("балаларыңыздың", "бала"),
    ("кітабымды", "кітап"),
    ("кітапханасында", "кітапхана"),
    ("тәрбиесі", "тәрбие"),
    ("ұстаздарымыз", "ұстаз"),
    ("жобалары", "жоба"),
    ("мерекеде", "мереке"),
    ("жаңалықтар", "жаңалығы"),
    ("тапсырмалары", "тапсырма"),
    ("оқиды", "оқу"),
    ("оқымады", "оқыды"),
    ("жазған", "жазу"),
    ("жазбаған", "жазады"),
    ("келеді", "келу"),
    ("берген", "беру"),
    ("өтетін", "өту"),
    ("тапсырады", "тапсыру"),
    ("жарияланды", "жариялау"),
]


def _news(index, title: str, *, language: str, text: str, date=None) -> NewsPage:
    index.refresh_from_db()
    page = index.add_child(
        instance=NewsPage(
            title=title,
            date=date or datetime.date(2026, 11, 1),
            **{f"title_{language}": title, f"body_{language}": f"<p>{text}</p>"},
        )
    )
    page.save_revision().publish()
    return page


@pytest.fixture
def searchable(make_school):
    """A school with one news item per language holding every form written on a page."""
    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        index = NewsIndexPage.objects.get()
        pages = {
            "ru": _news(index, "Новости", language="ru", text=" ".join(written for written, _ in RUSSIAN)),
            "en": _news(index, "News", language="en", text=" ".join(written for written, _ in ENGLISH)),
            "kk": _news(index, "Жаңалықтар", language="kk", text=" ".join(written for written, _ in KAZAKH)),
        }
        yield provisioned, pages


@pytest.mark.parametrize(
    ("language", "pairs"), [("ru", RUSSIAN), ("en", ENGLISH), ("kk", KAZAKH)], ids=["ru", "en", "kk"]
)
def test_every_word_form_finds_its_page(searchable, language, pairs):
    provisioned, pages = searchable
    assert len(pairs) >= 30
    missed = []
    with schema_context(provisioned.school.schema_name):
        for written, typed in pairs:
            found = [result.url for result in site_search(typed, language=language).results]
            if pages[language].url not in found:
                missed.append((written, typed))
    assert missed == []


def test_a_word_that_is_nowhere_finds_nothing(searchable):
    provisioned, _ = searchable
    with schema_context(provisioned.school.schema_name):
        assert site_search("аэродинамика").count == 0
        assert site_search("xylophone").count == 0


def test_results_say_what_and_where_with_the_words_marked(demo_school_for_search, client_for):
    body = client_for(demo_school_for_search.hostname, language="ru").get("/search/", {"q": "олимпиады"}).content
    body = body.decode()
    assert "Победители областной олимпиады" in body  # the title in the visitor's language
    assert "<mark>олимпиаде</mark>" in body  # the excerpt marks the form found
    body = client_for(demo_school_for_search.hostname).get("/search/", {"q": "olympiads"}).content.decode()
    assert 'News · <time datetime="2026-11-25">' in body  # the type and the date (its section is "News" too)
    body = client_for(demo_school_for_search.hostname).get("/search/", {"q": "robotics"}).content.decode()
    assert "Section · <time" in body


def test_kazakh_excerpt_marks_the_forms_found(demo_school_for_search, client_for):
    body = client_for(demo_school_for_search.hostname, language="kk").get("/search/", {"q": "оқушы"}).content.decode()
    assert "<mark>Оқушыларымыз</mark>" in body


def test_a_misspelt_word_finds_similar_words(demo_school_for_search, client_for):
    body = client_for(demo_school_for_search.hostname).get("/search/", {"q": "olimpiad"}).content.decode()
    assert "Regional olympiad winners" in body
    assert "similar word" in body


def test_results_come_in_pages(make_school):
    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        index = NewsIndexPage.objects.get()
        for number in range(RESULTS_PER_PAGE + 3):
            _news(
                index,
                f"Concert {number}",
                language="en",
                text="The choir sings",
                date=datetime.date(2026, 1, 1 + number),
            )
        first = site_search("choir", language="en")
        second = site_search("choir", page_number=2, language="en")
    assert first.count == RESULTS_PER_PAGE + 3
    assert len(first.results) == RESULTS_PER_PAGE and len(second.results) == 3
    assert first.results[0].title == f"Concert {RESULTS_PER_PAGE + 2}"  # equal ranks: the newest first
    assert not {result.url for result in first.results} & {result.url for result in second.results}


def test_unpublished_and_deleted_pages_leave_the_index(searchable):
    provisioned, pages = searchable
    with schema_context(provisioned.school.schema_name):
        pages["en"].unpublish()
        assert site_search("olympiads").count == 0
        assert not SearchEntry.objects.filter(page_id=pages["en"].pk).exists()
        url = pages["ru"].url
        Page.objects.get(pk=pages["ru"].pk).delete()
        assert url not in [result.url for result in site_search("олимпиады").results]


def test_reindex_rebuilds_the_index_from_the_published_pages(searchable):
    provisioned, pages = searchable
    with schema_context(provisioned.school.schema_name):
        SearchEntry.objects.all().delete()
        assert site_search("olympiads").count == 0
        indexed = indexing.site_reindex()
        assert indexed == Page.objects.live().filter(depth__gt=2).count()
        assert pages["en"].url in [result.url for result in site_search("olympiads").results]


def test_sections_are_found_by_their_title_in_every_language(school):
    with schema_context(school.school.schema_name):
        for query in ("Байланыс", "контактная", "contact"):
            assert "/contacts/" in [result.url for result in site_search(query).results], query


@pytest.fixture
def demo_school_for_search(make_school):
    from demo.content import demo_content_fill

    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        demo_content_fill()
    return provisioned


def test_the_daily_scan_builds_the_index_of_a_school_opened_before_it(searchable):
    """The migration adds the index empty (no Python over every school in the deploy): the next scan fills it."""
    from django.utils import timezone

    from compliance.services import school_scan

    provisioned, pages = searchable
    with schema_context(provisioned.school.schema_name):
        SearchEntry.objects.all().delete()
        school_scan(now=timezone.now())
        assert pages["en"].url in [result.url for result in site_search("olympiads").results]
        assert SearchEntry.objects.filter(kind=SearchEntry.Kind.SECTION).count() >= 8
