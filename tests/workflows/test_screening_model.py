"""The screening model beside the rules (workflows.screening.model, issue 18): passages weighed toward a
clause, a rule's match in an ordinary passage dropped, and the weights trained on the corpus as it is."""

import re

from workflows.screening.matcher import text_findings
from workflows.screening.model import PASSAGE_WORDS, Reading, built_in_model, passage_features, token_starts
from workflows.screening.rules import Rule, model_rule
from workflows.screening.train_model import corpus_fingerprint, example_features
from workflows.screening.words import text_words

# Written for this test, in wording none of the corpora use.
BEATING = "Завтра после уроков встретим этого новенького за гаражами и переломаем ему рёбра, пусть знает своё место."
TUTORING = (
    "Приходите в наш учебный центр Эрудит: подготовка к ЕНТ, скидка 20% до конца месяца, звоните +7 701 555 12 12"
)
CHOIR = "Our choir won second place at the city festival. Congratulations to the singers and to their teacher!"
CANTEEN = "Мектеп асханасында жаңа мәзір енгізілді, балаларға ыстық тамақ тегін беріледі."


def _model_findings(text: str) -> list[tuple[str, str]]:
    return [(finding.clause, finding.matched) for finding in text_findings(text, (), model=built_in_model())]


def test_the_model_was_trained_on_the_development_corpus_as_it_is():
    # A batch moved into dev/ (or an example edited) means: python -m workflows.screening.train_model
    assert built_in_model().corpus == corpus_fingerprint()


def test_a_passage_is_found_by_its_words_with_no_rule_at_all():
    [(clause, matched)] = _model_findings(BEATING)
    assert clause == "3.3.1"
    assert matched in BEATING and "рёбра" in matched  # named by the words that weighed most
    assert [clause for clause, _matched in _model_findings(TUTORING)] == ["3.3.5"]
    assert _model_findings(CHOIR) == []
    assert _model_findings(CANTEEN) == []


def test_a_finding_names_the_model_as_its_rule():
    [finding] = text_findings(BEATING, (), model=built_in_model())
    assert finding.rule == model_rule("3.3.1").text
    assert not finding.regional


def test_a_built_in_rule_in_an_ordinary_passage_is_dropped_and_a_regional_one_stands():
    built_in = Rule(clause="3.3.1", language="en", text="choir", pattern=re.compile(r"\bchoir\b"))
    regional = Rule(clause="3.3.6", language="en", text="festival", pattern=re.compile(r"\bfestival\b"), regional=True)
    without_model = text_findings(CHOIR, (built_in, regional))
    assert {finding.clause for finding in without_model} == {"3.3.1", "3.3.6"}
    with_model = text_findings(CHOIR, (built_in, regional), model=built_in_model())
    assert [finding.clause for finding in with_model] == ["3.3.6"]


def test_a_dropped_built_in_match_does_not_hide_an_overlapping_regional_one():
    built_in = Rule(clause="3.3.1", language="en", text="choir", pattern=re.compile(r"\bchoir\b"))
    regional = Rule(
        clause="3.3.1", language="en", text="choir won", pattern=re.compile(r"\bchoir won\b"), regional=True
    )
    findings = text_findings(CHOIR, (built_in, regional), model=built_in_model())
    assert [(finding.matched, finding.regional) for finding in findings] == [("choir won", True)]


def test_a_long_paragraph_is_read_in_windows_and_the_finding_is_where_the_threat_is():
    ordinary = " ".join([CHOIR.rstrip("!"), CANTEEN.rstrip(".")] * 12)
    text = f"{ordinary} {BEATING} {ordinary}"
    reading = Reading(text, built_in_model())
    assert len(reading.passages) > 2  # windows, not one passage of the whole paragraph
    assert all(len(passage.words) <= PASSAGE_WORDS for passage in reading.passages)
    [(clause, matched)] = _model_findings(text)
    assert clause == "3.3.1"
    threat = text.index(BEATING)
    assert threat <= text.index(matched) < threat + len(BEATING)


def test_each_paragraph_is_read_on_its_own():
    text = f"{CHOIR}\n{BEATING}\n{CANTEEN}"
    reading = Reading(text, built_in_model())
    assert [passage.probabilities["clean"] > 0.5 for passage in reading.passages] == [True, False, True]


def test_a_paragraph_of_prevention_work_keeps_the_model_out():
    lesson = f"Профилактика буллинга: инспектор зачитал угрозу из чата — «{BEATING}»"
    assert _model_findings(lesson) == []


def test_training_reads_an_example_as_the_platform_reads_a_passage():
    words = tuple(text_words(TUTORING))
    assert set(example_features(TUTORING)) == passage_features(words, token_starts(TUTORING), 0, len(TUTORING))
    [passage] = Reading(TUTORING, built_in_model()).passages
    assert (passage.start, passage.end) == (0, len(TUTORING))
    assert "<PHONE>" in example_features(TUTORING) and "<PRICE>" in example_features(TUTORING)
