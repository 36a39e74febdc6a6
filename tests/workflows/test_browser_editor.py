"""The school's editor in a real browser, in Kazakh: a whole publication round without an English word, and
axe over the editor pages the school's roles use, in kk, ru and en."""

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from demo.content import demo_content_fill
from regulation.roles import Role
from school_sections.models import ContactsPage, NewsIndexPage, NewsPage
from tenants.models import School
from tests.browser import editor_sign_in, skip_without_chromium
from tests.factories import school_create
from workflows.services import responsibility_set

pytestmark = [pytest.mark.browser, skip_without_chromium]
PASSWORD = "Editor-pass-2026"
SCHEMA = "school_browser_editor"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# Wagtail's own findings (README, "The editor's accessibility"): the rule, and a selector part that places the
# element in Wagtail's markup. Anything else is the platform's and fails the test.
WAGTAIL_FINDINGS: dict[str, tuple[str, ...]] = {
    "label": ("#fileupload",),  # the multiple-upload page's file input, named only by its drop zone's text
    "button-name": (".w-editing-sessions__session",),  # the avatar of another session editing the page
}
# Latin words an editor may meet in Kazakh: names of things, formats and people's addresses.
NOT_ENGLISH = {"wagtail", "pdf", "docx", "xlsx", "csv", "jpeg", "png", "gif", "webp", "svg", "url", "html", "id"}


@pytest.fixture(scope="module")
def editor_site(server, django_db_blocker):
    """A committed school with its sections filled, a teacher for news, and every appointed role signing in."""
    with django_db_blocker.unblock():
        provisioned = school_create(subdomain="browser-editor")
        with schema_context(provisioned.school.schema_name):
            demo_content_fill()
            User = get_user_model()
            teacher = User.objects.create_user("teacher@editor.kz", email="teacher@editor.kz", password=PASSWORD)
            teacher.first_name, teacher.last_name = "Айгүл", "Серікқызы"
            teacher.save()
            teacher.groups.add(Group.objects.get(name=Role.EDITORIAL_MEMBER.value))
            news = NewsIndexPage.objects.get()
            responsibility_set(section=news, people=[teacher])
            people = {"teacher": (teacher.username, None)}
            for role, name in ((Role.SITE_ADMINISTRATOR, "administrator"), (Role.DIRECTOR, "director")):
                person = User.objects.get(groups__name=role.value)
                person.first_name, person.last_name = {"administrator": ("Данияр", "Омаров")}.get(
                    name, ("Гүлнар", "Әлиева")
                )
                person.set_password(PASSWORD)
                person.save()
                device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
                people[name] = (person.username, base64.b32encode(device.bin_key).decode())
            ids = {"news": news.pk, "contacts": ContactsPage.objects.get().pk}
        connection.set_schema_to_public()
    yield f"http://browser-editor.edu.test:{server}", ids, people
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        School.objects.get(pk=provisioned.school.pk).delete(force_drop=True)


def _speaking(django_db_blocker, username: str, language: str) -> None:
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        user = get_user_model().objects.get(username=username)
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
        # Signing in twice within one 30-second step: the same code again (django-otp refuses a reused one).
        TOTPDevice.objects.filter(user=user).update(last_t=-1)
    connection.set_schema_to_public()


def _signed_in(browser, site, person, language, django_db_blocker):
    username, key = person
    _speaking(django_db_blocker, username, language)
    page = browser.new_context(locale={"kk": "kk-KZ", "ru": "ru-RU", "en": "en-US"}[language]).new_page()
    editor_sign_in(page, site, username, PASSWORD, key)
    return page


def _english_words(page) -> list[str]:
    """Latin-letter words in what the person reads (text, labels, placeholders), names and addresses aside."""
    text = page.evaluate(
        """() => [document.body.innerText,
                  ...[...document.querySelectorAll('[aria-label],[placeholder],[title]')].map(
                      e => [e.getAttribute('aria-label'), e.getAttribute('placeholder'), e.getAttribute('title')]
                          .filter(Boolean).join(' '))].join(' ')"""
    )
    text = re.sub(r"\S+@\S+|https?://\S+|\S+\.(kz|test)\S*", " ", text)
    return sorted({word for word in re.findall(r"[A-Za-z]{3,}", text) if word.lower() not in NOT_ENGLISH})


def test_a_kazakh_publication_round_meets_no_english_word(editor_site, browser, django_db_blocker):
    site, ids, people = editor_site
    seen: dict[str, list[str]] = {}

    teacher = _signed_in(browser, site, people["teacher"], "kk", django_db_blocker)
    seen["teacher dashboard"] = _english_words(teacher)
    teacher.goto(f"{site}/admin/pages/{ids['news']}/")
    seen["teacher news listing"] = _english_words(teacher)
    teacher.goto(f"{site}/admin/pages/add/school_sections/newspage/{ids['news']}/")
    seen["teacher new news"] = _english_words(teacher)
    teacher.fill("#id_title_kk", "Мектеп кітапханасы жаңарды")
    teacher.fill("#id_title_ru", "Школьная библиотека обновилась")
    teacher.get_by_role("button", name="Басқа әрекеттер").click()
    teacher.locator("button[name=action-submit]").click()
    teacher.wait_for_url(f"{site}/admin/pages/{ids['news']}/")
    seen["teacher after submission"] = _english_words(teacher)
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        item = NewsPage.objects.get(slug="mektep-kitapkhanasy-zhangardy", title="Мектеп кітапханасы жаңарды")
    connection.set_schema_to_public()

    administrator = _signed_in(browser, site, people["administrator"], "kk", django_db_blocker)
    seen["administrator dashboard"] = _english_words(administrator)
    administrator.goto(f"{site}/admin/pages/{item.pk}/edit/")
    seen["administrator review"] = _english_words(administrator)
    administrator.locator("footer [data-workflow-action-name='approve']").first.click()
    administrator.wait_for_url(f"{site}/admin/pages/{ids['news']}/")
    expect(administrator.locator(".messages")).to_contain_text("Мектеп кітапханасы жаңарды")
    seen["administrator after publishing"] = _english_words(administrator)
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        assert NewsPage.objects.get(pk=item.pk).live
    connection.set_schema_to_public()

    director = _signed_in(browser, site, people["director"], "kk", django_db_blocker)
    seen["director dashboard"] = _english_words(director)
    director.goto(f"{site}/admin/audit/")
    expect(director.locator("main")).to_contain_text("Мектеп кітапханасы жаңарды")
    seen["director audit trail"] = _english_words(director)
    director.goto(f"{site}/admin/guide/")
    seen["director guide"] = _english_words(director)

    english = {where: words for where, words in seen.items() if words}
    assert english == {}, "\n".join(f"{where}: {words}" for where, words in english.items())


def _editor_paths(ids) -> list[str]:
    return [
        "/admin/",
        f"/admin/pages/{ids['news']}/",
        f"/admin/pages/{ids['contacts']}/edit/",
        f"/admin/pages/add/school_sections/newspage/{ids['news']}/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        "/admin/settings/school_sections/schoolidentity/",
        "/admin/site-structure/",
        f"/admin/sections/{ids['news']}/responsible/",
        "/admin/archive/",
        "/admin/guide/",
        "/admin/account/",
    ]


def _wagtails_own(violation: dict) -> bool:
    places = WAGTAIL_FINDINGS.get(violation["id"], ())
    return all(any(place in " ".join(node["target"]) for place in places) for node in violation["nodes"])


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_axe_finds_nothing_of_the_platforms_on_the_editor_pages(editor_site, browser, language, django_db_blocker):
    from axe_playwright_python.sync_playwright import Axe

    site, ids, people = editor_site
    page = _signed_in(browser, site, people["administrator"], language, django_db_blocker)
    axe = Axe()
    problems = {}
    for path in _editor_paths(ids):
        response = page.goto(f"{site}{path}")
        assert response.status == 200, path
        results = axe.run(page, options=AXE_OPTIONS)
        assert len(results.response["passes"]) > 10, path
        ours = [violation for violation in results.response["violations"] if not _wagtails_own(violation)]
        if ours:
            problems[path] = [(v["id"], [" ".join(node["target"]) for node in v["nodes"]][:3]) for v in ours]
    director = _signed_in(browser, site, people["director"], language, django_db_blocker)
    for path in ("/admin/", "/admin/audit/", "/admin/guide/", f"/admin/pages/{ids['contacts']}/edit/"):
        assert director.goto(f"{site}{path}").status == 200, path
        results = axe.run(director, options=AXE_OPTIONS)
        ours = [violation for violation in results.response["violations"] if not _wagtails_own(violation)]
        if ours:
            problems[f"director {path}"] = [(v["id"], [" ".join(n["target"]) for n in v["nodes"]][:3]) for v in ours]
    assert problems == {}, "\n".join(f"{path}: {found}" for path, found in problems.items())
