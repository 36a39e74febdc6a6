"""The folded form of a text that screening rules are matched against (clause 3.3).

Folding keeps one character for one character, so a match in the folded text has
the same offsets in the original and can be shown in context. It makes rules
tolerant of what people type: letter case, the letter yo, Kazakh letters typed as
Russian ones (and the other way round), and look-alike letters of the other script
slipped inside a word (a Latin "y" in a Russian word) to get past a filter. The
character tables are data: workflows/fixtures/screening_folding.json.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_TABLES = json.loads(
    (Path(__file__).resolve().parent.parent / "fixtures" / "screening_folding.json").read_text(encoding="utf-8")
)


def _table(name: str) -> dict:
    return str.maketrans(_TABLES[name]["from"], _TABLES[name]["to"])


# Kazakh letters folded to the Russian letter people type instead of them.
_KAZAKH_FOLD = _table("kazakh_to_russian")

# Latin letters (and digits) that look like Cyrillic ones, inside a mostly Cyrillic word.
_LATIN_TO_CYRILLIC = _table("latin_to_cyrillic")
# Cyrillic letters that look like Latin ones, inside a mostly Latin word.
_CYRILLIC_TO_LATIN = _table("cyrillic_to_latin")

_WORD = re.compile(r"\w+")


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _is_latin(char: str) -> bool:
    return "a" <= char <= "z"


def _fold_word(word: str) -> str:
    cyrillic = sum(1 for char in word if _is_cyrillic(char))
    latin = sum(1 for char in word if _is_latin(char))
    # Digits count as look-alikes only inside real words (a zero for an "o"), not in "3A" (a class name).
    if cyrillic and (latin or (cyrillic >= 2 and any(char in "03" for char in word))):
        word = word.translate(_LATIN_TO_CYRILLIC if cyrillic >= latin else _CYRILLIC_TO_LATIN)
    return word.translate(_KAZAKH_FOLD)


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few letters (e.g. the Turkish dotted I) grow when lowered; keep offsets exact.
    return "".join(char.lower()[0] for char in text)


def fold(text: str) -> str:
    """``text`` lowered and folded, with the same length (offsets stay valid)."""
    lowered = _lower_same_length(text)
    return _WORD.sub(lambda match: _fold_word(match.group()), lowered)
