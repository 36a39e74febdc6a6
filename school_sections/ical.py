"""iCalendar content lines (RFC 5545, section 3.1 and 3.3.11), written so that no text can add a property.

A property is one line; a calendar app reads a bare CR, a LF or any line break as the end of it, so an
event titled ``"Party\\rATTACH:https://evil"`` would otherwise carry a property of the attacker's. Every
line break in a text becomes the escaped ``\\n``, every other control character is dropped, and each
content line is folded at 75 octets without cutting a UTF-8 character. (No iCalendar library is in the
project's virtualenv; these few rules are the whole of what the feed needs.)
"""

from __future__ import annotations

import datetime
import re
import unicodedata

# Everything a reader may take for the end of a line: CRLF, CR, LF, and Unicode's own line breaks.
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_FOLD_AT = 75  # octets per line, the line break excluded (RFC 5545, 3.1)


def _without_controls(value: str) -> str:
    """``value`` without control characters (category Cc), but the tab, which TEXT allows."""
    return "".join(char for char in value if char == "\t" or unicodedata.category(char) != "Cc")


def ical_text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): line breaks escaped as ``\\n``; ``\\``, ``;`` and ``,`` escaped."""
    lines = [_without_controls(line) for line in _LINE_BREAKS.split(value)]
    escaped = [line.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,") for line in lines]
    return "\\n".join(escaped)


def ical_time(value: datetime.datetime) -> str:
    """A DATE-TIME in UTC (RFC 5545, 3.3.5, form 2)."""
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def ical_line(name: str, value: str) -> str:
    """One content line ``NAME:value``, folded (CRLF and a space) so that no line exceeds 75 octets.

    ``value`` must already be in its type's form (``ical_text`` for TEXT); control characters left in
    it are dropped all the same, so that nothing given here can end the line early.
    """
    line = f"{name}:{_without_controls(value)}"
    pieces, piece, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if size + width > _FOLD_AT:
            pieces.append("".join(piece))
            piece, size = [], 1  # a continuation line starts with the space that folds it
        piece.append(char)
        size += width
    pieces.append("".join(piece))
    return "\r\n ".join(pieces)


def ical_calendar(properties: list[tuple[str, str]]) -> str:
    """The calendar's text: each (name, value) a folded content line, each line ended by CRLF."""
    return "".join(ical_line(name, value) + "\r\n" for name, value in properties)
