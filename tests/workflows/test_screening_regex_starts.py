"""Expressions tried only where their match can begin (issue 18, speed): the first characters read right."""

import pytest

from workflows.screening.matcher import text_matches
from workflows.screening.regex_starts import first_characters
from workflows.screening.rules import Rule, rule_pattern


@pytest.mark.parametrize(
    ("expression", "characters"),
    [
        (r"\b(?:kill|stab)\W+him", set("ks")),
        (r"(?<!не )(?<!\w)(?:бейте|убейте)\b", set("бу")),
        (r"\d+\s*%\W+скидк", set("0123456789")),
        (r"(?:^|(?<=[.!?]))send\W+nudes", {"s"}),
        (r"(?:a|b)?c", set("abc")),  # an optional first part: what follows may begin too
        (r"[?&]utm_", {"?", "&"}),
    ],
)
def test_the_first_characters_of_an_expression(expression, characters):
    assert first_characters(expression) == characters


@pytest.mark.parametrize("expression", [r"\w+ing", r".*x", r"(?:x)?", r"[^a]b"])
def test_an_expression_that_may_begin_with_anything_is_tried_everywhere(expression):
    assert first_characters(expression) is None


def test_expressions_still_find_what_they_found_when_run_over_the_whole_text():
    rules = tuple(
        Rule(clause="3.3.5", language="ru", text=text, pattern=rule_pattern(text))
        for text in (r"re:\d+\s*%\W+скидк", r"re:скидк\w*\W+(?:до\W+)?\d+\s*%", r"re:[?&]ref=")
    )
    text = "Только сегодня: 50% скидка, а ещё скидки до 70 %! Ссылка: shop.kz/?ref=abc"
    found = sorted(text[start:end] for _rule, start, end in text_matches(text, rules))
    assert found == ["50% скидк", "?ref=", "скидки до 70 %"]
