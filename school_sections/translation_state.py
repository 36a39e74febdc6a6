"""Which language versions of a page may be out of date (issue: languages).

After every edit, each language's text of the page is fingerprinted. Languages
whose text changed are up to date; when a language that was not itself flagged
changed, the other languages that have text are marked "translation may be
outdated" until someone edits them or confirms them. The
state lives on the page (``translation_digests``, ``translations_outdated``), not
in revisions, so confirming does not create a new version of the page.
"""

from __future__ import annotations

import hashlib
import json

from django.utils.html import strip_tags
from wagtail.fields import StreamField

from school_sections.translation import LANGUAGE_CODES

_EMPTY = hashlib.sha256(b"[]").hexdigest()


def _text(value) -> str:
    # The words only: the rich-text editor gives empty paragraphs random keys on every save.
    return " ".join(strip_tags(str(value)).split())


def _stream_texts(stream, language: str) -> list:
    texts = []
    for child in stream:
        value = child.value
        if hasattr(value, "items"):
            texts.extend(_text(item) for key, item in value.items() if key.endswith(f"_{language}") and _text(item))
    return texts


def language_digests(page) -> dict[str, str]:
    """A fingerprint of the page's text in each language."""
    digests = {}
    for language in LANGUAGE_CODES:
        texts = []
        for field in page._meta.get_fields():
            name = getattr(field, "name", "")
            if isinstance(field, StreamField):
                texts.extend(_stream_texts(getattr(page, name), language))
            elif name.endswith(f"_{language}") and _text(getattr(page, name, "")):
                texts.append(_text(getattr(page, name)))
        digests[language] = hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode()).hexdigest()
    return digests


def translations_after_edit(page) -> list[str]:
    """Record an edit of ``page``; return the languages now marked as possibly outdated."""
    new = language_digests(page)
    # From the database: the editor's copy of the page comes from a revision, whose
    # copy of this state is as old as the revision.
    old, previously_outdated = (
        type(page).objects.filter(pk=page.pk).values_list("translation_digests", "translations_outdated")[0]
    )
    old = old or {}
    changed = {language for language in LANGUAGE_CODES if new[language] != old.get(language)}
    outdated = set(previously_outdated or []) - changed
    # Editing a flagged language is catching up, not news for the others.
    originating = changed - set(previously_outdated or [])
    if old and originating:  # the first save of a page has nothing to be out of date with
        outdated |= {language for language in LANGUAGE_CODES if language not in changed and new[language] != _EMPTY}
    ordered = [language for language in LANGUAGE_CODES if language in outdated]
    type(page).objects.filter(pk=page.pk).update(translation_digests=new, translations_outdated=ordered)
    page.translation_digests, page.translations_outdated = new, ordered
    return ordered


def translation_confirm(page, language: str) -> None:
    """Someone checked the ``language`` version: it is no longer marked outdated."""
    remaining = [code for code in page.translations_outdated or [] if code != language]
    type(page).objects.filter(pk=page.pk).update(translations_outdated=remaining)
    page.translations_outdated = remaining
