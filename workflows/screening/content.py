"""What of a page is screened: its titles, texts, links and linked documents, each with its field's label."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.blocks.list_block import ListValue
from wagtail.blocks.stream_block import StreamValue
from wagtail.blocks.struct_block import StructValue
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.rich_text import RichText, get_text_for_indexing

from workflows.screening.documents import document_text

# Of Wagtail's own page fields, the ones a person writes and a visitor sees.
_PAGE_TEXT_FIELDS = ("title", "seo_title", "search_description")
_HREF = re.compile(r"""href=["']([^"']+)["']""")
_DOCUMENT_LINK = re.compile(r"""<a[^>]*linktype=["']document["'][^>]*\bid=["'](\d+)["']""")


def _rich_text_parts(html: str) -> tuple[str, set[int]]:
    """Plain text plus the addresses it links to (commercial links count, clause 3.3.5), and linked documents."""
    text = get_text_for_indexing(html)
    links = _HREF.findall(html)
    if links:
        text = "\n".join([text, *links])
    return text, {int(pk) for pk in _DOCUMENT_LINK.findall(html)}


def _stream_parts(value, label: str, documents: set[int]) -> Iterator[tuple[str, str]]:
    Document = get_document_model()
    if isinstance(value, StreamValue):
        for child in value:
            yield from _stream_parts(child.value, f"{label} › {capfirst(str(child.block.label))}", documents)
    elif isinstance(value, StructValue):
        for name, child in value.items():
            child_label = capfirst(str(value.block.child_blocks[name].label))
            yield from _stream_parts(child, f"{label} › {child_label}", documents)
    elif isinstance(value, (ListValue, list, tuple)):
        for child in value:
            yield from _stream_parts(child, label, documents)
    elif isinstance(value, RichText):
        text, linked = _rich_text_parts(value.source)
        documents |= linked
        yield label, text
    elif isinstance(value, Document):
        documents.add(value.pk)
    elif isinstance(value, str) and value.strip():
        yield label, value


def _editor_fields(page_class: type[Page]) -> frozenset[str]:
    """The fields the page's editor shows: a finding cites one the person can open and fix.

    A field the editor does not show is not the person's words: Wagtail's title where the titles per
    language make it, a section's catalogue title.
    """
    return frozenset(page_class.get_edit_handler().get_form_options().get("fields", ()))


def page_texts(page: Page) -> list[tuple[str, str]]:
    """(field label, text) for everything a person wrote on ``page`` in its editor, linked documents included."""
    return page_content(page)[0]


def page_content(page: Page) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``page_texts``, and (field label, problem code) for each linked document not read whole
    (``documents.PROBLEM_*``): screening cannot vouch for those, the administrator must look."""
    page = page.specific
    shown = _editor_fields(type(page))
    documents: set[int] = set()
    parts: list[tuple[str, str]] = []
    for field in page._meta.concrete_fields:
        if field.model is Page and field.name not in _PAGE_TEXT_FIELDS:
            continue
        if field.name not in shown:
            continue
        if not field.editable or field.is_relation:
            continue
        label = capfirst(str(field.verbose_name))
        value = getattr(page, field.attname)
        if isinstance(field, StreamField):
            parts.extend(_stream_parts(value, label, documents))
        elif isinstance(field, RichTextField):
            text, linked = _rich_text_parts(value or "")
            documents |= linked
            parts.append((label, text))
        elif isinstance(field, (models.CharField, models.TextField, models.URLField)):
            parts.append((label, value or ""))
    unread = []
    for document in get_document_model().objects.filter(pk__in=documents).order_by("pk"):
        label = _("Document “%(title)s”") % {"title": document.title}
        parts.append((label, document.title))
        read = document_text(document)
        parts.append((label, read.text))
        if read.problem:
            unread.append((label, read.problem))
    return [(label, text) for label, text in parts if text and text.strip()], unread
