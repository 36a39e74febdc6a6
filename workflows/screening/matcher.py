"""Find where a text may break clause 3.3: each finding with its clause, field and context."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from workflows.screening.normalise import fold, plain
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


def text_matches(text: str, rules: Iterable[Rule]) -> Iterator[tuple[Rule, int, int]]:
    """Each (rule, start, end) where a rule matches ``text``, offsets into ``text`` as given; overlapping
    matches of one clause count once."""
    if not text:
        return
    characters, origin = plain(text)
    folded = fold(characters)
    spans: dict[str, list[tuple[int, int]]] = {}
    for rule in rules:
        for match in rule.pattern.finditer(folded):
            if match.start() == match.end():
                continue
            # Back to the text as written: from the first character matched to the last one, inclusive.
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            taken = spans.setdefault(rule.clause, [])
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            taken.append((start, end))
            yield rule, start, end


def text_findings(text: str, rules: Iterable[Rule], *, field: str = "") -> list[Finding]:
    """Every place in ``text`` a rule matches, as the reviewer sees it (clause, field, words in context)."""
    return [
        Finding(
            clause=rule.clause,
            field=field,
            matched=text[start:end],
            before=_snippet_before(text, start),
            after=_snippet_after(text, end),
            rule=rule.text,
            regional=rule.regional,
        )
        for rule, start, end in text_matches(text, rules)
    ]
