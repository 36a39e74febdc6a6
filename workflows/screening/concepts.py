"""Concept rules (issue 18): an idea the regulation prohibits, caught in wording no rule was written from.

A concept is lists of words that must meet in one sentence ("all"): a drug and a word calling it harmless; a
threat verb and a person; an organisation, a price and a phone number; unless a word of "none" is there too
(a prevention lesson, the school's own club). A concept of one list is for words that are prohibited
wherever they stand (a slur, a drug dealer's slang). Words are compared by the keys of their dictionary form
(``words``), so one entry covers every person, tense, case and plural, in kk, ru and en alike. ``<PRICE>``,
``<PHONE>``, ``<URL>`` and ``<ADULT>`` stand for a price or percentage, a phone number, a web address or
@handle, and an adult-only mark ("18+", "🔞").

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
    # A sum or a percentage: "5 000 тг", "2500tg", "15%", "40k", "300к", "20 тысяч", "10 мың", "2 млн".
    "<PRICE>": re.compile(
        r"\d[\d .,]{0,12}\s?(?:%|₸|\$|тг\b|tg\b|тенге|теңге|tenge|kzt|руб|(?:k|к|тыс|тысяч\w*|мың|млн|mln)\b)",
        re.IGNORECASE,
    ),
    # Each token begins with a literal or a small set of characters, and what must not stand before it is
    # looked behind after it ("8(?<!\w8)", not "\b8"): the engine then skips to where such a character is
    # (100,000 characters of punctuation: 45 -> 7 ms).
    "<PHONE>": re.compile(r"(?:\+\s?7|8(?<!\w8))[\s(.-]{0,2}7\d\d[\s).-]{0,2}\d{3}[\s.-]?\d\d[\s.-]?\d\d\b"),
    # Adult-only material: "18+", "🔞", "xxx".
    "<ADULT>": re.compile(r"18(?<!\d18)\s?\+|\U0001f51e|xxx(?<!\wxxx)\b", re.IGNORECASE),
    "<URL>": re.compile(
        r"https?://\S+|www(?<!\wwww)\.\S+|@(?<!\w@)[a-z0-9_.]{3,}"
        r"|[a-z0-9](?<!\w[a-z0-9])[a-z0-9-]*\.(?:kz|ru|com|org|net|shop|bet)\b"
    ),
}
_LINE_END = re.compile(r"\n")


@lru_cache(maxsize=4)  # the concepts and the model read the same text one after the other
def token_spans(text: str) -> dict[str, tuple[tuple[int, int], ...]]:
    """Where each token (a price, a phone number, a link, an adult mark) stands in ``text``, in order (shared
    by the callers of one text: tuples)."""
    return {token: tuple(match.span() for match in pattern.finditer(text)) for token, pattern in TOKENS.items()}


# A full stop before a digit is a number's ("7.5", "No. 5"), not a sentence's end; nor after a title or an
# initial ("Mr. Harris", "Данияр К."), whose name goes on the same sentence. A question is not an end
# either: a chat's hook and its offer are one thought ("Нужны ответы на СОР? 1000 на каспи").
_SENTENCE_END = re.compile(
    # (the dot is matched first and the words before it looked at after: the regex engine tries every position)
    r"(?:[!…;\n]|\.(?<!\bmr\.)(?<!\bms\.)(?<!\bdr\.)(?<!\bst\.)(?<!\bmrs\.)(?-i:(?<!\b[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\.))(?!\s?\d))+",
    re.IGNORECASE,
)
WINDOW_WORDS = 30  # a chat message with no full stop is read in windows of this many words, half overlapping


@dataclass(frozen=True)
class Concept:
    clause: str
    name: str
    groups: tuple[frozenset[str], ...]  # each must have a key in the sentence
    excluded: frozenset[str]
    prevention: bool = False  # kept out of the school's prevention work (prevention_spans): the built-in ones


def _keys(entries: list[str]) -> frozenset[str]:
    keys: set[str] = set()
    for written in entries:
        entry = written.strip()
        if entry in TOKENS:
            keys.add(entry)
        elif entry:
            # A multi-word entry counts by each of its words. A hyphenated one ("ата-ана") stays whole and
            # meets no word of a text, whose words are split at hyphens: read by its parts it would meet
            # "ата" and "ана" everywhere (tried: false positives 5% -> 12%).
            for word in entry.split():
                keys |= rule_word_keys(word)
    return frozenset(keys)


PREVENTION = CONCEPTS.parent / "screening_prevention.json"


@cache
def prevention_keys() -> frozenset[str]:
    """The school's own prevention work (a class hour, a leaflet, a lecture): the words around one of these (its
    paragraph, up to ``PREVENTION_REACH`` words either side) are a lesson or a warning about prohibited
    content, and no built-in concept or phrase fires there."""
    return _keys(json.loads(PREVENTION.read_text(encoding="utf-8"))["none"])


@cache
def own_offer_keys() -> frozenset[str]:
    """The school's own sales (a charity fair and its proceeds): not advertising of another organisation."""
    return _keys(json.loads(PREVENTION.read_text(encoding="utf-8"))["own_offers"])


ADVERTISING = "3.3.5"


# How far the school's prevention word speaks, in words either side of it (within its paragraph): a lesson
# report's paragraph, whole; not a long post that mentions "prevention" once (an 87,000-character paragraph
# with one such word was read as nothing at all).
PREVENTION_REACH = 60
Span = tuple[int, int]


@dataclass(frozen=True)
class Shelters:
    """Where the school's prevention work (every built-in rule kept out) and its own offers (advertising kept
    out) speak for a text: for each, spans in order that do not overlap."""

    prevention: tuple[Span, ...]
    own_offers: tuple[Span, ...]

    def cover(self, clause: str, position: int) -> bool:
        """Whether a built-in rule's match of ``clause`` beginning at ``position`` is kept out."""
        return _within(self.prevention, position) or (clause == ADVERTISING and _within(self.own_offers, position))


def _within(spans: tuple[Span, ...], position: int) -> bool:
    last = bisect.bisect_right(spans, position, key=_span_start) - 1
    return last >= 0 and position < spans[last][1]


def _span_start(span: Span) -> int:
    return span[0]


@lru_cache(maxsize=4)  # the phrase rules and the concepts ask for the same text's
def prevention_spans(text: str) -> Shelters:
    """Where the school's prevention work or its own offer speaks for ``text``: around each such word, its
    paragraph (line) up to ``PREVENTION_REACH`` words either side."""
    prevention, own_offers = prevention_keys(), own_offer_keys()
    line_ends = [match.start() for match in _LINE_END.finditer(text)]
    words = text_words(text)
    spans: dict[bool, list[Span]] = {True: [], False: []}  # prevention work or not (the school's own offer)
    for number, word in enumerate(words):
        every = not prevention.isdisjoint(word.keys)
        if not (every or not own_offers.isdisjoint(word.keys)):
            continue
        paragraph = bisect.bisect_right(line_ends, word.start)
        low = line_ends[paragraph - 1] + 1 if paragraph else 0
        high = line_ends[paragraph] if paragraph < len(line_ends) else len(text)
        start = max(low, words[max(0, number - PREVENTION_REACH)].start)
        end = min(high, words[min(len(words) - 1, number + PREVENTION_REACH)].end)
        kind = spans[every]
        if kind and start <= kind[-1][1]:  # the words are in order: only the last span may overlap
            start = kind.pop()[0]
        kind.append((start, end))
    return Shelters(prevention=tuple(spans[True]), own_offers=tuple(spans[False]))


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
                    excluded=_keys(item.get("none", [])),
                    prevention=True,
                )
            )
    return tuple(concepts)


@dataclass
class _Unit:
    """A sentence (or a window of a long one): its words' keys and where each key is, and where it begins."""

    keys: dict[str, list[tuple[int, int]]]
    start: int  # where its first word or token begins


def _units(text: str, wanted: frozenset[str]) -> list[_Unit]:
    """The sentences (or windows) of ``text`` with the keys of their words that some concept names."""
    # Sentence ends are read where evasions are undone: the dots of "н.а.р.к.о.т.и.к.и" end no sentence.
    characters, origin = plain(text)
    ends = [origin[match.end() - 1] + 1 for match in _SENTENCE_END.finditer(characters)]
    # Each sentence's words and tokens as (start, end, the keys some concept names): every word counts for
    # the window's width, even one no concept names.
    sentences: dict[int, list[tuple[int, int, frozenset[str]]]] = {}
    named: dict[frozenset[str], frozenset[str]] = {}  # a word's keys -> those a concept names (words repeat)
    for word in text_words(text):
        keys = named.get(word.keys)
        if keys is None:
            keys = named[word.keys] = word.keys & wanted
        sentences.setdefault(bisect.bisect_right(ends, word.start), []).append((word.start, word.end, keys))
    tokens = [(start, end, frozenset({token})) for token, spans in token_spans(text).items() for start, end in spans]
    for item in tokens:
        sentences.setdefault(bisect.bisect_right(ends, item[0]), []).append(item)
    units = []
    for items in sentences.values():
        if tokens:
            items.sort(key=_item_start)  # the words are in order; a token joined them at the end
        starts = [start for start, _end, _keys in items]
        positions = sorted(set(starts))
        windows = [positions] if len(positions) <= WINDOW_WORDS else [
            positions[first : first + WINDOW_WORDS] for first in range(0, len(positions), WINDOW_WORDS // 2)
        ]  # fmt: skip
        for window in windows:
            places: dict[str, list[tuple[int, int]]] = {}
            # The items of the window: a slice of the sentence's, sorted by where they start.
            for start, end, keys in items[
                bisect.bisect_left(starts, window[0]) : bisect.bisect_right(starts, window[-1])
            ]:
                for key in keys:
                    places.setdefault(key, []).append((start, end))
            units.append(_Unit(places, start=window[0]))
    return units


def _item_start(item: tuple[int, int, frozenset[str]]) -> int:
    return item[0]


@lru_cache(maxsize=8)
def _every_key(concepts: tuple[Concept, ...]) -> frozenset[str]:
    """Every key some concept names, in a list or in its "none"."""
    return frozenset().union(*(group for concept in concepts for group in concept.groups), *(
        concept.excluded for concept in concepts
    ))  # fmt: skip


@lru_cache(maxsize=8)
def _anchors(concepts: tuple[Concept, ...]) -> dict[str, tuple[int, ...]]:
    """For each key, the concepts it anchors. A concept is looked at in a sentence only when a word of its
    anchor list is there; its other lists and its "none" are checked then. The anchor is the list whose
    words the fewest other concepts share: "school", "pupil", "мектеп" are in many concepts' lists and
    in most sentences of a school site; a drug or a threat verb is in few (measured: 613,000 index entries
    looked at for a 50-page PDF when every list's words were indexed)."""
    sharing: dict[str, int] = {}
    for concept in concepts:
        for key in frozenset().union(*concept.groups):
            sharing[key] = sharing.get(key, 0) + 1
    anchors: dict[str, list[int]] = {}
    for number, concept in enumerate(concepts):
        if not concept.groups or not all(concept.groups):
            continue  # a concept with an empty list never matches (built_in_concepts leaves such out)
        anchor = min(concept.groups, key=lambda group: sum(sharing[key] for key in group) / len(group))
        for key in anchor:
            anchors.setdefault(key, []).append(number)
    return {key: tuple(numbers) for key, numbers in anchors.items()}


def concept_matches(text: str, concepts: tuple[Concept, ...] | None = None) -> Iterator[tuple[Concept, int, int]]:
    """Each (concept, start, end) found in ``text``: from the first to the last word that made it."""
    concepts = built_in_concepts() if concepts is None else concepts
    if not text or not concepts:
        return
    anchors = _anchors(concepts)
    units = _units(text, _every_key(concepts))
    # The school's prevention work (prevention_keys) speaks for the words around it: a lesson report whose third
    # sentence quotes "vaping is harmless" is still a lesson report. Asked where each match begins.
    shelters = prevention_spans(text)
    for unit in units:
        # From the sentence's keys to the concepts they anchor: the cost follows the sentence, not the
        # number of concepts.
        # A set: ``isdisjoint`` then walks the smaller side (a sentence's keys or a concept's list).
        keys = set(unit.keys)
        candidates = {number for key in keys for number in anchors.get(key, ())}
        met = []
        for number in candidates:
            concept = concepts[number]
            if any(group.isdisjoint(keys) for group in concept.groups) or not concept.excluded.isdisjoint(keys):
                continue
            found = [
                place for key in keys if any(key in group for group in concept.groups) for place in unit.keys[key]
            ]
            start = min(start for start, _end in found)
            if not (concept.prevention and shelters.cover(concept.clause, start)):
                met.append((start, max(end for _start, end in found), number))
        # In the order they stand in the text: of two overlapping matches of one clause, the first is kept.
        for start, end, number in sorted(met):
            yield concepts[number], start, end
