"""Findings cached by content hash (issue 18): a text already screened under the same rules is not screened
again; a new regional rule screens every text afresh."""

import uuid

from django.core.cache import caches

from tests.workflows.conftest import prohibited_example
from workflows.models import RegionalScreeningRule
from workflows.screening import cached
from workflows.screening.cached import cached_texts_findings, findings_cache_key, rules_fingerprint, text_chunks
from workflows.screening.concepts import built_in_concepts
from workflows.screening.matcher import text_findings
from workflows.screening.rules import active_rules


def test_cached_findings_are_the_findings_and_are_kept(db):
    text = f"{prohibited_example('3.3.2', 'kk')} ({uuid.uuid4().hex})"
    expected = [
        {**finding.as_dict(), "field": "Body"}
        for finding in text_findings(text, active_rules(), concepts=built_in_concepts())
    ]
    assert expected
    key = findings_cache_key(rules_fingerprint(), text)
    assert caches["region"].get(key) is None
    assert cached_texts_findings([("Body", text)]) == expected
    assert caches["region"].get(key) == [{**finding, "field": ""} for finding in expected]


def test_a_text_screened_before_is_answered_from_the_cache(db):
    """Proof that the cache is read: what it holds for the text's hash is what comes back."""
    text = f"The choir sang at the city hall. ({uuid.uuid4().hex})"
    stored = {"clause": "3.3.5", "field": "", "matched": "choir", "before": "The ", "after": " sang", "rule": "r"}
    caches["region"].set(findings_cache_key(rules_fingerprint(), text), [stored])
    assert cached_texts_findings([("Мәтін", text)]) == [{**stored, "field": "Мәтін"}]


def test_a_new_regional_rule_screens_cached_texts_again(db):
    text = f"Наш новый девиз: всё о кружке робототехники. ({uuid.uuid4().hex})"
    assert cached_texts_findings([("Body", text)]) == []
    before = rules_fingerprint()
    RegionalScreeningRule.objects.create(clause="3.3.5", language="ru", text="кружк робототехники", reason="test")
    assert rules_fingerprint() != before
    assert [finding["clause"] for finding in cached_texts_findings([("Body", text)])] == ["3.3.5"]


def test_the_fingerprint_is_stable_for_the_same_code_and_lexicons(db):
    first = rules_fingerprint()
    cached._code_fingerprint.cache_clear()
    assert rules_fingerprint() == first


def test_long_texts_are_cut_at_line_ends_and_nothing_is_lost():
    text = "".join(f"line {number} of a long document\n" for number in range(10_000))
    chunks = text_chunks(text, size=1_000)
    assert "".join(chunks) == text
    assert all(chunk.endswith("\n") and len(chunk) <= 1_000 for chunk in chunks)
    assert text_chunks("no line end " * 200, size=1_000)[0] == ("no line end " * 200)[:1_000]
