"""Measure the built-in rules against a corpus: prohibited examples per clause and language, and clean text.

The corpora live with the tests (tests/workflows/screening_corpus):

* ``dev/``: the examples rules may be tuned on;
* ``held_out/``: texts written apart from the rules, by writers who never saw them, and never used to write
  them (its README says how it was made). Recall measured here is what new wording of a prohibited idea
  meets; a rule fitted to one of these texts makes the measurement worthless.

The test suite asserts on these measurements and prints them, and ``python -m
workflows.screening.corpus_report`` prints both while rules are being written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from workflows.screening.concepts import built_in_concepts
from workflows.screening.matcher import text_findings
from workflows.screening.model import built_in_model
from workflows.screening.rules import built_in_rules

CORPORA = Path(__file__).resolve().parents[2] / "tests" / "workflows" / "screening_corpus"
DEFAULT_CORPUS = CORPORA / "dev"
HELD_OUT_CORPUS = CORPORA / "held_out"
MODEL_BUILT_IN = object()  # corpus_measure's default: the built-in model


_PROHIBITED_FILE = re.compile(r"(?P<clause>\d+(?:\.\d+)+)\.(?P<language>kk|ru|en)(?:\.[\w-]+)?")


def prohibited_file(path: Path) -> tuple[str, str]:
    """``3.3.1.kk.txt`` or a further batch of the same, ``3.3.1.kk.<batch>.txt``: (clause, language)."""
    match = _PROHIBITED_FILE.fullmatch(path.stem)
    if match is None:
        raise ValueError(f"{path.name}: a prohibited corpus file is named <clause>.<language>[.<batch>].txt")
    return match["clause"], match["language"]


def corpus_examples(path: Path) -> list[str]:
    """A corpus file holds one example per paragraph (examples are separated by a blank line)."""
    text = path.read_text(encoding="utf-8")
    return [example.strip() for example in text.split("\n\n") if example.strip()]


@dataclass
class CorpusMeasurement:
    # (clause, language) -> (examples, examples flagged with that clause)
    prohibited: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # clause, language, example
    clean_examples: int = 0
    false_positives: list[tuple[str, str, list]] = field(default_factory=list)  # language, example, findings

    @property
    def false_positive_rate(self) -> float:
        return len(self.false_positives) / self.clean_examples if self.clean_examples else 0.0

    @property
    def recall(self) -> float:
        total = sum(examples for examples, _flagged in self.prohibited.values())
        return sum(flagged for _examples, flagged in self.prohibited.values()) / total if total else 0.0

    def report(self, title: str = "Screening corpus (clause 3.3)", texts: bool = True) -> str:
        """The figures, and with ``texts`` the examples missed and the clean ones flagged."""
        lines = [f"{title}: prohibited examples flagged with their clause (recall {self.recall:.0%})"]
        for (clause, language), (total, flagged) in sorted(self.prohibited.items()):
            lines.append(f"  {clause} {language}: {flagged}/{total} ({flagged / total:.0%})")
        for clause, language, example in self.missed if texts else ():
            lines.append(f"  MISSED {clause} {language}: {example}")
        lines.append(
            f"Clean corpus: {len(self.false_positives)} false positives in {self.clean_examples} examples "
            f"(false-positive rate {self.false_positive_rate:.1%})"
        )
        for language, example, findings in self.false_positives if texts else ():
            matched = ", ".join(f"{finding.clause} “{finding.matched}” ({finding.rule})" for finding in findings)
            lines.append(f"  FALSE POSITIVE {language}: {matched} in: {example}")
        return "\n".join(lines)


def corpus_measure(
    corpus: Path = DEFAULT_CORPUS, rules=None, concepts=None, model=MODEL_BUILT_IN
) -> CorpusMeasurement:
    """The built-in rules, concepts and model unless given (``model=None``: without the model)."""
    rules = built_in_rules() if rules is None else rules
    concepts = built_in_concepts() if concepts is None else concepts
    model = built_in_model() if model is MODEL_BUILT_IN else model
    measurement = CorpusMeasurement()
    for path in sorted((corpus / "prohibited").glob("*.txt")):
        clause, language = prohibited_file(path)
        examples = corpus_examples(path)
        total, flagged = measurement.prohibited.get((clause, language), (0, 0))
        total += len(examples)
        for example in examples:
            if any(
                finding.clause == clause for finding in text_findings(example, rules, concepts=concepts, model=model)
            ):
                flagged += 1
            else:
                measurement.missed.append((clause, language, example))
        measurement.prohibited[(clause, language)] = (total, flagged)
    for path in sorted((corpus / "clean").glob("*.txt")):
        language = path.stem.split(".", 1)[0]
        for example in corpus_examples(path):
            measurement.clean_examples += 1
            findings = text_findings(example, rules, concepts=concepts, model=model)
            if findings:
                measurement.false_positives.append((language, example, findings))
    return measurement
