"""Concept rules (issue 18, point 2): words that meet in one sentence, in any of their forms."""

import pytest

from workflows.screening.concepts import (
    PREVENTION_REACH,
    Concept,
    _keys,
    concept_matches,
    prevention_spans,
    token_spans,
)

HARMLESS_DRUGS = Concept(
    clause="3.3.4",
    name="drugs called harmless",
    groups=(_keys(["наркотик", "есірткі", "drug"]), _keys(["безвредный", "зиянсыз", "harmless"])),
    excluded=_keys(["профилактика", "prevention"]),
)
# As a built-in concept is: kept out of the school's prevention work.
HARMLESS_DRUGS_BUILT_IN = Concept(
    clause=HARMLESS_DRUGS.clause,
    name=HARMLESS_DRUGS.name,
    groups=HARMLESS_DRUGS.groups,
    excluded=HARMLESS_DRUGS.excluded,
    prevention=True,
)
TUTORING_AD = Concept(
    clause="3.3.5",
    name="a course with a price and a phone",
    groups=(_keys(["курс", "репетитор"]), _keys(["<PRICE>"]), _keys(["<PHONE>"])),
    excluded=frozenset(),
)


def _found(text: str) -> list[tuple[str, str]]:
    return [
        (concept.clause, text[start:end])
        for concept, start, end in concept_matches(text, (HARMLESS_DRUGS, TUTORING_AD))
    ]


def test_words_meet_in_any_form_and_language():
    assert _found("Говорят, наркотиками баловаться совсем безвредно.") == [
        ("3.3.4", "наркотиками баловаться совсем безвредно")
    ]
    assert _found("Есірткілер мүлде зиянсыз деп айтады.")[0][0] == "3.3.4"
    assert _found("Some say drugs are harmless.")[0][0] == "3.3.4"


def test_words_in_different_sentences_do_not_meet():
    assert _found("Наркотики — это беда. Витамины безвредны.") == []


def test_a_word_of_none_keeps_the_sentence_out():
    assert _found("На уроке профилактики объяснили: наркотики не бывают безвредными.") == []


def test_prices_and_phones_are_words_of_their_own():
    text = "Курсы английского всего 5 000 тг в месяц, звоните +7 (701) 000-12-34"
    ((clause, matched),) = _found(text)
    assert clause == "3.3.5" and matched.startswith("Курсы") and matched.endswith("12-34")
    assert _found("Курсы английского в нашей школе бесплатные.") == []


def test_the_schools_prevention_work_speaks_for_its_paragraph():
    """A lesson report quoting what it warns against is not propaganda; the next paragraph is read alone."""
    with_prevention = HARMLESS_DRUGS_BUILT_IN
    lesson = "Прошла лекция о зависимости. Ученики разобрали миф «наркотики безвредны» и нашли в нём ошибки."
    assert list(concept_matches(lesson, (with_prevention,))) == []
    post = lesson + "\nА я скажу: наркотики безвредны, пробуйте."
    assert [post[start:end] for _concept, start, end in concept_matches(post, (with_prevention,))] == [
        "наркотики безвредны"
    ]


def test_one_prevention_word_does_not_excuse_a_long_post():
    """The word speaks for PREVENTION_REACH words either side of it, not for a paragraph of any length."""
    with_prevention = HARMLESS_DRUGS_BUILT_IN
    filler = " ".join(["Ученики пели в хоре."] * (PREVENTION_REACH // 4 + 5))  # four words a sentence
    post = f"Профилактика. {filler} А я скажу: наркотики безвредны, пробуйте."
    assert "\n" not in post and len(post.split()) > PREVENTION_REACH + 20
    assert [post[start:end] for _concept, start, end in concept_matches(post, (with_prevention,))] == [
        "наркотики безвредны"
    ]
    near = f"Профилактика. {' '.join(['Ученики пели в хоре.'] * 3)} А я скажу: наркотики безвредны, пробуйте."
    assert list(concept_matches(near, (with_prevention,))) == []


def test_where_a_match_begins_decides_whether_the_prevention_word_keeps_it_out():
    """Asked of the match, not of its sentence: a long sentence may begin beyond the reach and end within."""
    filler = " ".join(["ученики"] * (PREVENTION_REACH - 3))
    inside = f"Сегодня {filler} слышали: наркотики безвредны. Профилактика зависимости."
    assert list(concept_matches(inside, (HARMLESS_DRUGS_BUILT_IN,))) == []
    beyond = f"Профилактика зависимости, а {' '.join(['ученики'] * (PREVENTION_REACH + 5))} наркотики безвредны."
    # (a sentence this long is read in half-overlapping windows: the match may come from two of them)
    assert {beyond[start:end] for _concept, start, end in concept_matches(beyond, (HARMLESS_DRUGS_BUILT_IN,))} == {
        "наркотики безвредны"
    }


def test_prevention_words_and_the_schools_own_offers_make_one_span_each_however_they_alternate():
    shelters = prevention_spans("Prevention fair. " * 300)
    assert len(shelters.prevention) == 1 and len(shelters.own_offers) == 1
    assert len(prevention_spans("Профилактика.\n" * 300).prevention) == 300  # one a line: lines are apart


def test_a_title_or_a_number_does_not_end_the_sentence():
    assert _found("Mr. Harris says drugs are harmless.")[0][0] == "3.3.4"
    assert _found("Наркотики на 99.9 % безвредны.")[0][0] == "3.3.4"


def test_the_schools_own_fair_is_not_advertising_but_is_still_read():
    built_in = tuple(
        Concept(clause=concept.clause, name=concept.name, groups=concept.groups, excluded=frozenset(), prevention=True)
        for concept in (HARMLESS_DRUGS, TUTORING_AD)
    )
    post = "Science fair on Friday: robotics курс 5 000 тг, call +7 701 234 56 78. Some say drugs are harmless."
    assert [concept.clause for concept, _start, _end in concept_matches(post, built_in)] == ["3.3.4"]


@pytest.mark.parametrize(
    ("text", "token", "found"),
    [
        ("звоните 8 701 234 56 78", "<PHONE>", ["8 701 234 56 78"]),
        ("+7 (701) 234-56-78", "<PHONE>", ["+7 (701) 234-56-78"]),
        ("a8 701 234 56 78", "<PHONE>", []),  # a number inside a word is no phone
        ("18+ контент", "<ADULT>", ["18+"]),
        ("118+ баллов", "<ADULT>", []),
        ("XXX video", "<ADULT>", ["XXX"]),
        ("taxxx", "<ADULT>", []),
        ("visit www.site.kz now", "<URL>", ["www.site.kz"]),
        ("awww.x", "<URL>", []),
        ("mail me at user@host.com", "<URL>", ["host.com"]),
        ("пишите @handle_1", "<URL>", ["@handle_1"]),
        ("x-site.kz, ab-cd.shop!", "<URL>", ["x-site.kz", "ab-cd.shop"]),
        ("see -site.kz", "<URL>", ["site.kz"]),
        # Not from the middle of a word: the text is not lowered here, and a word glued on stays whole.
        ("Kaspi.kz", "<URL>", []),
        ("заходиsite.kz _site.kz", "<URL>", []),
    ],
)
def test_tokens_are_found_where_they_begin_and_not_inside_a_word(text, token, found):
    assert [text[start:end] for start, end in token_spans(text)[token]] == found


def test_punctuation_and_long_runs_of_one_character_hold_no_token():
    for text in (". , ! ? - " * 10_000, "a" * 100_000, "8" * 100_000):
        assert not any(spans for token, spans in token_spans(text).items() if token != "<PRICE>")
