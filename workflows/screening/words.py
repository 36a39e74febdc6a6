"""The words of a text as a rule names them (issue 18): each word reduced to the keys of its dictionary form.

A prohibited idea is written in any person, tense and case ("избили", "изобьём", "избивать"; "threatened",
"threatening"; "оқушыларды", "оқушыға"), so rules name words, not strings:

* Russian: the dictionary form from pymorphy3's analyser and its dictionaries (every parse it finds, since a
  form like "стали" is both "стать" and "сталь");
* English: the Snowball stem;
* Kazakh: the platform's search stemmer (school_sections.search.kazakh, one key per word) and every stem
  the grammar of suffix chains reads off the word (workflows.screening.kazakh); a Cyrillic word gets the
  Russian and the Kazakh keys both, since either language may use it.

Words are read from ``normalise.plain`` (evasions undone) and carry offsets into the text as written.
"""

from __future__ import annotations

import bisect
import json
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from school_sections.search.kazakh import stem as kazakh_stem
from workflows.screening.kazakh import kazakh_stems
from workflows.screening.normalise import fold, lower_same_length, plain, script_readings
from workflows.screening.translit import cyrillic_reading, translit_spans

_WORD = re.compile(r"[^\W_]+")
_KAZAKH_LETTERS = frozenset("әғқңөұүһі")
_CYRILLIC_WORD = re.compile("[\u0400-\u04ff]+")
_LATIN_LETTER = re.compile("[a-z]")
_CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")
_PRIVATIVE = re.compile("с[ыі]з")
_MIN_KAZAKH_STEM = 3
_ENGLISH_IRREGULAR = Path(__file__).resolve().parent.parent / "fixtures" / "screening_english_irregular.json"
_MAX_PARSES = 3  # pymorphy3's parses of one form, most likely first; more are rare readings
# One-letter words that a word written letter by letter swallows ("н а р к о т и к и у школы" is read as
# "наркотикиу"): such a word is also read without them.
_ONE_LETTER_WORDS = frozenset("авиксуяоai")


class Word(NamedTuple):  # a tuple: a long document has tens of thousands of words, built in a loop
    start: int  # offsets into the text as written
    end: int
    keys: frozenset[str]  # folded (normalise.fold): what a rule's word is compared with


@cache
def _russian():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@cache
def _english():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@cache
def _english_irregular() -> dict[str, str]:
    return json.loads(_ENGLISH_IRREGULAR.read_text(encoding="utf-8"))["forms"]


def load_analysers() -> None:
    """Load the Russian dictionaries, the English stemmer and its irregular verbs now (a worker starting),
    not at the first word that needs them."""
    _russian()
    _english()
    _english_irregular()


@lru_cache(maxsize=200_000)
def word_keys(word: str) -> frozenset[str]:
    """The keys of one lowercase word: its dictionary forms or stems, and the word itself, folded."""
    keys = {word}
    if word.isascii():
        keys.add(_english().stemWord(word))
        if base := _english_irregular().get(word):  # "beaten", "stolen": also the verb's own stem
            keys.add(_english().stemWord(base))
    else:
        kazakh = bool(_KAZAKH_LETTERS.intersection(word))
        if not kazakh:
            keys.update(parse.normal_form for parse in _russian().parse(word)[:_MAX_PARSES])
        # The Kazakh stemmer is a search key: on a Russian word, or cut to a syllable ("надан" -> "на"), it
        # would make unrelated words meet. Used for words with Kazakh letters or unknown to the Russian
        # dictionary, and only when three letters or more are left.
        if kazakh or not _russian().word_is_known(word):
            stem = kazakh_stem(word)
            # Not when it cut off "without" -сыз/-сіз: есірткісіз (drug-free) is not есірткі.
            if len(stem) >= _MIN_KAZAKH_STEM and not _PRIVATIVE.search(word, len(stem)):
                keys.add(stem)
            # Every stem the grammar of suffix chains reads off the word (workflows.screening.kazakh): ұрамыз,
            # ұрды, ұрыңдар and ұру meet on ұр (a root of two letters only before a verb's real ending).
            keys.update(kazakh_stems(word))
    return frozenset(fold(key) for key in keys if key)


@lru_cache(maxsize=4)  # the phrase rules, the concepts and the model read the same text one after the other
def text_words(text: str) -> list[Word]:
    """The words of ``text`` in order, with evasions undone, their keys and their offsets in ``text``."""
    characters, origin = plain(text)
    # Look-alike letters of the other script are read as the word's own script first (``fold``), but the
    # analysers want the real letters: the word is taken from the folded text only where they differ in script.
    folded = fold(characters)
    lowered = lower_same_length(characters)
    translit = translit_spans(lowered) if _LATIN_LETTER.search(lowered) else []
    found = [(match.group(), match.start(), match.end()) for match in _WORD.finditer(lowered)]
    # A word of one script is analysed as written, once however often it stands in the text.
    plain_keys = {word: word_keys(word) for word in {word for word, _low, _high in found} if _one_script(word)}
    words = []
    for written, low, high in found:
        word, keys = written, plain_keys.get(written)
        if keys is None:
            if word.isdigit():
                continue
            # One mixing scripts or digits ("дипл0м") is read through ``fold``, which puts look-alikes into the
            # word's own script.
            readings = script_readings(word) if _LATIN_LETTER.search(word) and _CYRILLIC_LETTER.search(word) else ()
            word = folded[low:high]
            keys = word_keys(word).union(*(word_keys(reading) for reading in readings))
        start, end = origin[low], origin[high - 1] + 1
        if end - start > 2 * len(word) - 2:  # written letter by letter
            keys = keys.union(*(word_keys(part) for part in _without_one_letter_words(word)))
        if translit and word.isascii() and _in_spans(translit, low):
            keys = keys | word_keys(cyrillic_reading(word))
        words.append(Word(start, end, keys))
    return words


def _one_script(word: str) -> bool:
    return word.isalpha() and (word.isascii() or bool(_CYRILLIC_WORD.fullmatch(word)))


def _in_spans(spans: list[tuple[int, int]], position: int) -> bool:
    index = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def _without_one_letter_words(word: str) -> list[str]:
    head = word[1:] if word[0] in _ONE_LETTER_WORDS else word
    tail = word[:-1] if word[-1] in _ONE_LETTER_WORDS else word
    both = head[:-1] if head[-1:] in _ONE_LETTER_WORDS else head
    return [part for part in {head, tail, both} - {word} if len(part) >= 3]


def rule_word_keys(word: str) -> frozenset[str]:
    """The keys a rule's word matches: the same reduction as the text's words, less the stems of two
    letters (ат from ату, ал from алу): as a rule's key such a stem is also a name, a horse, a Russian
    preposition. A rule that means a short root writes it ("ұр" meets ұрамыз, ұрды, ұрыңдар)."""
    written = lower_same_length(plain(word)[0])
    whole = fold(written)
    return frozenset(key for key in word_keys(written) if len(key) >= _MIN_KAZAKH_STEM or key == whole)
