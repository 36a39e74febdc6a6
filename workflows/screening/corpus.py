"""Measure the built-in rules against a corpus: prohibited examples per clause and language, and clean text.

The corpus lives with the tests (tests/workflows/screening_corpus); the test suite
asserts on this measurement and prints it, and ``python -m workflows.screening.corpus_report``
prints it while rules are being written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workflows.screening.matcher import text_findings
from workflows.screening.rules import built_in_rules

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "tests" / "workflows" / "screening_corpus"


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

    def report(self) -> str:
        lines = ["Screening corpus (clause 3.3): prohibited examples flagged with their clause"]
        for (clause, language), (total, flagged) in sorted(self.prohibited.items()):
            lines.append(f"  {clause} {language}: {flagged}/{total}")
        for clause, language, example in self.missed:
            lines.append(f"  MISSED {clause} {language}: {example}")
        lines.append(
            f"Clean corpus: {len(self.false_positives)} false positives in {self.clean_examples} examples "
            f"(false-positive rate {self.false_positive_rate:.1%})"
        )
        for language, example, findings in self.false_positives:
            matched = ", ".join(f"{finding.clause} “{finding.matched}” ({finding.rule})" for finding in findings)
            lines.append(f"  FALSE POSITIVE {language}: {matched} in: {example}")
        return "\n".join(lines)


def corpus_measure(corpus: Path = DEFAULT_CORPUS, rules=None) -> CorpusMeasurement:
    rules = built_in_rules() if rules is None else rules
    measurement = CorpusMeasurement()
    for path in sorted((corpus / "prohibited").glob("*.txt")):
        clause, language = path.stem.rsplit(".", 1)
        examples = corpus_examples(path)
        flagged = 0
        for example in examples:
            if any(finding.clause == clause for finding in text_findings(example, rules)):
                flagged += 1
            else:
                measurement.missed.append((clause, language, example))
        measurement.prohibited[(clause, language)] = (len(examples), flagged)
    for path in sorted((corpus / "clean").glob("*.txt")):
        for example in corpus_examples(path):
            measurement.clean_examples += 1
            findings = text_findings(example, rules)
            if findings:
                measurement.false_positives.append((path.stem, example, findings))
    return measurement
