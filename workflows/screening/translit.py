"""Russian and Kazakh typed in Latin letters ("kupi narkotiki", "esirtki satamyz"), read in Cyrillic (issue 18).

People type Russian and Kazakh in Latin letters on phones without a Cyrillic keyboard, and to slip past a
filter. A sentence of Latin letters that is not English (none of the words English cannot go without) is
read a second time, transliterated: its words get the keys of their Cyrillic reading too. An English
sentence is left alone, so "drug" is never read as "друг".
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words nearly every English sentence of four words or more has one of. Not those that are also Russian
# words typed in Latin letters: a, i, no, to, on, do, so, by (а, и, но, то, он, до, со, бы).
_ENGLISH = frozenset(
    """an the and or but if of in at for from with without about into over under after before
    is are was were be been being am does did done have has had will would can could shall should may
    might must not yes this that these those there here it its he she they we you me my your our their
    his her him them us what who whom which when where why how all any some every each more most very
    just also only than then too as up out off again now get got go going gone come make made know
    please thanks hi hello dear one two new good best free school class""".split()  # noqa: SIM905 (a word list reads as one)
)
_SENTENCE = re.compile(r"[^.!?…;\n]+")
_LATIN_WORD = re.compile(r"[a-z']+")
# Longest first: "shch" before "sh" before "s".
_LETTERS = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"), ("ts", "ц"),
    ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("ju", "ю"), ("ja", "я"), ("jo", "ё"),
    ("gh", "г"), ("ng", "нг"), ("ee", "и"), ("oo", "у"), ("x", "кс"),
    ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"),
    ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("y", "ы"),
    ("z", "з"), ("'", "ь"),
)  # fmt: skip
_LETTER = re.compile("|".join(re.escape(latin) for latin, _cyrillic in _LETTERS))
_CYRILLIC = dict(_LETTERS)
_MIN_WORDS = 2
_CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")


def translit_spans(lowered: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``lowered`` written in Latin letters that is not English."""
    spans = []
    for sentence in _SENTENCE.finditer(lowered):
        words = _LATIN_WORD.findall(sentence.group())
        # One Latin word is enough in a sentence of Cyrillic ones ("продаю narkotiki").
        enough = len(words) >= _MIN_WORDS or (words and _CYRILLIC_LETTER.search(sentence.group()))
        if enough and not _ENGLISH.intersection(words):
            spans.append(sentence.span())
    return spans


@lru_cache(maxsize=50_000)
def cyrillic_reading(word: str) -> str:
    """The Cyrillic reading of a lowercase Latin word ("narkotiki" -> "наркотики")."""
    reading = _LETTER.sub(lambda match: _CYRILLIC[match.group()], word)
    # "y" after a vowel is "й" ("moy", "kupite tvoy"); at a word's start before a vowel it was taken above.
    return re.sub(r"(?<=[аеёиоуыэюя])ы", "й", reading)
