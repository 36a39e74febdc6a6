"""Uploads are judged by content: a renamed program is refused with a clear message, the form kept."""

import io
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from wagtail.documents.models import Document

from demo.content import demo_pdf
from school_sections.uploads import document_content_check, image_is_decorative
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


def _gif(size=(8, 8)) -> bytes:
    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.new("P", size).save(buffer, "GIF")
    return buffer.getvalue()


BROKEN_IMAGES = {
    "header only": ("broken.gif", b"GIF89a"),
    "screen descriptor, then garbage": ("broken.gif", b"GIF89a\x0a\x00\x0a\x00\xf7\x00\x00" + b"\xff" * 40),
    "cut in half": ("broken.gif", _gif()[: len(_gif()) // 2]),
    "pixel data zeroed": ("broken.gif", _gif()[:-10] + b"\x00" * 10),
    "broken LZW stream": ("broken.gif", _gif()[:30] + b"\x0c" + b"\xff" * 30 + b"\x00;"),
    "PNG cut short": ("broken.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02"),
    "JPEG header only": ("broken.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
}


@pytest.mark.parametrize("name", list(BROKEN_IMAGES))
def test_a_broken_image_is_refused_by_the_image_field_with_a_reason(name):
    """Issue 13: a malformed GIF (or any broken image) is a form error, not a server error."""
    from school_sections.uploads import CheckedImageField

    filename, content = BROKEN_IMAGES[name]
    with pytest.raises(ValidationError) as refused:
        CheckedImageField().clean(SimpleUploadedFile(filename, content))
    assert refused.value.code in {"invalid_image", "invalid_image_known_format"}


def test_a_whole_image_passes_the_image_field():
    from school_sections.uploads import CheckedImageField

    assert CheckedImageField().clean(SimpleUploadedFile("fine.gif", _gif())).image.get_size() == (8, 8)


def test_the_editor_refuses_a_malformed_gif_with_a_form_error_on_every_upload_path(make_school, client_for):
    """Issue 13: the image library's single and multiple uploads answer a form error, never a 500."""
    from wagtail.images.models import Image

    provisioned = make_school()
    client = client_for(provisioned.hostname)
    client.raise_request_exception = False
    with schema_context(provisioned.school.schema_name):
        login_verified(client, get_user_model().objects.get(email=provisioned.invitations[-1].email))
        for name, (filename, content) in BROKEN_IMAGES.items():
            single = client.post(
                "/admin/images/add/",
                {"title": "Sports day", "file": SimpleUploadedFile(filename, content), "collection": 1},
            )
            assert single.status_code == 200, name
            assert "damaged or incomplete" in single.content.decode() or "Not a valid" in single.content.decode(), name
            assert 'value="Sports day"' in single.content.decode(), name
            multiple = client.post(
                "/admin/images/multiple/add/",
                {"files[]": SimpleUploadedFile(filename, content), "collection": 1},
                headers={"x-requested-with": "XMLHttpRequest"},
            )
            assert multiple.status_code == 200, name
            assert multiple.json()["success"] is False, name
        assert not Image.objects.exists()

        good = client.post(
            "/admin/images/add/",
            {
                "title": "Sports day",
                "file": SimpleUploadedFile("fine.gif", _gif()),
                "collection": 1,
                "description": "Pupils running a relay on the school field",
            },
        )
        assert good.status_code == 302
        assert Image.objects.get().title == "Sports day"


def test_every_uploaded_image_says_what_it_shows_or_is_marked_decorative(make_school, client_for):
    """Issue 16: an image's description is its alt text on the sites (WCAG 1.1.1)."""
    from wagtail.images.models import Image

    provisioned = make_school()
    client = client_for(provisioned.hostname)
    with schema_context(provisioned.school.schema_name):
        login_verified(client, get_user_model().objects.get(email=provisioned.invitations[-1].email))
        fields = {"title": "Sports day", "collection": 1}
        missing = client.post("/admin/images/add/", {**fields, "file": SimpleUploadedFile("a.gif", _gif())})
        assert missing.status_code == 200
        assert "Say what the image shows" in missing.content.decode()
        assert not Image.objects.exists()
        blank = client.post(
            "/admin/images/add/", {**fields, "file": SimpleUploadedFile("a.gif", _gif()), "description": "   "}
        )
        assert "Say what the image shows" in blank.content.decode()
        decorative = client.post(
            "/admin/images/add/", {**fields, "file": SimpleUploadedFile("a.gif", _gif()), "decorative": "on"}
        )
        assert decorative.status_code == 302
        assert Image.objects.get().description == ""
        # The choice is kept (a tag): the site-health check (5.6) tells it from an image nobody described.
        image = Image.objects.get()
        assert image_is_decorative(image)
        edit_form = client.get(f"/admin/images/{image.pk}/").content.decode()
        assert re.search(r'<input[^>]*name="decorative"[^>]*checked', edit_form)
        described = client.post(
            f"/admin/images/{image.pk}/", {**fields, "description": "Pupils running the relay", "tags": "decorative"}
        )
        assert described.status_code == 302
        assert not image_is_decorative(Image.objects.get())  # the checkbox decides, not the tag field
        # The multiple upload keeps the file as unfinished and asks for the description before the image exists.
        multiple = client.post(
            "/admin/images/multiple/add/",
            {"files[]": SimpleUploadedFile("b.gif", _gif()), "collection": 1},
            headers={"x-requested-with": "XMLHttpRequest"},
        )
        assert multiple.json()["success"] is True
        assert "Decorative image" in multiple.json()["form"]
        assert Image.objects.count() == 1


def test_a_document_downloads_with_its_type_and_name_and_no_made_up_content_encoding(school, client_for):
    """Wagtail's view sent ``Content-Encoding: None`` for every ordinary file (school_sections.views.media)."""
    from django.core.files.base import ContentFile

    with schema_context(school.school.schema_name):
        upload = ContentFile(demo_pdf("Timetable"), name="timetable.pdf")
        document = Document.objects.create(title="Timetable", file=upload)
    response = client_for(school.hostname).get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "timetable" in response["Content-Disposition"]
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content).startswith(b"%PDF")
