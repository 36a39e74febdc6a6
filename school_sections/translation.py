"""Page content in Kazakh, Russian and English: one page tree, a field per language.

Why one tree with translated fields rather than Wagtail's linked trees per
locale: the regulation's structure is the tree. With one tree a mandatory
section exists once and cannot go missing in one language, completeness is
judged once per section, and a person, a phone number or a document is entered
once, not three times. Each translatable text has a field per language
(``intro_kk``, ``intro_ru``, ``intro_en``); ``translated`` picks the visitor's
language and falls back to the school's default language, saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

LANGUAGE_CODES = ("kk", "ru", "en")


@dataclass(frozen=True)
class Translated:
    """A value shown to the visitor, and the language it is really in."""

    value: object
    language: str
    requested: str

    @property
    def is_fallback(self) -> bool:
        return self.language != self.requested

    def __str__(self) -> str:
        return str(self.value or "")

    def __bool__(self) -> bool:
        return bool(self.value)


def active_language() -> str:
    language = (get_language() or "kk")[:2]
    return language if language in LANGUAGE_CODES else "kk"


def translated(obj, field: str, *, default_language: str = "kk") -> Translated:
    """``obj.<field>_<language>`` in the active language, else in ``default_language``, else any."""
    requested = active_language()
    order = [requested, default_language, *LANGUAGE_CODES]
    get = obj.get if hasattr(obj, "get") and not hasattr(obj, "_meta") else lambda key: getattr(obj, key, None)
    for language in dict.fromkeys(order):
        value = get(f"{field}_{language}")
        if value:
            return Translated(value, language, requested)
    return Translated("", requested, requested)


def translated_field_names(field: str) -> list[str]:
    return [f"{field}_{language}" for language in LANGUAGE_CODES]
