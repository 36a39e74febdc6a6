"""Fill a school's sections with demonstration content (``make demo``).

The content is data (``fixtures/demo_content.json``, keyed by section slug); this
module only knows how to put it into the pages. Documents get a small generated
PDF each. Run inside the school's schema.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.dateparse import parse_datetime
from wagtail.documents.models import Document
from wagtail.models import Page

from school_sections.blocks import normalise_phone
from school_sections.models import EventIndexPage, EventPage, NewsIndexPage, NewsPage, SchoolHomePage

DEMO_CONTENT = Path(__file__).resolve().parent / "fixtures" / "demo_content.json"

# Which stream field of a section holds which block type.
_STREAMS = {
    "phones": "phone",
    "emails": "email",
    "people": "person",
    "documents": "document",
    "items": "item",
    "entries": "entry",
    "staff": "member",
    "graduates": "year",
    "achievements": "achievement",
}
_DATE_KEYS = {"date", "valid_until", "attestation_date"}
# Phone numbers are stored in E.164, as the editor's form stores them.
_PHONE_KEYS = {"phones": "number", "people": "phone"}


def demo_pdf(text: str) -> bytes:
    """A one-page PDF, so that downloads in the demo are real files."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _document(file_name: str, title: str) -> Document:
    document = Document(title=title or file_name)
    document.file.save(file_name, ContentFile(demo_pdf(Path(file_name).stem)), save=False)
    document.save()
    return document


def _block_value(raw: dict, phone_key: str | None = None) -> dict:
    value = {}
    for key, item in raw.items():
        if key == "file":
            value["document"] = _document(item, raw.get("title_en") or raw.get("title_kk", ""))
        elif key in _DATE_KEYS and item:
            value[key] = datetime.date.fromisoformat(item)
        elif key == phone_key and item:
            value[key] = normalise_phone(item)
        else:
            value[key] = item
    return value


@transaction.atomic
def demo_content_fill(*, content: dict | None = None) -> None:
    """Fill every section named in ``content`` (default: the demo file) and publish it."""
    content = content if content is not None else json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))
    home = SchoolHomePage.objects.get()
    sections = {page.slug: page.specific for page in home.get_children()}
    for slug, fields in content.items():
        if slug in ("news", "events"):
            continue
        page = sections[slug]
        for name, raw in fields.items():
            if name in _STREAMS:
                raw = [(_STREAMS[name], _block_value(item, _PHONE_KEYS.get(name))) for item in raw]  # noqa: PLW2901
            setattr(page, name, raw)
        page.save_revision().publish()
    for item in content.get("news", []):
        _child(sections["news"], NewsPage, {**item, "date": datetime.date.fromisoformat(item["date"])})
    for item in content.get("events", []):
        _child(sections["events"], EventPage, {**item, "starts_at": parse_datetime(item["starts_at"])})


def _child(index: NewsIndexPage | EventIndexPage, model: type[Page], fields: dict) -> None:
    index.refresh_from_db()
    page = index.add_child(instance=model(**fields))
    page.save_revision().publish()
