"""Every user-facing string exists in Kazakh and Russian, and the compiled catalogues match the sources."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_message_is_translated(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 50
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.pofile(str(folder / "django.po"))
        if not e.obsolete  # msgfmt leaves them out
    }
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(folder / "django.mo"))}
    translated = {
        key: value
        for key, value in source.items()
        if value and any(value if isinstance(value, str) else value.values())
    }
    assert {key: compiled.get(key) for key in translated} == translated, "run `make messages` to recompile"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "Бұл мекенжайда мектеп сайты жоқ"), ("ru", "Здесь нет сайта школы")],
)
def test_pages_speak_the_visitors_language(db, client_for, language, expected):
    body = client_for("nowhere.edu.test", language=language).get("/").content.decode()
    assert f'lang="{language}"' in body
    assert expected in body


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [("kk", "26 қараша 2026 ж.", "26.11.2026"), ("ru", "26 ноября 2026 г.", "26.11.2026")],
)
def test_dates_are_written_as_in_kazakhstan(language, long, short):
    """Django ships no Kazakh formats (it would write 11/26/2026) and capitalises Kazakh months."""
    import datetime

    from django.utils import formats, translation

    with translation.override(language):
        day = datetime.date(2026, 11, 26)
        assert formats.date_format(day, "DATE_FORMAT") == long
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == short
        assert formats.number_format(12.5, 1) == "12,5"
