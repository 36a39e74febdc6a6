"""The folded form of a text that screening rules are matched against (clause 3.3).

Two steps. ``plain`` undoes what an author may do to slip a word past a filter and a reader would not
notice: invisible characters (zero-width spaces, soft hyphens), accents added on top of letters,
full-width and "mathematical" letters, Greek look-alikes, and words written letter by letter
("н а р к о т и к и", "d.r.u.g.s"); it keeps, for every character it gives, the offset of the
character of the original it came from, so a match is shown in the text as written. ``fold`` then
keeps one character for one character. It makes rules
tolerant of what people type: letter case, the letter yo, Kazakh letters typed as
Russian ones (and the other way round), and look-alike letters of the other script
slipped inside a word (a Latin "y" in a Russian word) to get past a filter. The
character tables are data: workflows/fixtures/screening_folding.json.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_TABLES = json.loads(
    (Path(__file__).resolve().parent.parent / "fixtures" / "screening_folding.json").read_text(encoding="utf-8")
)


def _table(name: str) -> dict:
    return str.maketrans(_TABLES[name]["from"], _TABLES[name]["to"])


# Kazakh letters folded to the Russian letter people type instead of them: one letter for one (no target is
# also a source, so the order of the passes does not matter: tested), done as a ``str.replace`` per letter
# (each a pass in C; ``str.translate`` looks every character of a Cyrillic text up in a dictionary: 3.3 ms
# a page against 0.3).
_KAZAKH_FOLD = tuple(zip(_TABLES["kazakh_to_russian"]["from"], _TABLES["kazakh_to_russian"]["to"], strict=True))


def _kazakh_folded(text: str) -> str:
    for source, target in _KAZAKH_FOLD:
        text = text.replace(source, target)
    return text


# Latin letters (and digits) that look like Cyrillic ones, inside a mostly Cyrillic word.
_LATIN_TO_CYRILLIC = _table("latin_to_cyrillic")
# Cyrillic letters that look like Latin ones, inside a mostly Latin word.
_CYRILLIC_TO_LATIN = _table("cyrillic_to_latin")

_WORD = re.compile(r"\w+")

# Characters that show nothing (or only at a line end) but split a word for a machine.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
)
# Greek letters that look like Latin ones; a Latin letter inside a Cyrillic word is folded further by ``fold``.
_GREEK_LOOK_ALIKES = str.maketrans("αβεηικμνοπρτυχωςΑΒΕΗΙΚΜΝΟΡΤΥΧ", "abenikmvoprtyxwcABEHIKMNOPTYX")
# Four or more single letters joined by one separator each: a word written letter by letter. (Three would
# join ordinary Russian prepositions and conjunctions, "а и в".)
# The same separator throughout: "к.у.п.и.т.е н.а.р.к.о.т.и.к.и" is two words, not one.
_SPACED_LETTERS = re.compile(r"(?<!\w)[^\W\d_](?P<separator>[ .\-_*·•])(?:[^\W\d_](?P=separator)){2,}[^\W\d_](?!\w)")


def _plain_character(character: str) -> str:
    if character in _INVISIBLE:
        return ""
    composed = unicodedata.normalize("NFKC", character).translate(_GREEK_LOOK_ALIKES)
    # An accent typed on its own after a letter (a combining mark) is not part of any word a rule names.
    return "".join(part for part in composed if not unicodedata.combining(part))


# What ``_plain_character`` may change: anything but ASCII and the Cyrillic letters (not its combining
# marks, U+0483-0489). Runs of ordinary characters between these are copied as they are.
_UNUSUAL = re.compile(r"[^\x00-\x7f\u0400-\u0482\u048a-\u04ff]+")


@lru_cache(maxsize=4)  # the phrase rules and the concepts read the same text one after the other
def plain(text: str) -> tuple[str, list[int]]:
    """``text`` with evasions undone, and for each of its characters the offset in ``text`` it came from."""
    if not _UNUSUAL.search(text):
        characters, origin = text, list(range(len(text)))
    else:
        pieces: list[str] = []
        origin = []
        position = 0
        for run in _UNUSUAL.finditer(text):
            pieces.append(text[position : run.start()])
            origin.extend(range(position, run.start()))
            for offset in range(run.start(), run.end()):
                replacement = _plain_character(text[offset])
                pieces.append(replacement)
                origin.extend([offset] * len(replacement))
            position = run.end()
        pieces.append(text[position:])
        origin.extend(range(position, len(text)))
        characters = "".join(pieces)
    if not _SPACED_LETTERS.search(characters):
        return characters, origin
    kept_characters, kept_origin, position = [], [], 0
    for match in _SPACED_LETTERS.finditer(characters):
        kept_characters.append(characters[position : match.start()])
        kept_origin.extend(origin[position : match.start()])
        for offset in range(match.start(), match.end(), 2):  # the letters, not the separators
            kept_characters.append(characters[offset])
            kept_origin.append(origin[offset])
        position = match.end()
    kept_characters.append(characters[position:])
    kept_origin.extend(origin[position:])
    return "".join(kept_characters), kept_origin


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _is_latin(char: str) -> bool:
    return "a" <= char <= "z"


def script_readings(word: str) -> frozenset[str]:
    """A word mixing Cyrillic and Latin letters read wholly in each script ("саsinо": "сасино", "casino");
    ``fold`` picks the script of the most letters, which a tie ("саsinо" is three and three) leaves open."""
    return frozenset({word.translate(_LATIN_TO_CYRILLIC), word.translate(_CYRILLIC_TO_LATIN)}) - {word}


_CYRILLIC_DIGIT = re.compile(r"(?<=[^\W\d_])[46](?=[^\W\d_])")
_DIGIT_LETTERS = {"6": "б", "4": "ч"}

# Digits typed for Latin letters ("w33d", "n4rk0tik", "k1ll").
_LEET = str.maketrans("013456789", "oieastbbg")
_DIGIT_BETWEEN_LETTERS = re.compile(r"[a-z]\d+[a-z]")


def _look_alikes_folded(word: str) -> str:
    cyrillic = sum(1 for char in word if _is_cyrillic(char))
    latin = sum(1 for char in word if _is_latin(char))
    # Digits count as look-alikes only inside real words (a zero for an "o"), not in "3A" (a class name).
    if cyrillic and (latin or (cyrillic >= 2 and any(char in "0346" for char in word))):
        if cyrillic >= latin:
            # A 6 for "б", a 4 for "ч" between two letters ("за6ьём"); "4сынып" is a class, not "чсынып".
            word = _CYRILLIC_DIGIT.sub(lambda digit: _DIGIT_LETTERS[digit.group()], word)
            word = word.translate(_LATIN_TO_CYRILLIC)
        else:
            word = word.translate(_CYRILLIC_TO_LATIN)
    elif not cyrillic and latin >= 2 and _DIGIT_BETWEEN_LETTERS.search(word):  # not "10k", "9B", "night18"
        word = word.translate(_LEET)
    return word


# Where a Cyrillic letter meets another word character (a Latin letter, a digit), or a Latin letter a digit:
# only the words around such a place can hold look-alikes, so only those are looked at one by one.
_SCRIPT_BORDER = re.compile(
    r"[\u0400-\u04ff](?=[^\W\u0400-\u04ff])|[^\W\u0400-\u04ff](?=[\u0400-\u04ff])|[a-z](?=\d)|\d(?=[a-z])"
)


def lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few letters (e.g. the Turkish dotted I) grow when lowered; keep offsets exact.
    return "".join(char.lower()[0] for char in text)


@lru_cache(maxsize=4)
def fold(text: str) -> str:
    """``text`` lowered and folded, with the same length (offsets stay valid)."""
    lowered = lower_same_length(text)
    pieces, position = [], 0
    for border in _SCRIPT_BORDER.finditer(lowered):
        start = border.start()
        if start < position:  # a word already folded
            continue
        while start > position and _WORD.match(lowered[start - 1]):
            start -= 1
        end = _WORD.match(lowered, start).end()  # type: ignore[union-attr]  # a border is inside a word
        pieces.append(lowered[position:start])
        pieces.append(_look_alikes_folded(lowered[start:end]))
        position = end
    pieces.append(lowered[position:])
    return _kazakh_folded("".join(pieces))
