"""Which language versions of a page may be out of date (issue: languages).

At every publication, each language's text of the page is fingerprinted and compared with the
previous publication's. Languages whose text changed are up to date; when a language that was not
itself flagged changed, the other languages that have text are marked "translation may be outdated"
until a publication updates them or someone confirms them. The state lives on the page
(``translation_digests``, ``translations_outdated``), not in revisions, so confirming does not create
a new version of the page.

Publications, not saves: the editor saves a draft every few seconds while someone types (Wagtail's
autosave), so a new page written in three languages would otherwise flag the first language typed as
behind the others. What visitors can read is what can be out of date; the first publication of a page
has nothing to be out of date with.
"""

from __future__ import annotations

import hashlib
import json

from django.dispatch import receiver
from django.utils.html import strip_tags
from wagtail.fields import StreamField
from wagtail.signals import page_published

from school_sections.translation import LANGUAGE_CODES

_EMPTY = hashlib.sha256(b"[]").hexdigest()


def _text(value) -> str:
    # The words only: the rich-text editor gives empty paragraphs random keys on every save.
    return " ".join(strip_tags(str(value)).split())


def _stream_texts(stream, language: str) -> list[str]:
    texts: list[str] = []
    for child in stream:
        value = child.value
        if hasattr(value, "items"):
            texts.extend(_text(item) for key, item in value.items() if key.endswith(f"_{language}") and _text(item))
    return texts


def language_digests(page) -> dict[str, str]:
    """A fingerprint of the page's text in each language."""
    digests = {}
    for language in LANGUAGE_CODES:
        texts: list[str] = []
        for field in page._meta.get_fields():
            name = getattr(field, "name", "")
            if isinstance(field, StreamField):
                texts.extend(_stream_texts(getattr(page, name), language))
            elif name.endswith(f"_{language}") and _text(getattr(page, name, "")):
                texts.append(_text(getattr(page, name)))
        digests[language] = hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode()).hexdigest()
    return digests


def translations_after_publish(page) -> list[str]:
    """Record a publication of ``page``; return the languages now marked as possibly outdated."""
    new = language_digests(page)
    # From the database: the published copy of the page comes from a revision, whose
    # copy of this state is as old as the revision.
    old, previously_outdated = (
        type(page).objects.filter(pk=page.pk).values_list("translation_digests", "translations_outdated")[0]
    )
    old = old or {}
    changed = {language for language in LANGUAGE_CODES if new[language] != old.get(language)}
    outdated = set(previously_outdated or []) - changed
    # Editing a flagged language is catching up, not news for the others.
    originating = changed - set(previously_outdated or [])
    if old and originating:  # the first publication of a page has nothing to be out of date with
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


@receiver(page_published, dispatch_uid="school_sections.translation_state.published")
def _page_published(sender, instance, **kwargs):
    if hasattr(instance, "translations_outdated"):
        translations_after_publish(instance)
