"""Evasions a reader would not notice do not hide a word from screening (issue 18, point 3), and a finding is
shown in the text as written."""

import pytest

from workflows.screening.concepts import Concept
from workflows.screening.matcher import text_findings, text_matches
from workflows.screening.normalise import _KAZAKH_FOLD, fold, plain
from workflows.screening.rules import Rule, rule_pattern
from workflows.screening.translit import cyrillic_reading, translit_spans
from workflows.screening.words import rule_word_keys

RULES = (
    Rule(clause="3.3.4", language="ru", text="наркотик", pattern=rule_pattern("наркотик")),
    Rule(clause="3.3.4", language="en", text="buy drugs", pattern=rule_pattern("buy drugs")),
)


@pytest.mark.parametrize(
    "text",
    [
        "Дешёвые нар\u200bкотики у школы",  # a zero-width space inside the word
        "Дешёвые нар\u00adкотики у школы",  # a soft hyphen
        "Дешёвые н а р к о т и к и у школы",  # letter by letter
        "Дешёвые н.а.р.к.о.т.и.к.и у школы",
        "Дешёвые на\u0301ркотики у школы",  # an accent typed on top
        "Дешёвые нαркотики у школы",  # a Greek alpha
        "Дешёвые НАРКОТИКИ у школы",
    ],
)
def test_an_evasion_does_not_hide_the_word(text):
    (finding,) = text_findings(text, RULES)
    assert finding.clause == "3.3.4"
    assert finding.matched.startswith(text[8:10])  # shown as written, evasion included
    assert "Дешёвые" not in finding.matched


def test_full_width_and_mathematical_letters_are_letters():
    for text in ("Where to buy ｄｒｕｇｓ cheap", "Where to buy 𝐝𝐫𝐮𝐠𝐬 cheap"):
        (finding,) = text_findings(text, RULES)
        assert finding.matched == text[13 - 4 : -6]


def test_offsets_point_into_the_text_as_written():
    text = "Tell them: b\u200buy  d r u g s here"
    ((rule, start, end),) = list(text_matches(text, RULES))
    assert text[start:end] == "b\u200buy  d r u g s"
    assert rule.text == "buy drugs"


def test_ordinary_text_is_left_as_it_is():
    text = "Дети а и б, 5 «А» классе, тел. 8 700 000 00 00"
    assert plain(text)[0] == text
    assert plain("а и в")[0] == "а и в"  # three one-letter words stay words
    characters, origin = plain("x\u200by")
    assert (characters, origin) == ("xy", [0, 2])


TRANSLIT_CONCEPTS = (
    Concept(
        clause="3.3.4",
        name="drugs sold",
        groups=(
            rule_word_keys("наркотики") | rule_word_keys("есірткі"),
            rule_word_keys("продаю") | rule_word_keys("сатамыз"),
        ),
        excluded=frozenset(),
    ),
)


@pytest.mark.parametrize(
    "text",
    [
        "Prodayu narkotiki nedorogo",  # Russian typed in Latin letters
        "esirtki satamyz, jazyndar",  # Kazakh typed in Latin letters
        "Продаю narkotiki у школы",  # one word of a Cyrillic sentence
    ],
)
def test_russian_and_kazakh_typed_in_latin_letters_are_read(text):
    assert [finding.clause for finding in text_findings(text, (), concepts=TRANSLIT_CONCEPTS)] == ["3.3.4"]


def test_an_english_sentence_is_not_read_as_transliterated_russian():
    """ "drug" would be "друг" (a friend), "most" a bridge: English sentences are left as they are."""
    assert translit_spans("our friend the drug officer came to the school") == []
    assert translit_spans("kupi narkotiki u menya. thanks for the lesson") == [(0, 22)]
    assert cyrillic_reading("shkola") == "школа" and cyrillic_reading("moy") == "мой"


def test_digits_typed_for_latin_letters_are_read_as_letters():
    assert fold("W33d and n4rk0tik, k1ll3r") == "weed and narkotik, killer"
    # Not a class name, a sum, a handle's number, an ordinal or a chemical formula.
    assert fold("9B 10k night18 5th mp3") == "9b 10k night18 5th mp3"


def test_digits_for_cyrillic_letters_between_letters():
    assert fold("3а6ьём его ве4ером") == "забьем его вечером"
    assert fold("4сынып, 6А класс") == "4сынып, 6а класс"  # a class, not letters


def test_kazakh_letters_fold_to_the_russian_ones_typed_instead():
    """One pass per letter: a letter folded to is never one folded from, or the order would matter."""
    assert fold("Әке, ғажап, қазақ, өнер, ұл, үй, ін, ёж") == "аке, гажап, казак, онер, ул, уй, ин, еж"
    assert not {target for _source, target in _KAZAKH_FOLD} & {source for source, _target in _KAZAKH_FOLD}
