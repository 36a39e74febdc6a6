"""Publishing in few steps: the titles per language are all an editor types, the administrator's main button
is Publish, nobody submits to themselves, and a new page flags no translation as outdated."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from wagtail.models import Task, Workflow
from wagtail.test.utils.form_data import nested_form_data, rich_text
from wagtail.users.models import UserProfile

from school_sections.addresses import address_from_title, latin
from school_sections.models import NewsIndexPage, NewsPage
from tests.factories import login_verified
from workflows.names import SITE_ADMINISTRATOR_APPROVAL


@pytest.fixture
def signed_in(client_for, school_site, people):
    def sign_in(role: str):
        client = client_for(school_site.hostname)
        login_verified(client, people[role])
        return client

    return sign_in


def _news_form(**fields) -> dict:
    form = {
        "title_kk": "",
        "title_ru": "",
        "title_en": "",
        "date": "2026-12-01",
        "body_kk": rich_text(""),
        "body_ru": rich_text(""),
        "body_en": rich_text(""),
        "slug": "",
        "seo_title": "",
        "search_description": "",
        **nested_form_data({}),
    }
    form.update(fields)
    return form


def _create(client, **fields):
    index = NewsIndexPage.objects.get()
    return client.post(f"/admin/pages/add/school_sections/newspage/{index.pk}/", _news_form(**fields))


def test_transliteration_writes_kazakh_and_russian_letters_in_latin():
    assert latin("Қазақстан Өңірі") == "Qazaqstan Ongiri"
    assert address_from_title("Ата-аналар жиналысы!") == "ata-analar-zhinalysy"
    assert address_from_title("Школьная олимпиада 2026") == "shkolnaya-olimpiada-2026"
    assert address_from_title("Ұлттық құндылықтар және әдет-ғұрып") == "ulttyq-qundylyqtar-zhane-adet-guryp"
    assert address_from_title("Sports day") == "sports-day"
    assert address_from_title("!!!") == ""
    assert len(address_from_title("сөз " * 60)) <= 80


def test_three_titles_are_all_a_news_item_needs(signed_in):
    client = signed_in("administrator")
    response = _create(
        client,
        title_kk="Ата-аналар жиналысы",
        title_ru="Родительское собрание",
        title_en="Parents' meeting",
        **{"action-publish": "publish"},
    )
    assert response.status_code == 302, re.findall(r'class="error-message">(.*?)<', response.content.decode())
    page = NewsPage.objects.get(title_en="Parents' meeting")
    assert page.live
    assert page.title == "Ата-аналар жиналысы"  # the school's language, kk
    assert page.slug == "ata-analar-zhinalysy"
    assert page.translations_outdated == []  # written together: nothing is behind

    # The same title again: a different address among the siblings, made the same way.
    _create(client, title_kk="Ата-аналар жиналысы", **{"action-publish": "publish"})
    assert NewsPage.objects.filter(slug="ata-analar-zhinalysy-2").exists()


def test_the_address_stays_editable_and_the_title_follows_the_languages(signed_in):
    client = signed_in("administrator")
    _create(client, title_ru="Олимпиада", slug="olympiad-2026", **{"action-publish": "publish"})
    page = NewsPage.objects.get(slug="olympiad-2026")
    assert page.title == "Олимпиада"  # no Kazakh title: the first language that has one

    form = _news_form(title_kk="Олимпиада нәтижелері", title_ru="Олимпиада", slug="olympiad-2026")
    response = client.post(f"/admin/pages/{page.pk}/edit/", {**form, "action-publish": "publish"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.title, page.slug) == ("Олимпиада нәтижелері", "olympiad-2026")


def test_a_title_with_nothing_to_transliterate_still_gets_an_address(signed_in):
    client = signed_in("administrator")
    assert _create(client, title_kk="🎉🎉🎉", **{"action-publish": "publish"}).status_code == 302
    assert _create(client, title_en="中文新闻", **{"action-publish": "publish"}).status_code == 302
    assert sorted(NewsPage.objects.values_list("slug", flat=True)) == ["news", "news-2"]


def test_a_news_item_without_any_title_is_refused_with_a_message(signed_in):
    client = signed_in("administrator")
    with translation.override("kk"):
        response = _create(client, body_en=rich_text("Text only"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Write the title in at least one language." in body or "Тақырыпты" in body
    assert not NewsPage.objects.exists()


def test_the_administrators_main_action_is_publish_and_nobody_submits_to_themselves(signed_in, people):
    page = NewsIndexPage.objects.get().add_child(instance=NewsPage(title_en="Draft", live=False))
    page.save_revision(user=people["administrator"])

    administrator = signed_in("administrator").get(f"/admin/pages/{page.pk}/edit/").content.decode()
    main_button = re.search(r'<button[^>]*name="(action-[a-z-]+)"', administrator)
    assert main_button and main_button.group(1) == "action-publish"
    assert 'name="action-submit"' not in administrator  # the approval would come back to them

    teacher = signed_in("teacher").get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'name="action-submit"' in teacher  # the teacher's way to publication
    assert 'name="action-publish"' not in teacher


def test_a_draft_saved_language_by_language_flags_nothing_when_published(signed_in):
    """Wagtail saves a draft while someone types: the first language typed is not "behind" the others."""
    client = signed_in("administrator")
    _create(client, title_kk="Спорт күні", **{"action-save-draft": "save"})
    page = NewsPage.objects.get()
    for fields in ({"title_ru": "День спорта"}, {"title_ru": "День спорта", "title_en": "Sports day"}):
        form = _news_form(title_kk="Спорт күні", slug=page.slug, **fields)
        assert client.post(f"/admin/pages/{page.pk}/edit/", {**form, "action-save-draft": "save"}).status_code == 302
    form = _news_form(title_kk="Спорт күні", title_ru="День спорта", title_en="Sports day", slug=page.slug)
    client.post(f"/admin/pages/{page.pk}/edit/", {**form, "action-publish": "publish"})
    page.refresh_from_db()
    assert page.live and page.translations_outdated == []

    # A later publication that changes only Kazakh does flag the others.
    form["title_kk"] = "Спорт күні өтті"
    client.post(f"/admin/pages/{page.pk}/edit/", {**form, "action-publish": "publish"})
    page.refresh_from_db()
    assert page.translations_outdated == ["ru", "en"]


def test_the_workflow_and_its_step_are_named_in_the_editors_language(school_site):
    with translation.override("ru"):
        workflow = Workflow.objects.get(active=True)
        task = Task.objects.filter(active=True).get().specific
        assert workflow.name == task.name != SITE_ADMINISTRATOR_APPROVAL
        assert task.name == translation.gettext(SITE_ADMINISTRATOR_APPROVAL)
        workflow.save()  # the administrator saves it from the Russian editor
    with translation.override("kk"):
        assert Workflow.objects.get(pk=workflow.pk).name == translation.gettext(SITE_ADMINISTRATOR_APPROVAL)
    assert Workflow.objects.filter(name=SITE_ADMINISTRATOR_APPROVAL).values_list("pk", flat=True)[0] == workflow.pk


def test_the_editor_speaks_kazakh_with_kazakh_first_in_the_language_choice(signed_in, people):
    profile = UserProfile.get_for_user(people["administrator"])
    profile.preferred_language = "kk"
    profile.save()
    client = signed_in("administrator")
    body = client.get("/admin/").content.decode()
    # The menu travels as JSON (non-ASCII letters escaped) to the sidebar's script.
    menu = json.loads(re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', body, re.S).group(1))
    labels = re.findall(r'"label": "([^"]*)"', json.dumps(menu, ensure_ascii=False))
    assert {"Суреттер", "Құжаттар", "Есептер", "Баптаулар", "Анықтама"} <= set(labels), labels
    assert not [label for label in labels if re.search("[A-Za-z]{3,}", label)], labels

    profile = client.get("/admin/account/").content.decode()
    select = profile.split('name="locale-preferred_language"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\w*)"', select) == ["", "kk", "ru", "en"]
    assert get_user_model().objects.get(pk=people["administrator"].pk)


def test_the_document_choosers_search_tab_follows_the_editors_language(signed_in, people):
    """Wagtail names the tab at import time; every editor saw it in the language the process started in."""
    profile = UserProfile.get_for_user(people["administrator"])
    labels = set()
    for language in ("ru", "en", "kk"):
        profile.preferred_language = language
        profile.save()
        body = signed_in("administrator").get("/admin/documents/chooser/").json()["html"]
        label = re.search(r'id="tab-label-search"[^>]*>\s*([^<]+?)\s*<', body).group(1)
        with translation.override(language):
            assert label == translation.gettext("Search"), language
        labels.add(label)
    assert len(labels) == 3


@pytest.mark.parametrize(("role", "first_part"), [("teacher", "editor"), ("administrator", "administrator")])
def test_help_leads_to_the_platforms_guide_with_the_readers_part_first(signed_in, people, role, first_part):
    client = signed_in(role)
    dashboard = client.get("/admin/").content.decode()
    assert "guide.wagtail.org" not in dashboard
    assert "/admin/guide/" in dashboard
    guide = client.get("/admin/guide/", headers={"accept-language": "kk"}).content.decode()
    assert re.findall(r'<section id="guide-(\w+)"', guide)[0] == first_part


def test_reading_tasks_without_their_names_costs_no_query_per_task(school_site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Task.objects.create(name="Second step", active=True)  # more than one task: a query each would show
    with CaptureQueriesContext(connection) as whole:
        list(Task.objects.all())
    with CaptureQueriesContext(connection) as without_names:
        assert len(list(Task.objects.only("pk"))) >= 2
    assert len(without_names.captured_queries) == len(whole.captured_queries)
