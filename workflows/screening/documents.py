"""The text of an uploaded document, where it can be extracted (clause 3.3 screens it too).

PDF through pypdf; Office Open XML and OpenDocument files are zip archives of XML
whose text is read directly; plain text and CSV as they are. Old binary Office
files and images are not read. Texts are cached by the file's hash, so a document
linked from many pages is read once.
"""

from __future__ import annotations

import logging
import re
import zipfile
from html import unescape

from django.core.cache import cache

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000
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


def _pdf_text(file) -> str:
    from pypdf import PdfReader

    reader = PdfReader(file)
    parts, size = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > MAX_TEXT_CHARS:
            break
    return _hyphenation_joined("\n".join(parts))


def file_text(file, extension: str) -> str:
    """The text of an open binary ``file`` with this extension ("" where none can be read)."""
    extension = extension.lower()
    if extension == "pdf":
        return _pdf_text(file)
    if extension in _XML_MEMBERS:
        return _zip_text(file, _XML_MEMBERS[extension])
    if extension in ("txt", "csv"):
        return file.read(MAX_TEXT_CHARS * 4).decode("utf-8", errors="replace")
    return ""


def document_text(document) -> str:
    """The extractable text of a Wagtail document, cached by its file's hash."""
    key = f"screening-document-text:{document.get_file_hash()}"
    text = cache.get(key)
    if text is None:
        try:
            with document.open_file() as file:
                text = file_text(file, document.file_extension)[:MAX_TEXT_CHARS]
        except Exception:  # a damaged file is not a reason to stop a review; its title is still screened
            logger.warning("Could not read the text of document %s", document.pk, exc_info=True)
            text = ""
        cache.set(key, text, CACHE_SECONDS)
    return text
