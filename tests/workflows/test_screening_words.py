"""Words reduced to the keys of their dictionary form (issue 18, point 1): every form of a word, one key."""

import pytest

from workflows.screening.words import rule_word_keys, text_words, word_keys


@pytest.mark.parametrize(
    ("rule_word", "forms"),
    [
        ("избить", ["избили", "избил", "изобьём", "избейте"]),
        ("наркотик", ["наркотики", "наркотиками", "наркотиков"]),
        ("справка", ["справки", "справку", "справками"]),
        ("продавать", ["продаю", "продаём", "продавали"]),
        ("threaten", ["threatened", "threatening", "threatens"]),
        ("drug", ["drugs", "drugged"]),
        ("оқушы", ["оқушылар", "оқушыларды", "оқушыға", "оқушымыз"]),
        ("есірткі", ["есірткіні", "есірткілер", "есірткіден"]),
    ],
)
def test_every_form_shares_a_key_with_the_rules_word(rule_word, forms):
    wanted = rule_word_keys(rule_word)
    for form in forms:
        (word,) = text_words(form)
        assert word.keys & wanted, (form, word.keys, wanted)


def test_words_carry_offsets_into_the_text_as_written_evasions_undone():
    text = "Кто-то продаёт н а р к о т и к и у школы и нар\u200bкотики в н а р к о т и к а х"
    words = text_words(text)
    wanted = rule_word_keys("наркотик")
    found = [text[word.start : word.end] for word in words if word.keys & wanted]
    assert found == ["н а р к о т и к и у", "нар\u200bкотики", "в н а р к о т и к а х"]


def test_look_alike_letters_are_read_in_the_words_script():
    (word,) = text_words("нaркотики")  # a Latin "a"
    assert word.keys & rule_word_keys("наркотик")


def test_different_words_keep_different_keys():
    assert not rule_word_keys("школа") & rule_word_keys("шкала")
    assert not rule_word_keys("kill") & rule_word_keys("skill")


def test_digits_for_letters_are_read_as_letters():
    (word,) = text_words("дипл0м")
    assert word.keys & rule_word_keys("диплом")
    assert text_words("2026") == []


def test_english_irregular_forms_meet_their_verb():
    assert rule_word_keys("beat") <= word_keys("beaten")
    assert rule_word_keys("steal") <= word_keys("stolen")
    assert "left" in word_keys("left")  # a form that is a word of its own keeps that reading
