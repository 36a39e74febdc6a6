"""What a page says in each language, read from its search fields, for the visitors' search index.

A school writes each text three times, in fields and block fields named ``…_kk``, ``…_ru`` and ``…_en``;
that suffix is how a text's language is known. Text with no suffix (a person's name, a phone number, the
editor's own page title) belongs to no language and is matched by all three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

LANGUAGES = ("kk", "ru", "en")
ANY = "any"
_SUFFIX = re.compile(r"_(kk|ru|en)$")
# Characters the excerpts use as highlight markers (Unicode private use): never stored in the index.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"
_MARKERS = str.maketrans("", "", HIGHLIGHT_START + HIGHLIGHT_STOP)


@dataclass
class PageTexts:
    titles: dict[str, str] = field(default_factory=lambda: dict.fromkeys(LANGUAGES, ""))
    texts: dict[str, list[str]] = field(default_factory=lambda: {key: [] for key in (*LANGUAGES, ANY)})

    def text(self, key: str) -> str:
        return "\n".join(part for part in self.texts[key] if part)


def _language_of(name: str) -> str | None:
    match = _SUFFIX.search(name)
    return match.group(1) if match else None


def _clean(value: str) -> str:
    return " ".join(str(value).translate(_MARKERS).split())


def page_texts(page) -> PageTexts:
    """The titles and texts of ``page`` (a specific page) by language."""
    texts = PageTexts()
    section = getattr(page, "section", None)
    if section is not None:
        # A section is named by the regulation's catalogue, in the visitor's language (SectionPage).
        for language in LANGUAGES:
            with translation.override(language):
                texts.titles[language] = str(section.title)
    editor_title = ""
    for search_field in page.get_search_fields():
        if not isinstance(search_field, index.SearchField):
            continue
        name = search_field.field_name
        if name == "title":
            editor_title = _clean(page.title or "")  # Wagtail's own title: used below only if nothing better
            continue
        value = getattr(page, name, None)
        if not value:
            continue
        field_language = _language_of(name)
        model_field = _model_field(page, name)
        if isinstance(model_field, StreamField):
            _stream_texts(model_field.stream_block, value, field_language, texts)
        elif name.startswith("title_") and field_language:
            texts.titles[field_language] = _clean(value)
        else:
            raw = get_text_for_indexing(str(value)) if isinstance(model_field, RichTextField) else str(value)
            texts.texts[field_language or ANY].append(_clean(raw))
    if section is None and not any(texts.titles.values()):
        texts.texts[ANY].insert(0, editor_title)  # a page with no title per language: its only name
    return texts


def _model_field(page, name: str):
    try:
        return page._meta.get_field(name)
    except FieldDoesNotExist:  # a search field may name a method or a property
        return None


def _stream_texts(block, value, language: str | None, texts: PageTexts) -> None:
    """Walk a block value, keeping the texts of character, text and rich text blocks, each under the
    language its block name says (or its parent's); choices, dates, e-mails and choosers are not text."""
    if value is None:
        return
    if isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            _stream_texts(child, value.get(name), _language_of(name) or language, texts)
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            _stream_texts(child.block, child.value, language, texts)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            _stream_texts(block.child_block, item, language, texts)
    elif isinstance(block, (blocks.ChoiceBlock, blocks.MultipleChoiceBlock)):
        return  # a code ("head", "licence"); its label is the regulation's, not the school's text
    elif isinstance(block, (blocks.CharBlock, blocks.TextBlock, blocks.RichTextBlock)):
        for content in block.get_searchable_content(value):
            texts.texts[language or ANY].append(_clean(content))
