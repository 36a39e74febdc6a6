"""Screening speed (clause 3.3, issue 18): a 2,000-word page, a 50-page PDF's text, 100,000 characters of
punctuation; phrase rules alone (the baseline, the engine before concepts) against phrase and concept rules.

    make bench-screening
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regional_platform.settings.dev")
django.setup()

from workflows.screening.concepts import built_in_concepts  # noqa: E402 (after setup)
from workflows.screening.corpus import DEFAULT_CORPUS, corpus_examples  # noqa: E402
from workflows.screening.matcher import text_findings  # noqa: E402
from workflows.screening.rules import built_in_rules  # noqa: E402

ROUNDS = 5


def _school_text(words: int) -> str:
    """Ordinary school texts of the development corpus, in kk, ru and en, repeated up to ``words`` words."""
    pieces = [
        example
        for language in ("kk", "ru", "en")
        for example in corpus_examples(DEFAULT_CORPUS / "clean" / f"{language}.txt")
    ]
    text, count = [], 0
    while count < words:
        for piece in pieces:
            text.append(piece)
            count += len(piece.split())
            if count >= words:
                break
    return "\n\n".join(text)


def _timed(text: str, concepts) -> tuple[float, float]:
    rules = built_in_rules()
    times = []
    for _round in range(ROUNDS):
        start = time.perf_counter()
        text_findings(text, rules, concepts=concepts)
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:])


def main() -> None:
    workloads = {
        "2,000-word page": _school_text(2_000),
        "50-page PDF (~20,000 words)": _school_text(20_000),
        "100,000 chars of punctuation": ". , ! ? - " * 10_000,
    }
    concepts = built_in_concepts()
    print(
        f"{len(built_in_rules())} phrase rules, {len(concepts)} concept rules; first run, then median of {ROUNDS - 1}"
    )
    for name, text in workloads.items():
        base_first, base = _timed(text, ())
        full_first, full = _timed(text, concepts)
        print(
            f"{name:32} {len(text):>8} chars   phrase rules {base * 1000:8.1f} ms (first {base_first * 1000:7.1f})"
            f"   phrase+concepts {full * 1000:8.1f} ms (first {full_first * 1000:7.1f})"
        )


if __name__ == "__main__":
    main()
