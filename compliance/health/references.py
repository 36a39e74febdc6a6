"""What a school's published site points at: pages, documents, images and addresses (clause 5.6).

Read from the live pages (a page's row holds its published version; drafts live in revisions) and the school's
identity, field by field: rich text, StreamField blocks (walked by their definitions, so a new block or field is
covered without a change here), choosers and URL fields. Nothing is resolved here: the check (compliance.health
.check) looks every target up at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_noop
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.documents.models import AbstractDocument
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.images.models import AbstractImage
from wagtail.models import Page

TENANT_URLCONF = "regional_platform.urls_tenants"  # the school's host, also when a worker builds the path
IDENTITY_TITLE = gettext_noop("School identity")


@dataclass(frozen=True)
class Source:
    """Where a reference sits: a page (its id) or the school's identity settings, and where it is fixed."""

    page_id: int | None
    title: str
    edit_path: str


@dataclass(frozen=True)
class Reference:
    kind: str  # "page", "document", "image" (target: an id), "url" (target: the href as written)
    target: int | str
    # For images: whether the site must describe it, and the description written beside the reference (rich
    # text's alt, the identity's photo text); None means the image's own description is its alt text.
    alt_required: bool = False
    alt: str | None = None


class _RichTextReferences(HTMLParser):
    """Links and embedded images of Wagtail's stored rich text (``<a linktype="page" id="3">``, ``<a href>``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Reference] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a":
            linktype, href = values.get("linktype"), values.get("href")
            if linktype in ("page", "document") and (values.get("id") or "").isdigit():
                self.found.append(Reference(linktype, int(values["id"])))
            elif href:
                self.found.append(Reference("url", href.strip()))
        elif tag == "embed" and values.get("embedtype") == "image" and (values.get("id") or "").isdigit():
            self.found.append(Reference("image", int(values["id"]), alt_required=True, alt=values.get("alt") or ""))


def rich_text_references(html: str) -> list[Reference]:
    parser = _RichTextReferences()
    parser.feed(html or "")
    parser.close()
    return parser.found


def _block_references(block, value, *, portrait: bool = False) -> Iterator[Reference]:
    """References in a block's stored (JSON) value, by the block's definition."""
    if value in (None, "", [], {}):
        return
    if isinstance(block, blocks.StructBlock) and isinstance(value, dict):
        # A photo beside a person's name is shown with an empty alt (the name says who it is): not required.
        named = "full_name" in block.child_blocks
        for name, child in block.child_blocks.items():
            yield from _block_references(child, value.get(name), portrait=named)
    elif isinstance(block, blocks.ListBlock) and isinstance(value, list):
        for item in value:
            inner = item.get("value") if isinstance(item, dict) and item.get("type") == "item" else item
            yield from _block_references(block.child_block, inner, portrait=portrait)
    elif isinstance(block, blocks.StreamBlock) and isinstance(value, list):
        for item in value:
            child = block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
            if child is not None:
                yield from _block_references(child, item.get("value"), portrait=portrait)
    else:
        yield from _leaf_references(block, value, portrait=portrait)


def _leaf_references(block, value, *, portrait: bool) -> Iterator[Reference]:
    if isinstance(block, blocks.RichTextBlock) and isinstance(value, str):
        yield from rich_text_references(value)
    elif isinstance(block, DocumentChooserBlock) and isinstance(value, int):
        yield Reference("document", value)
    elif isinstance(block, ImageChooserBlock) and isinstance(value, int):
        yield Reference("image", value, alt_required=not portrait)
    elif isinstance(block, blocks.PageChooserBlock) and isinstance(value, int):
        yield Reference("page", value)
    elif isinstance(block, blocks.URLBlock) and isinstance(value, str):
        yield Reference("url", value.strip())


def field_references(instance: models.Model, *, skip_model=None) -> Iterator[Reference]:
    """References in an object's own fields (not those of ``skip_model``, e.g. Page's tree and revisions)."""
    for field in instance._meta.concrete_fields:
        if skip_model is not None and field.model is skip_model:
            continue
        if isinstance(field, StreamField):
            raw = getattr(instance, field.attname).raw_data
            yield from _block_references(field.stream_block, [dict(item) for item in raw])
        elif isinstance(field, RichTextField):
            yield from rich_text_references(getattr(instance, field.attname))
        elif isinstance(field, models.URLField):
            if value := getattr(instance, field.attname):
                yield Reference("url", value.strip())
        elif isinstance(field, models.ForeignKey) and (target := getattr(instance, field.attname)) is not None:
            related = field.related_model
            if isinstance(related, type) and issubclass(related, AbstractImage):
                yield Reference("image", target, alt_required=True)
            elif isinstance(related, type) and issubclass(related, AbstractDocument):
                yield Reference("document", target)
            elif isinstance(related, type) and issubclass(related, Page):
                yield Reference("page", target)


def page_edit_path(page_id: int) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page_id], urlconf=TENANT_URLCONF)


def published_references(*, chunk_size: int = 200) -> Iterator[tuple[Source, list[Reference]]]:
    """Each live page of the active school with what it points at, a chunk of pages at a time."""
    pages = Page.objects.live().filter(depth__gt=1).order_by("path").specific()
    for page in pages.iterator(chunk_size=chunk_size):
        source = Source(page.pk, page.title[:255], page_edit_path(page.pk))
        yield source, list(field_references(page, skip_model=Page))


def identity_references() -> tuple[Source, list[Reference]] | None:
    """The school's identity: the home-page photograph (described by its own texts), the emblem (shown beside
    the name with an empty alt), the social links."""
    from school_sections.models import SchoolIdentity

    identity = SchoolIdentity.objects.first()
    if identity is None:
        return None
    path = reverse("wagtailsettings:edit", args=["school_sections", "schoolidentity"], urlconf=TENANT_URLCONF)
    photo_text = " ".join((identity.photo_alt_kk, identity.photo_alt_ru, identity.photo_alt_en)).strip() or None

    def as_shown(reference: Reference) -> Reference:
        if reference.kind == "image" and reference.target == identity.logo_id:
            return Reference("image", reference.target)
        if reference.kind == "image" and reference.target == identity.photo_id:
            return Reference("image", reference.target, alt_required=True, alt=photo_text)
        return reference

    return Source(None, IDENTITY_TITLE, path), [as_shown(reference) for reference in field_references(identity)]
