"""Find where a text may break clause 3.3: each finding with its clause, field and context."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from workflows.screening.normalise import fold
from workflows.screening.rules import Rule

CONTEXT_CHARS = 60


@dataclass(frozen=True)
class Finding:
    clause: str
    field: str  # which field holds it, as the editor labels it
    matched: str  # the words as written in the text
    before: str  # context around the match
    after: str
    rule: str
    regional: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def _snippet_before(text: str, start: int) -> str:
    head = text[max(0, start - CONTEXT_CHARS) : start]
    return ("…" if start > CONTEXT_CHARS else "") + head.lstrip()


def _snippet_after(text: str, end: int) -> str:
    tail = text[end : end + CONTEXT_CHARS]
    return tail.rstrip() + ("…" if end + CONTEXT_CHARS < len(text) else "")


def text_findings(text: str, rules: Iterable[Rule], *, field: str = "") -> list[Finding]:
    """Every place in ``text`` a rule matches; one finding per clause and place."""
    if not text:
        return []
    folded = fold(text)
    findings = []
    seen = set()
    for rule in rules:
        for match in rule.pattern.finditer(folded):
            start, end = match.span()
            if start == end or (rule.clause, start) in seen:
                continue
            seen.add((rule.clause, start))
            findings.append(
                Finding(
                    clause=rule.clause,
                    field=field,
                    matched=text[start:end],
                    before=_snippet_before(text, start),
                    after=_snippet_after(text, end),
                    rule=rule.text,
                    regional=rule.regional,
                )
            )
    return findings
