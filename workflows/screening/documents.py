"""The text of an uploaded document, where it can be extracted (clause 3.3 screens it too).

PDF through pypdf; Office Open XML and OpenDocument files are zip archives of XML
whose text is read directly; plain text and CSV as they are. Texts are cached by the
file's hash, so a document linked from many pages is read once.

A document is read whole (up to ``MAX_TEXT_CHARS``, a bound against archives that
unpack to gigabytes). One screening cannot read — a damaged or password-protected
file, a scan with no text layer, an old binary Office file, an image — is reported
(``DocumentText.problem``): the administrator looks at it, screening does not pass it.
"""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass
from html import unescape

from django.core.cache import cache

logger = logging.getLogger(__name__)

# About 600 pages of dense text: a school document is far shorter, a zip bomb is not read to the end.
MAX_TEXT_CHARS = 2_000_000
CACHE_SECONDS = 30 * 24 * 3600
_XML_MEMBERS = {
    # The body, headers and footers, and what a reader also sees in Word: footnotes, endnotes, comments.
    "docx": ("word/document.xml", "word/header", "word/footer", "word/footnotes", "word/endnotes", "word/comments"),
    "xlsx": ("xl/sharedStrings.xml",),
    "pptx": ("ppt/slides/slide",),
    "odt": ("content.xml",),
    "ods": ("content.xml",),
    "odp": ("content.xml",),
}
_TAG = re.compile(r"<[^>]+>")
# Paragraph-like XML elements end a line, so words of two paragraphs do not run together.
_BREAK = re.compile(r"</(w:p|a:p|text:p|text:h|si)>|<(w:br|w:cr|a:br|text:line-break)\b[^>]*/>")
# Tabs and ODF's run of spaces are elements, not characters: without a space two words would be glued.
_SPACE = re.compile(r"<(w:tab|text:tab|text:s)\b[^>]*/>")
# A word hyphenated at a line end in a PDF ("нарко-" / "тики"): joined when the line goes on in lower case.
_LINE_END_HYPHEN = re.compile(r"(?<=\w)[-\u00ad\u2010][ \t]*\n[ \t]*(?=([^\W\d_]))")


def _hyphenation_joined(text: str) -> str:
    # "Алма-" / "Ата" (a capital goes on) is a hyphenated name, kept; "нарко-" / "тики" is one word.
    return _LINE_END_HYPHEN.sub(lambda match: "" if match.group(1).islower() else match.group(0), text)


def _xml_text(xml: bytes) -> str:
    text = xml.decode("utf-8", errors="replace")
    text = _SPACE.sub(" ", _BREAK.sub("\n", text))
    return unescape(_TAG.sub("", text))


def _zip_text(file, prefixes) -> str:
    with zipfile.ZipFile(file) as archive:
        names = sorted(name for name in archive.namelist() if name.startswith(prefixes) and name.endswith(".xml"))
        return "\n".join(_xml_text(archive.read(name)) for name in names)


# The clause a document that was not read whole is reported under: all of 3.3 (it may hold anything).
CLAUSE_UNREAD = "3.3"
# Why a document was not (wholly) read, as stored with the findings; labels in ``DocumentText.problem_label``.
PROBLEM_FORMAT = "format"  # a format screening does not read (old .doc, an image, an archive)
PROBLEM_DAMAGED = "damaged"  # the file is damaged or protected by a password
PROBLEM_NO_TEXT = "no-text"  # a PDF with pages but no text layer: a scan
PROBLEM_TOO_LONG = "too-long"  # read only up to MAX_TEXT_CHARS

READ_FORMATS = frozenset({"pdf", "txt", "csv", *_XML_MEMBERS})


@dataclass(frozen=True)
class DocumentText:
    text: str
    problem: str = ""  # one of the PROBLEM_* codes, "" when read whole


def _pdf_text(file) -> tuple[str, bool]:
    """The PDF's text, and whether it has a text layer at all (a scan has pages of images only)."""
    from pypdf import PdfReader

    reader = PdfReader(file)
    # Many PDFs are "encrypted" with an empty password, against editing only: those are read.
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("the PDF is protected by a password")
    parts, size = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > MAX_TEXT_CHARS:
            break
    text = "\n".join(parts)
    return _hyphenation_joined(text), bool(text.strip()) or not reader.pages


def file_text(file, extension: str) -> str:
    """The text of an open binary ``file`` with this extension ("" where none can be read)."""
    return file_document_text(file, extension).text


def file_document_text(file, extension: str) -> DocumentText:
    """The text of an open binary ``file`` with this extension, and what stopped it being read whole."""
    extension = extension.lower()
    if extension not in READ_FORMATS:
        return DocumentText("", PROBLEM_FORMAT)
    try:
        has_text = True
        if extension == "pdf":
            text, has_text = _pdf_text(file)
        elif extension in _XML_MEMBERS:
            text = _zip_text(file, _XML_MEMBERS[extension])
        else:
            text = file.read(MAX_TEXT_CHARS * 4 + 1).decode("utf-8", errors="replace")
    except Exception:  # pypdf and zipfile raise many kinds; to the administrator it is one thing
        logger.warning("Could not read the text of a .%s file", extension, exc_info=True)
        return DocumentText("", PROBLEM_DAMAGED)
    if not has_text:
        return DocumentText("", PROBLEM_NO_TEXT)
    if len(text) > MAX_TEXT_CHARS:
        return DocumentText(text[:MAX_TEXT_CHARS], PROBLEM_TOO_LONG)
    return DocumentText(text)


def document_text(document) -> DocumentText:
    """The text of a Wagtail document and what kept it from being read whole, cached by the file's hash."""
    key = f"screening-document-text:v2:{document.get_file_hash()}"
    found = cache.get(key)
    if found is None:
        try:
            with document.open_file() as file:
                found = file_document_text(file, document.file_extension)
        except OSError:  # the stored file is missing: nothing to read, and nothing cached either
            logger.warning("The file of document %s cannot be opened", document.pk, exc_info=True)
            return DocumentText("", PROBLEM_DAMAGED)
        cache.set(key, found, CACHE_SECONDS)
    return found
