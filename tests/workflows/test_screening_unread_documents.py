"""A linked document screening cannot read whole is reported to the administrator, never passed (issue 18)."""

import io

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfWriter
from wagtail.documents import get_document_model

from tests.factories import login_verified
from tests.workflows.conftest import news_draft, prohibited_example
from workflows.screening import documents
from workflows.screening.documents import file_document_text
from workflows.screening.services import revision_screen


def _pdf(*, pages: int = 1, password: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("minutes.doc", b"\xd0\xcf\x11\xe0 old binary Word", documents.PROBLEM_FORMAT),
        ("photo.jpg", b"\xff\xd8\xff\xe0 a photo", documents.PROBLEM_FORMAT),
        ("report.docx", b"not a zip archive at all", documents.PROBLEM_DAMAGED),
        ("scan.pdf", _pdf(pages=2), documents.PROBLEM_NO_TEXT),
        ("locked.pdf", _pdf(password="secret"), documents.PROBLEM_DAMAGED),
        ("broken.pdf", b"%PDF-1.7 truncated", documents.PROBLEM_DAMAGED),
    ],
)
def test_what_cannot_be_read_says_why(name, content, problem):
    assert file_document_text(io.BytesIO(content), name.rsplit(".", 1)[1]).problem == problem


def test_a_document_is_read_whole_well_beyond_200000_characters():
    """The old reader stopped at 200,000 characters (about page 80): what came after was never screened."""
    filler = "Мектеп кітапханасы жаңа кітаптар алды. The library got new books.\n" * 6_000  # ~400,000 chars
    read = file_document_text(io.BytesIO((filler + prohibited_example("3.3.4", "ru")).encode()), "txt")
    assert read.problem == "" and read.text.endswith(prohibited_example("3.3.4", "ru"))


def test_a_document_beyond_the_bound_is_read_to_it_and_reported():
    read = file_document_text(io.BytesIO(b"a" * (documents.MAX_TEXT_CHARS + 10)), "txt")
    assert read.problem == documents.PROBLEM_TOO_LONG and len(read.text) == documents.MAX_TEXT_CHARS


def test_the_end_of_a_long_linked_document_is_screened(people):
    filler = "The school library got new books for the primary classes this autumn.\n" * 4_000  # ~290,000
    Document = get_document_model()
    document = Document(title="Annual report")
    document.file.save("report.txt", ContentFile((filler + prohibited_example("3.3.6", "en")).encode()), save=False)
    document.save()
    page = news_draft(people["teacher"], intro=f'<p><a linktype="document" id="{document.pk}">Report</a></p>')
    report = revision_screen(revision=page.get_latest_revision())
    assert {finding["clause"] for finding in report.findings} == {"3.3.6"}


def test_an_unreadable_linked_document_waits_for_the_administrator(people, client_for, school_site):
    Document = get_document_model()
    document = Document(title="Scanned order")
    document.file.save("order.pdf", ContentFile(_pdf()), save=False)
    document.save()
    page = news_draft(people["teacher"], intro=f'<p><a linktype="document" id="{document.pk}">Order</a></p>')

    report = revision_screen(revision=page.get_latest_revision())
    assert report.blocks_publication
    assert [(finding["clause"], finding["field"], finding["unread"]) for finding in report.findings] == [
        ("3.3", "Document “Scanned order”", documents.PROBLEM_NO_TEXT)
    ]

    client = client_for(school_site.hostname)
    login_verified(client, people["administrator"])
    shown = client.get(f"/admin/screening/{page.pk}/").content.decode()
    assert "no text layer" in shown and "Open the document and check it yourself" in shown
