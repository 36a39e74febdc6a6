"""The editor in Kazakh: every message of Wagtail (and of taggit and Django where they have no Kazakh) that a
school's editors can reach has a translation in locale_vendor/, with its placeholders kept."""

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

from regional_platform import vendor_catalogues

VENDOR = Path(vendor_catalogues.__file__).resolve().parent.parent / "locale_vendor"
# %(name)s, %s, %d, {name}: what the code fills in; a translation that loses one shows a blank or crashes.
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdifr]|%[sdif]|\{[A-Za-z_0-9]*\}")


def _catalogues():
    return sorted(VENDOR.glob("*/LC_MESSAGES/*.po"))


def test_no_message_of_the_installed_libraries_lacks_a_translation(capsys):
    """Refreshing from the installed Wagtail, taggit and Django finds nothing new and nothing untranslated."""
    assert vendor_catalogues.main(["--check"]) == 0, capsys.readouterr().out


@pytest.mark.parametrize("path", _catalogues(), ids=lambda path: "/".join(path.parts[-3:]))
def test_every_translation_keeps_its_placeholders_and_plural_forms(path):
    catalogue = polib.pofile(str(path))
    language = path.parts[-3]
    forms = int(re.search(r"nplurals=(\d)", catalogue.metadata["Plural-Forms"]).group(1))
    assert catalogue.metadata["Plural-Forms"] == vendor_catalogues.PLURAL_FORMS[language]
    broken = []
    for entry in catalogue:
        expected = sorted(set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid)))
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(forms)), entry.msgid
            values = list(entry.msgstr_plural.values())
            # A singular message may say "1" in words where the plural one has %(count)s.
            singular = sorted(set(PLACEHOLDER.findall(entry.msgid)))
            if any(sorted(set(PLACEHOLDER.findall(value))) not in (expected, singular) for value in values):
                broken.append(entry.msgid)
        elif sorted(set(PLACEHOLDER.findall(entry.msgstr))) != expected:
            broken.append(entry.msgid)
    assert broken == []


@pytest.mark.parametrize("path", _catalogues(), ids=lambda path: "/".join(path.parts[-3:]))
def test_the_compiled_catalogue_matches_its_source(path):
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(path))}
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(path.with_suffix(".mo")))}
    assert {key: compiled.get(key) for key in source} == source, "run `make messages` to recompile"


@pytest.mark.parametrize(
    ("message", "kazakh"),
    [
        ("Awaiting your review", "Сіздің қарауыңызды күтуде"),  # Wagtail's dashboard
        ("Choose an image", "Сурет таңдау"),  # Wagtail's image chooser
        ("Enter a valid integer.", "Дұрыс бүтін сан енгізіңіз."),  # Django's own Kazakh lacks it
        ("A comma-separated list of tags.", "Үтір арқылы бөлінген тегтер тізімі."),  # taggit
    ],
)
def test_django_serves_the_vendor_translations(message, kazakh):
    with translation.override("kk"):
        assert translation.gettext(message) == kazakh


def test_the_russian_editor_gets_what_wagtails_russian_misses():
    with translation.override("ru"):
        assert translation.gettext("Maximum filesize: %(max_upload_size)s.").startswith("Максимальный размер")


def test_the_page_editors_script_speaks_kazakh(db, client_for, settings):
    from django.views.i18n import JavaScriptCatalog

    catalogue = JavaScriptCatalog(packages=["wagtail.admin"])
    catalogue.translation = translation.trans_real.DjangoTranslation(
        "kk", domain="djangojs", localedirs=catalogue.get_paths(["wagtail.admin"])
    )
    assert catalogue.get_catalog()["A network error occurred."] == "Желі қатесі орын алды."
