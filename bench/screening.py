"""Screening speed (clause 3.3, issue 18): a 2,000-word page, a 50-page PDF's text, 100,000 characters of
punctuation. Baseline, same run: every rule's expression run over the whole folded text one after another
(the matcher before issue 18); then today's matcher with the phrase rules alone, and with the concepts: the
first run with no word seen before (every word through pymorphy3 and the Kazakh grammar), then the median
of the next runs (word keys remembered, as in a worker that has screened a few pages); last, a text
screened before, answered from the findings cached by its hash. Measured in a process made ready as a worker
is when it starts (workflows.screening.warm: dictionaries loaded, the loaded objects frozen out of the
garbage collector's sight); ``--no-warm-up`` measures without it.

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

from workflows.screening import kazakh, normalise, words  # noqa: E402 (after setup)
from workflows.screening.cached import cached_texts_findings  # noqa: E402
from workflows.screening.concepts import built_in_concepts, prevention_spans, token_spans  # noqa: E402
from workflows.screening.corpus import DEFAULT_CORPUS, corpus_examples  # noqa: E402
from workflows.screening.matcher import _rule_index, text_findings  # noqa: E402
from workflows.screening.model import built_in_model  # noqa: E402
from workflows.screening.normalise import fold  # noqa: E402
from workflows.screening.rules import built_in_rules  # noqa: E402
from workflows.screening.warm import warm_up  # noqa: E402

ROUNDS = 9


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


def _one_by_one(text: str, _concepts) -> None:
    folded = fold(text)
    for rule in built_in_rules():
        list(rule.pattern.finditer(folded))


def _matcher(text: str, concepts) -> None:
    text_findings(text, built_in_rules(), concepts=concepts)


def _everything(text: str, concepts) -> None:
    """What a publication runs: the phrase rules, the concepts and the model."""
    text_findings(text, built_in_rules(), concepts=concepts, model=built_in_model())


def _forget_text() -> None:
    """What screening remembers of the last texts it read (the same text read by phrases and concepts):
    forgotten before every run, or a repeated run would measure a dictionary lookup."""
    normalise.plain.cache_clear()
    normalise.fold.cache_clear()
    words.text_words.cache_clear()
    token_spans.cache_clear()
    prevention_spans.cache_clear()


def _forget_words() -> None:
    """The keys of words already seen (pymorphy3's and the Kazakh grammar's answers): a first run pays them."""
    words.word_keys.cache_clear()
    kazakh.kazakh_stems.cache_clear()
    _rule_index(tuple(built_in_rules())).by_word.clear()  # each word's phrase rules


def _timed(screen, text: str, concepts) -> tuple[float, float]:
    times = []
    _forget_words()
    for _round in range(ROUNDS):
        _forget_text()
        start = time.perf_counter()
        screen(text, concepts)
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:])


def _cached(text: str) -> float:
    """Median time to answer a text screened before, from the findings cached by its hash."""
    cached_texts_findings([("Body", text)], built_in_rules())
    times = []
    for _round in range(ROUNDS):
        _forget_text()
        start = time.perf_counter()
        cached_texts_findings([("Body", text)], built_in_rules())
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    if "--no-warm-up" not in sys.argv:
        warm_up()
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
        figures = [
            (label, *_timed(screen, text, with_concepts))
            for label, screen, with_concepts in (
                ("one by one (baseline)", _one_by_one, ()),
                ("phrase rules", _matcher, ()),
                ("phrase + concepts", _matcher, concepts),
                ("phrase + concepts + model", _everything, concepts),
            )
        ]
        print(f"{name} ({len(text):,} chars)")
        for label, first, median in figures:
            print(f"    {label:26} {median * 1000:8.1f} ms   (first run, no word seen before {first * 1000:8.1f} ms)")
        print(f"    {'screened before (cache)':26} {_cached(text) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
