"""Uploads are checked by what they contain, not by what they are called (issue: uploads; issue 13).

Documents are only named, so a program renamed ``report.pdf`` would pass; here each
file's first bytes must match its extension's kind. Images are opened by Wagtail with
Willow, which refuses what is not one at all; but a file that starts like a GIF and
then breaks made Pillow raise past Wagtail's checks (a 500), or was accepted and
failed later, when a thumbnail was made. Here an image must decode whole, as every
rendition will, or the form says it is broken.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image as PillowImage
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# Extension -> what its content must be detected as (filetype's extension), or a
# special check: "text" (UTF-8 text without control bytes) or "ole" (old Office).
EXPECTED_CONTENT = {
    "pdf": {"pdf"},
    "docx": {"docx", "zip"},
    "xlsx": {"xlsx", "zip"},
    "pptx": {"pptx", "zip"},
    "odt": {"odt", "zip"},
    "zip": {"zip"},
    "doc": {"ole"},
    "xls": {"ole"},
    "rtf": {"rtf"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
    "txt": {"text"},
    "csv": {"text"},
}
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEAD_BYTES = 8192


def _detected(head: bytes) -> set[str]:
    kinds = set()
    kind = filetype.guess(head)
    if kind is not None:
        kinds.add(kind.extension)
    if head.startswith(_OLE_SIGNATURE):
        kinds.add("ole")
    if head.startswith(b"{\\rtf"):
        kinds.add("rtf")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = None
        # A multi-byte letter may be cut at the end of the sample.
        for cut in range(1, 4):
            try:
                text = head[:-cut].decode("utf-8")
                break
            except UnicodeDecodeError:
                continue
    if text is not None and not any(ord(char) < 9 or 13 < ord(char) < 32 for char in text):
        kinds.add("text")
    return kinds


# Office files are ZIP archives; what makes one a document is a member that says so.
_ZIP_MARKERS = {
    "docx": "[Content_Types].xml",
    "xlsx": "[Content_Types].xml",
    "pptx": "[Content_Types].xml",
    "odt": "mimetype",
}


def _zip_has(uploaded, member: str) -> bool:
    position = uploaded.tell()
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            return member in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        uploaded.seek(position)


def document_content_check(uploaded) -> None:
    """Raise ``ValidationError`` unless the file's content is of the kind its extension says."""
    extension = PurePath(uploaded.name).suffix.lower().lstrip(".")
    expected = EXPECTED_CONTENT.get(extension)
    if expected is None:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted. Accepted: %(accepted)s.")
            % {"extension": extension or "?", "accepted": ", ".join(sorted(EXPECTED_CONTENT))}
        )
    position = uploaded.tell()
    uploaded.seek(0)
    head = uploaded.read(_HEAD_BYTES)
    uploaded.seek(position)
    if not head:
        raise ValidationError(_("The file is empty."))
    matches = bool(expected & _detected(head))
    if matches and extension in _ZIP_MARKERS:
        matches = _zip_has(uploaded, _ZIP_MARKERS[extension])
    if not matches:
        raise ValidationError(
            _("This file does not contain what its name says (.%(extension)s). Save it again in that format.")
            % {"extension": extension}
        )


class CheckedDocumentForm(BaseDocumentForm):
    """Wagtail's document form (WAGTAILDOCS_DOCUMENT_FORM_BASE), checking the file's content."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            document_content_check(uploaded)
        return uploaded


def _broken_image() -> ValidationError:
    return ValidationError(
        _("This image is damaged or incomplete and cannot be shown. Save it again in an image editor and upload it."),
        code="invalid_image",
    )


def image_decode_check(uploaded) -> None:
    """Raise ``ValidationError`` unless the image decodes: its first frame whole, and its EXIF data.

    That is what every rendition reads (Willow's ``auto_orient``, then a resize). Pillow reports a broken
    file with many kinds of errors (OSError, SyntaxError, EOFError, ValueError, struct.error…), so any
    error here means the file is broken. The pixel count was already checked by Wagtail's field.
    """
    position = uploaded.tell()
    try:
        uploaded.seek(0)
        with PillowImage.open(uploaded) as image:
            image.load()
            image.getexif()
    except Exception as error:
        raise _broken_image() from error
    finally:
        uploaded.seek(position)


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, refusing with a form error an image it could not read or decode."""

    def to_python(self, data):
        try:
            image_file = super().to_python(data)
        except ValidationError:
            raise
        except Exception as error:
            raise _broken_image() from error
        if image_file is not None:
            image_decode_check(image_file)
        return image_file


# The uploader's "decorative" choice, kept as a tag of the image (Wagtail's image model has no field for it,
# and a model of our own would be a migration across every school): the site-health check (clause 5.6)
# then tells a decorative image from one nobody described.
DECORATIVE_TAG = "decorative"


def image_is_decorative(image) -> bool:
    """Whether the uploader marked ``image`` decorative (reads prefetched tags when there are some)."""
    return any(tag.name == DECORATIVE_TAG for tag in image.tags.all())


class CheckedImageForm(BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE) for every upload: single, multiple, chooser.

    Every image says what it shows (its description is its ``alt`` text on the sites, WCAG 1.1.1), or is
    marked decorative, which leaves the description empty and the ``alt`` empty on purpose. Wagtail's
    multiple upload keeps a file whose form asks for more as an unfinished upload and shows this form.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            self.fields["description"].required = False
            self.fields["description"].help_text = _(
                "What the image shows, in a sentence: it is read aloud to people who cannot see it."
            )
            self.fields["decorative"] = forms.BooleanField(
                required=False,
                label=_("Decorative image"),
                help_text=_("Tick this only if the image adds nothing a reader needs (a border, a pattern)."),
                initial=bool(self.instance.pk) and image_is_decorative(self.instance),
            )
        field = self.fields.get("file")
        if field is not None and not isinstance(field, CheckedImageField):
            # Wagtail builds the field in its form factory; this keeps its label, widget and help.
            checked = CheckedImageField(label=field.label, required=field.required, widget=field.widget)
            checked.help_text = field.help_text
            self.fields["file"] = checked

    def save(self, commit=True):
        image = super().save(commit=commit)
        if "decorative" not in self.fields:
            return image
        if commit:
            self._decorative_mark(image)
        else:  # the caller saves the image, then the tags with save_m2m()
            save_m2m = self.save_m2m

            def save_m2m_and_mark():
                save_m2m()
                self._decorative_mark(image)

            self.save_m2m = save_m2m_and_mark
        return image

    def _decorative_mark(self, image) -> None:
        # After the form's own tags are written: the checkbox decides, whatever the tag field said.
        if self.cleaned_data.get("decorative"):
            image.tags.add(DECORATIVE_TAG)
        else:
            image.tags.remove(DECORATIVE_TAG)

    def clean(self):
        cleaned = super().clean()
        if "description" in self.fields:
            if cleaned.get("decorative"):
                cleaned["description"] = ""
            elif not (cleaned.get("description") or "").strip():
                self.add_error(
                    "description",
                    _("Say what the image shows, or tick “Decorative image” if it adds nothing a reader needs."),
                )
        return cleaned
