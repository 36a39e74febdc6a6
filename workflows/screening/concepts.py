"""Concept rules (issue 18): an idea the regulation prohibits, caught in wording no rule was written from.

A concept is lists of words that must meet in one sentence ("all"): a drug and a word calling it harmless; a
threat verb and a person; an organisation, a price and a phone number; unless a word of "none" is there too
(a prevention lesson, the school's own club). A concept of one list is for words that are prohibited
wherever they stand (a slur, a drug dealer's slang). Words are compared by the keys of their dictionary form
(``words``), so one entry covers every person, tense, case and plural, in kk, ru and en alike. ``<PRICE>``,
``<PHONE>`` and ``<URL>`` stand for a price or percentage, a phone number and a web address or @handle.

The concepts are data, one file per clause: workflows/fixtures/screening_concepts/<clause>.json.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from workflows.screening.normalise import plain
from workflows.screening.words import rule_word_keys, text_words

CONCEPTS = Path(__file__).resolve().parent.parent / "fixtures" / "screening_concepts"
TOKENS = {
    # A sum or a percentage: "5 000 тг", "15%", "40k", "300к", "20 тысяч", "10 мың", "2 млн".
    "<PRICE>": re.compile(
        r"\d[\d .,]{0,12}\s?(?:%|₸|\$|тг\b|тенге|теңге|tenge|kzt|руб|(?:k|к|тыс|тысяч\w*|мың|млн|mln)\b)",
        re.IGNORECASE,
    ),
    "<PHONE>": re.compile(r"(?:\+\s?7|\b8)[\s(.-]{0,2}7\d\d[\s).-]{0,2}\d{3}[\s.-]?\d\d[\s.-]?\d\d\b"),
    "<URL>": re.compile(
        r"https?://\S+|\bwww\.\S+|(?<!\w)@[a-z0-9_.]{3,}|\b[a-z0-9-]+\.(?:kz|ru|com|org|net|shop|bet)\b"
    ),
}
# A full stop before a digit is a number's ("7.5", "No. 5"), not a sentence's end.
_SENTENCE_END = re.compile(r"(?:[!?…;\n]|\.(?!\s?\d))+")
WINDOW_WORDS = 30  # a chat message with no full stop is read in windows of this many words, half overlapping


@dataclass(frozen=True)
class Concept:
    clause: str
    name: str
    groups: tuple[frozenset[str], ...]  # each must have a key in the sentence
    excluded: frozenset[str]


def _keys(entries: list[str]) -> frozenset[str]:
    keys: set[str] = set()
    for written in entries:
        entry = written.strip()
        if entry in TOKENS:
            keys.add(entry)
        elif entry:
            for word in entry.split():  # a multi-word entry counts by each of its words
                keys |= rule_word_keys(word)
    return frozenset(keys)


PREVENTION = CONCEPTS.parent / "screening_prevention.json"


@cache
def prevention_keys() -> frozenset[str]:
    """The school's own prevention work (a class hour, a leaflet, a psychologist's talk): in every concept's
    "none", so a lesson about drugs, bribes or bullying is not read as what it warns against."""
    return _keys(json.loads(PREVENTION.read_text(encoding="utf-8"))["none"])


@cache
def built_in_concepts() -> tuple[Concept, ...]:
    concepts = []
    for path in sorted(CONCEPTS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data["concepts"]:
            groups = tuple(_keys(group) for group in item["all"])
            if not groups or not all(groups):
                continue  # an empty list would match everything
            concepts.append(
                Concept(
                    clause=data["clause"],
                    name=item["name"],
                    groups=groups,
                    excluded=_keys(item.get("none", [])) | prevention_keys(),
                )
            )
    return tuple(concepts)


@dataclass
class _Unit:
    """A sentence (or a window of a long one): its words' keys and where each key is."""

    keys: dict[str, list[tuple[int, int]]]


def _units(text: str, wanted: dict) -> list[_Unit]:
    """The sentences (or windows) of ``text`` with the keys of their words that some concept names."""
    # Sentence ends are read where evasions are undone: the dots of "н.а.р.к.о.т.и.к.и" end no sentence.
    characters, origin = plain(text)
    ends = [origin[match.end() - 1] + 1 for match in _SENTENCE_END.finditer(characters)]
    sentences: dict[int, list[tuple[str, int, int]]] = {}
    for word in text_words(text):
        index = bisect.bisect_right(ends, word.start)
        # Every word counts for the window's width, even one no concept names (the key "" stands for it).
        named = [key for key in word.keys if key in wanted] or [""]
        for key in named:
            sentences.setdefault(index, []).append((key, word.start, word.end))
    for token, pattern in TOKENS.items():
        for match in pattern.finditer(text):
            sentences.setdefault(bisect.bisect_right(ends, match.start()), []).append(
                (token, match.start(), match.end())
            )
    units = []
    for items in sentences.values():
        positions = sorted({start for _key, start, _end in items})
        windows = [positions] if len(positions) <= WINDOW_WORDS else [
            positions[first : first + WINDOW_WORDS] for first in range(0, len(positions), WINDOW_WORDS // 2)
        ]  # fmt: skip
        for window in windows:
            low, high = window[0], window[-1]
            keys: dict[str, list[tuple[int, int]]] = {}
            for key, start, end in items:
                if low <= start <= high:
                    keys.setdefault(key, []).append((start, end))
            units.append(_Unit(keys))
    return units


_EXCLUDED = -1


@lru_cache(maxsize=8)
def _index(concepts: tuple[Concept, ...]) -> dict[str, tuple[tuple[int, int], ...]]:
    """For each key, the (concept, list) pairs it belongs to (list -1: the concept's "none")."""
    index: dict[str, list[tuple[int, int]]] = {}
    for number, concept in enumerate(concepts):
        for group_number, group in enumerate(concept.groups):
            for key in group:
                index.setdefault(key, []).append((number, group_number))
        for key in concept.excluded:
            index.setdefault(key, []).append((number, _EXCLUDED))
    return {key: tuple(pairs) for key, pairs in index.items()}


def concept_matches(text: str, concepts: tuple[Concept, ...] | None = None) -> Iterator[tuple[Concept, int, int]]:
    """Each (concept, start, end) found in ``text``: from the first to the last word that made it."""
    concepts = built_in_concepts() if concepts is None else concepts
    if not text or not concepts:
        return
    index = _index(concepts)
    for unit in _units(text, index):
        # From the sentence's keys to the concepts they touch: the cost follows the sentence, not the
        # number of concepts.
        lists_met: dict[int, set[int]] = {}
        excluded: set[int] = set()
        spans: dict[int, list[tuple[int, int]]] = {}
        for key, places in unit.keys.items():
            for number, group_number in index.get(key, ()):
                if group_number == _EXCLUDED:
                    excluded.add(number)
                else:
                    lists_met.setdefault(number, set()).add(group_number)
                    spans.setdefault(number, []).extend(places)
        for number, met in lists_met.items():
            concept = concepts[number]
            if len(met) == len(concept.groups) and number not in excluded:
                found = spans[number]
                yield concept, min(start for start, _end in found), max(end for _start, end in found)
