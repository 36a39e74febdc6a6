"""Findings cached by content hash (issue 18): a text screened once is not screened again.

A page is screened when it is submitted, again when it is published, and each time its findings page
opens; most of its fields and documents have not changed in between, and a regional announcement's text
is the same in every school. The findings of one text depend only on the text and on the rules, so they
are kept under the text's hash and the rules' fingerprint, in the region-wide cache (no schema in the key:
the same text in two schools is screened once). A rule added or edited, or a new version of the screening
code, its lexicons or the model's weights, makes a new fingerprint, and every text is screened afresh.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.core.cache import caches

from workflows.screening.concepts import CONCEPTS, built_in_concepts
from workflows.screening.matcher import text_findings
from workflows.screening.model import built_in_model
from workflows.screening.rules import BUILT_IN_RULES, Rule, active_rules

FIXTURES = BUILT_IN_RULES.parent

CACHE_SECONDS = 14 * 24 * 3600
# A long text (a document) is screened in pieces cut at line ends: memory stays bounded, and a piece
# that repeats (the same annex in two documents) is found in the cache.
CHUNK_CHARS = 50_000


@cache
def _code_fingerprint() -> str:
    """The screening code and its data as deployed: a change in any of them is a new fingerprint."""
    digest = hashlib.sha256()
    # Every data file screening reads: the phrase rules, the concepts, the prevention words, the folding
    # tables, the English irregular verbs, the model's weights (screening_model.json).
    data = [*sorted(FIXTURES.glob("screening_*.json")), *sorted(CONCEPTS.glob("*.json"))]
    sources = [*sorted(Path(__file__).resolve().parent.glob("*.py")), *data]
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _rules_fingerprint(rules: tuple[Rule, ...]) -> str:
    digest = hashlib.sha256(_code_fingerprint().encode())
    for rule in rules:
        if rule.regional:  # the built-in ones are in the code fingerprint
            digest.update(f"{rule.clause}\x1f{rule.language}\x1f{rule.text}\x1e".encode())
    return digest.hexdigest()[:16]


def text_chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """``text`` in pieces of about ``size`` characters, each ending at a line end where there is one."""
    chunks, start = [], 0
    while len(text) - start > size:
        end = text.rfind("\n", start + size // 2, start + size)
        end = start + size if end == -1 else end + 1
        chunks.append(text[start:end])
        start = end
    chunks.append(text[start:])
    return chunks


def findings_cache_key(fingerprint: str, text: str) -> str:
    return f"screening-findings:{fingerprint}:{hashlib.sha256(text.encode()).hexdigest()}"


def rules_fingerprint() -> str:
    return _rules_fingerprint(active_rules())


def cached_texts_findings(texts: list[tuple[str, str]], rules: tuple[Rule, ...] | None = None) -> list[dict]:
    """Findings (as dicts) in ``(field, text)`` pairs, in order; each text's taken from the cache if it
    was screened under the same rules (the active ones unless given) before."""
    rules = active_rules() if rules is None else rules
    concepts, model = built_in_concepts(), built_in_model()
    fingerprint = _rules_fingerprint(rules)
    pieces = [(field, chunk) for field, text in texts for chunk in text_chunks(text)]
    keys = [findings_cache_key(fingerprint, chunk) for _field, chunk in pieces]
    region = caches["region"]
    cached = region.get_many(keys)
    fresh = {}
    findings: list[dict] = []
    for key, (field, chunk) in zip(keys, pieces, strict=True):
        found = cached.get(key)
        if found is None:
            found = [finding.as_dict() for finding in text_findings(chunk, rules, concepts=concepts, model=model)]
            fresh[key] = found
        findings.extend({**finding, "field": field} for finding in found)
    if fresh:
        region.set_many(fresh, CACHE_SECONDS)
    return findings
