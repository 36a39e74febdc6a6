"""Clause 3.3: the screening rules and their matcher, measured on a corpus (no database needed)."""

import pytest
from django.core.exceptions import ValidationError

from workflows.screening.corpus import DEFAULT_CORPUS, HELD_OUT_CORPUS, corpus_examples, corpus_measure
from workflows.screening.matcher import text_findings
from workflows.screening.normalise import fold
from workflows.screening.rules import CLAUSES, LANGUAGES, Rule, built_in_rules, rule_pattern


def _rules(*texts, clause="3.3.1"):
    return [Rule(clause=clause, language="ru", text=text, pattern=rule_pattern(text)) for text in texts]


def test_folding_keeps_offsets_and_ignores_case_kazakh_letters_and_look_alikes():
    for text in ("Өлтіріңдер!", "КyПИТЕ", "drug dеalers", "нарк0тики", "3А сынып"):
        assert len(fold(text)) == len(text)
    assert fold("Өлтіріңдер") == fold("олтириндер") == fold("ӨЛТІРІҢДЕР")
    assert fold("кyпитe") == fold("купите")  # Latin y and e inside a Russian word
    assert fold("drug dеalers") == "drug dealers"  # a Cyrillic е inside an English word
    assert fold("нарк0тики") == "наркотики"
    assert fold("3А сынып") == "3а сынып"  # a class name keeps its digit


def test_a_phrase_matches_other_endings_but_not_longer_words_when_exact():
    rules = _rules("убива всех", "sex$")
    assert [f.matched for f in text_findings("Надо УБИВАТЬ всех!", rules)] == ["УБИВАТЬ всех"]
    assert [f.matched for f in text_findings("Sexton and sex.", rules)] == ["sex"]
    assert text_findings("Мы не убиваем время зря", rules) == []


def test_two_dots_allow_a_few_words_between():
    rules = _rules("купите .. скидк", clause="3.3.5")
    assert text_findings("Купите у нас со скидкой", rules)[0].matched == "Купите у нас со скидкой"
    assert text_findings("Купите один два три четыре пять скидка", rules) == []


def test_a_finding_says_clause_field_and_context():
    (finding,) = text_findings("Begin. Надо УБИВАТЬ всех! End.", _rules("убива всех"), field="Body")
    assert (finding.clause, finding.field, finding.matched) == ("3.3.1", "Body", "УБИВАТЬ всех")
    assert finding.before == "Begin. Надо " and finding.after == "! End."


@pytest.mark.parametrize("text", ["", "   ", ".. word", "word ..", "re:(unclosed"])
def test_a_malformed_rule_is_refused_with_a_message(text):
    with pytest.raises(ValidationError) as error:
        rule_pattern(text)
    assert error.value.messages[0]


def test_every_clause_has_rules_in_every_language():
    present = {(rule.clause, rule.language) for rule in built_in_rules()}
    assert present == {(clause, language) for clause in CLAUSES for language in LANGUAGES}


def _every_prohibited_example_fires(clause: str, language: str) -> None:
    examples = corpus_examples(DEFAULT_CORPUS / "prohibited" / f"{clause}.{language}.txt")
    assert len(examples) >= 8
    missed = [
        example
        for example in examples
        if not any(finding.clause == clause for finding in text_findings(example, built_in_rules()))
    ]
    assert missed == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_3_3_1_calls_to_violence_coercion_or_hatred_are_found(language):
    _every_prohibited_example_fires("3.3.1", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_3_3_2_what_damages_honour_and_dignity_is_found(language):
    _every_prohibited_example_fires("3.3.2", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_3_3_4_propaganda_of_violence_sex_drugs_or_danger_to_life_is_found(language):
    _every_prohibited_example_fires("3.3.4", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_3_3_5_advertising_of_other_organisations_is_found(language):
    _every_prohibited_example_fires("3.3.5", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_3_3_6_information_contrary_to_the_law_is_found(language):
    _every_prohibited_example_fires("3.3.6", language)


def test_the_named_clause_tests_cover_every_prohibited_clause():
    named = {name[5:10].replace("_", ".") for name in globals() if name.startswith("test_3_3_")}
    assert named == set(CLAUSES)


def test_the_clean_corpus_passes_and_the_false_positive_rate_is_reported(screening_report):
    measurement = corpus_measure()
    screening_report(measurement.report())
    assert measurement.clean_examples >= 120
    assert measurement.false_positives == []


def test_the_development_corpus_is_caught_in_every_clause_and_language():
    """Every batch of development texts (the rules are tuned on them): at least 90 % per clause and language."""
    measurement = corpus_measure()
    low = {
        key: f"{flagged}/{total}" for key, (total, flagged) in measurement.prohibited.items() if flagged < 0.9 * total
    }
    assert low == {}
    assert sum(total for total, _flagged in measurement.prohibited.values()) >= 600


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_held_out_corpus_has_enough_texts_per_clause_and_language(language):
    for clause in CLAUSES:
        assert len(set(corpus_examples(HELD_OUT_CORPUS / "prohibited" / f"{clause}.{language}.txt"))) >= 20, clause
    assert len(set(corpus_examples(HELD_OUT_CORPUS / "clean" / f"{language}.txt"))) >= 50


@pytest.mark.xfail(
    strict=True,
    reason=(
        "issue 18: held-out recall 85% with 2.7% false positives (5 of 185), and five cells below 85% "
        "(English 3.3.1 82%, 3.3.2 71%, 3.3.4 75%; 3.3.6 kk 68%, ru 74%)"
    ),
)
def test_held_out_recall_is_at_least_85_percent_per_clause_and_language_with_at_most_2_percent_false_positives(
    screening_report,
):
    """The target of issue 18, measured on texts the rules were not written from; the figures are printed
    either way, the texts never (whoever reads them while writing rules spoils the measurement)."""
    measurement = corpus_measure(HELD_OUT_CORPUS)
    screening_report(measurement.report("Held-out corpus (written apart from the rules)", texts=False))
    low = {
        key: f"{flagged}/{total}" for key, (total, flagged) in measurement.prohibited.items() if flagged < 0.85 * total
    }
    assert low == {}
    assert measurement.false_positive_rate <= 0.02
