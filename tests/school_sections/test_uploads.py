"""Uploads are judged by content: a renamed program is refused with a clear message, the form kept."""

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from wagtail.documents.models import Document

from demo.content import demo_pdf
from school_sections.uploads import document_content_check
from tests.factories import login_verified


def _zip(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            archive.writestr(member, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", None),
        ("plan.txt", "Оқу жоспары 2026–2027\nУчебный план\n".encode()),
        ("list.csv", "аты;класс\nӘлия;5\n".encode()),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        ("plan.docx", _zip("[Content_Types].xml", "word/document.xml")),
        ("plan.odt", _zip("mimetype", "content.xml")),
    ],
)
def test_files_whose_content_matches_their_name_pass(name, content):
    document_content_check(SimpleUploadedFile(name, content if content is not None else demo_pdf("ok")))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 200, "does not contain what its name says"),  # a Windows program
        ("notes.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "does not contain what its name says"),
        ("table.docx", b"%PDF-1.4 not a docx", "does not contain what its name says"),
        ("archive.docx", _zip("setup.exe"), "does not contain what its name says"),  # any ZIP renamed
        ("tool.exe", b"MZ\x90\x00", "are not accepted"),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_files_whose_content_does_not_match_are_refused_with_a_reason(name, content, message):
    with pytest.raises(ValidationError, match=message):
        document_content_check(SimpleUploadedFile(name, content))


def test_the_editor_refuses_a_disguised_upload_and_keeps_the_title(make_school, client_for):
    provisioned = make_school()
    client = client_for(provisioned.hostname)
    with schema_context(provisioned.school.schema_name):
        login_verified(client, get_user_model().objects.get(email=provisioned.invitations[-1].email))
        response = client.post(
            "/admin/documents/add/",
            {
                "title": "Annual report 2026",
                "file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00" * 50),
                "collection": 1,
            },
        )
        assert response.status_code == 200
        assert "does not contain what its name says" in response.content.decode()
        assert 'value="Annual report 2026"' in response.content.decode()
        assert not Document.objects.exists()

        good = client.post(
            "/admin/documents/add/",
            {"title": "Annual report 2026", "file": SimpleUploadedFile("report.pdf", demo_pdf("ok")), "collection": 1},
        )
        assert good.status_code == 302
        assert Document.objects.get().title == "Annual report 2026"
