"""Reading a CSV file of schools, streamed and bounded: a file is read a line at a time, never whole.

Whatever the bytes, reading ends in one of two ways, never in a traceback: the file is refused whole
(``ImportFileError``, with a message that says why and where), or it becomes rows, some of them already
refused with their problems (a NUL byte, a control character, an overlong value, more values than
columns). A refused row is never handed to the database: its shown values are cut and cleaned.

The limits are documented in the README ("Onboarding many schools"): ``MAX_FILE_BYTES``, ``MAX_ROWS``,
``MAX_LINE_BYTES``, ``MAX_VALUE_CHARS``.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from provisioning.services import ProvisionedSchool, SchoolDetails

REQUIRED_COLUMNS = (
    "name_kk", "name_ru", "short_name", "bin", "region", "district", "address",
    "subdomain", "head_full_name", "head_email",
)  # fmt: skip
OPTIONAL_COLUMNS = ("name_en", "administrator_full_name", "administrator_email")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

MAX_FILE_BYTES = 10 * 1024 * 1024  # about 10,000 schools; a region has hundreds, the country some 7,500
MAX_ROWS = 10_000
MAX_LINE_BYTES = 64 * 1024  # a school's line is well under 2 KB; csv's own limit (131,072) would raise
MAX_VALUE_CHARS = 1_000  # above every column's length in the database (300 at most)
MAX_LINES_PER_ROW = 20  # a quoted value may hold line breaks, but not a whole file after an unclosed quote
CHUNK_BYTES = 64 * 1024
_LONE_CR = re.compile(r"(?<=\r)(?!\n|$)")
SHOWN_CHARS = 100  # how much of a refused row's value the report shows


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


class RowOutcome(StrEnum):
    CREATED = "created"
    ALREADY_THERE = "already there"
    REFUSED = "refused"


@dataclass
class ImportRow:
    number: int  # the line in the file, counting the header as line 1
    details: SchoolDetails
    outcome: RowOutcome | None = None
    problems: list[str] = field(default_factory=list)
    provisioned: ProvisionedSchool | None = None


def _is_not_text(char: str) -> bool:
    # NUL and other control characters (but tab and line breaks), and U+FFFD, which stands for bytes that were
    # not text (the console keeps an upload's NUL bytes as U+FFFD, as PostgreSQL stores no NUL).
    return char == "\ufffd" or (char not in "\t\r\n" and unicodedata.category(char) == "Cc")


def shown(value: str) -> str:
    """A value fit to show and to store in a report: no characters that are not text, cut to SHOWN_CHARS."""
    cleaned = "".join("\ufffd" if _is_not_text(char) else char for char in value[: SHOWN_CHARS + 1])
    return cleaned if len(cleaned) <= SHOWN_CHARS else cleaned[:SHOWN_CHARS] + "…"


def _not_utf8(line: int) -> ImportFileError:
    return ImportFileError(
        _("The file is not UTF-8 text (line %(line)d). Save it as “CSV UTF-8” and try again.") % {"line": line}
    )


def _text_lines(source: BinaryIO) -> Iterator[str]:
    """The file's lines as text, one at a time, each at most MAX_LINE_BYTES."""
    for number in itertools.count(1):
        raw = source.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            message = _("Line %(line)d is longer than %(limit)d bytes; a school's line is far shorter.")
            raise ImportFileError(message % {"line": number, "limit": MAX_LINE_BYTES})
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _not_utf8(number) from None
        # A lone CR ends a line too, as when a file is opened with newline="" (csv's own advice): a file saved
        # with old Mac line ends reads as lines, and csv sees each CR where it can tell quoted from not.
        yield from _LONE_CR.split(text)


def _header(first_line: str) -> tuple[list[str], str]:
    if "\x00" in first_line:
        raise _not_utf8(1)
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    header = [name.strip().lower() for name in next(csv.reader([first_line], delimiter=delimiter), [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFileError(_("The file lacks these columns: %(columns)s.") % {"columns": ", ".join(missing)})
    return header, delimiter


def _line_problems(values: dict[str, str], extra: list[str]) -> list[str]:
    problems = []
    if any(_is_not_text(char) for value in values.values() for char in value):
        problems.append(
            _("This line holds characters that are not text (a NUL byte, say): check how the file was saved.")
        )
    if any(len(value) > MAX_VALUE_CHARS for value in values.values()):
        problems.append(_("A value on this line is longer than %(limit)d characters.") % {"limit": MAX_VALUE_CHARS})
    if any(value.strip() for value in extra):
        problems.append(_("This line has more values than the file has columns (a comma in a value without quotes?)."))
    return problems


def _utf8_check(source: BinaryIO) -> None:
    """Refuse a file that is not UTF-8 before reading any row (a file saved as Windows-1251, say), a chunk at a
    time; the source is left at its start."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    while chunk := source.read(CHUNK_BYTES):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            line += chunk[: exc.start].count(b"\n")
            raise _not_utf8(line) from None
        line += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise _not_utf8(line) from None
    source.seek(0)


def school_rows_stream(source: BinaryIO) -> Iterator[ImportRow]:
    """The file's rows, one at a time (no checks against the database yet); raises ``ImportFileError`` when
    the file as a whole cannot be read, which may be on its last line: take every row before acting on any."""
    if source.read(2) in (b"\xff\xfe", b"\xfe\xff"):
        raise ImportFileError(_("The file is saved as UTF-16. Save it as “CSV UTF-8” and try again."))
    source.seek(0)
    _utf8_check(source)
    lines = _text_lines(source)
    first_line = next((line for line in lines if line.strip()), None)
    if first_line is None:
        raise ImportFileError(_("The file is empty."))
    header, delimiter = _header(first_line)
    reader = csv.reader(itertools.chain([first_line], lines), delimiter=delimiter)
    next(reader)
    count = 0
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ImportFileError(
                _("Line %(line)d cannot be read as CSV: %(reason)s.") % {"line": start, "reason": exc}
            ) from None
        if reader.line_num - start >= MAX_LINES_PER_ROW:
            raise ImportFileError(
                _("A quote opened on line %(line)d is not closed; check the quotes of that line.") % {"line": start}
            )
        values = {name: value.strip() for name, value in zip(header, record, strict=False) if name in COLUMNS}
        if not any(values.values()):
            continue  # a blank line
        count += 1
        if count > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)d schools; split it into several files.") % {"limit": MAX_ROWS}
            )
        problems = _line_problems(values, record[len(header) :])
        if problems:
            values = {name: shown(value) for name, value in values.items()}
        row = ImportRow(number=start, details=SchoolDetails.from_columns(values), problems=problems)
        if problems:
            row.outcome = RowOutcome.REFUSED
        yield row


def _rows(source: BinaryIO) -> list[ImportRow]:
    rows = list(school_rows_stream(source))
    if not rows:
        raise ImportFileError(_("The file has a header but no schools."))
    return rows


def school_rows_read(content: bytes | str) -> list[ImportRow]:
    """Every row of a file held in memory (the console's upload, at most a few MB); raises ``ImportFileError``."""
    if isinstance(content, str):
        content = content.encode("utf-8", errors="surrogatepass")
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_file_too_large(len(content)))
    return _rows(io.BytesIO(content))


def school_rows_read_file(path: Path) -> list[ImportRow]:
    """Every row of a file on disk, streamed; a file over MAX_FILE_BYTES is refused before it is read.
    Raises ``ImportFileError``, or ``OSError`` when the file cannot be opened."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportFileError(_file_too_large(size))
    with path.open("rb") as source:
        return _rows(source)


def _file_too_large(size: int) -> str:
    return _("The file has %(size).1f MB; the import takes files up to %(limit)d MB. Split it into several files.") % {
        "size": size / 1024 / 1024,
        "limit": MAX_FILE_BYTES // 1024 // 1024,
    }
