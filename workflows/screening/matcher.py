"""Find where a text may break clause 3.3: each finding with its clause, field and context."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from workflows.screening.concepts import EVERY_CLAUSE, Concept, concept_matches, prevention_paragraphs
from workflows.screening.normalise import fold, plain
from workflows.screening.regex_starts import first_characters
from workflows.screening.rules import Rule, concept_rule

CONTEXT_CHARS = 60
_WORD = re.compile(r"\w+")


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


def text_matches(
    text: str, rules: Iterable[Rule], concepts: tuple[Concept, ...] = ()
) -> Iterator[tuple[Rule, int, int]]:
    """Each (rule, start, end) where a rule or a concept matches ``text``, offsets into ``text`` as given;
    overlapping matches of one clause count once."""
    if not text:
        return
    spans: dict[str, list[tuple[int, int]]] = {}
    # A built-in phrase in a paragraph of the school's prevention work is quoted, not meant (a lesson on
    # microloans quoting "money in 15 minutes"); a regional rule is the office's own decision and stands.
    prevention = list(prevention_paragraphs(text).values())
    for rule, start, end in _phrase_matches(text, rules, spans):
        if rule.regional or not any(
            low <= start < high and (clauses is EVERY_CLAUSE or rule.clause in clauses)
            for low, high, clauses in prevention
        ):
            yield rule, start, end
    for concept, start, end in concept_matches(text, concepts):
        taken = spans.setdefault(concept.clause, [])
        if not any(start < other_end and other_start < end for other_start, other_end in taken):
            taken.append((start, end))
            yield concept_rule(concept.clause, concept.name), start, end


@dataclass
class _RuleIndex:
    by_stem: dict[str, list[Rule]]  # phrase rules by their first stem
    by_character: dict[str, list[Rule]]  # expressions by a character their match begins with
    everywhere: list[Rule]  # expressions that may begin with anything


def _rule_index(rules: Iterable[Rule]) -> _RuleIndex:
    index = _RuleIndex({}, {}, [])
    for rule in rules:
        stem = rule.first_stem
        if stem is not None:
            index.by_stem.setdefault(stem, []).append(rule)
            continue
        characters = first_characters(rule.expression) if rule.expression else None
        if characters is None or not all(_WORD.fullmatch(character) for character in characters):
            index.everywhere.append(rule)
        else:  # the text is lowercase; an expression is matched ignoring case
            for character in {character.lower() for character in characters}:
                index.by_character.setdefault(character, []).append(rule)
    return index


# Where a word begins, and where a number begins inside one ("до50%"): where expressions are tried;
# phrases, only where a word begins.
_STARTS = re.compile(r"(?P<word>\b\w)|(?<=[^\W\d])\d")


def _rule_matches(folded: str, rules: Iterable[Rule]) -> Iterator[tuple[Rule, re.Match]]:
    # One pass over the words, not one per rule: at each word, only the phrases whose first stem begins it
    # (a dictionary lookup per prefix of the word) and the expressions that can begin with its first
    # character are tried, anchored there; linear in the text.
    index = _rule_index(rules)
    longest = max(map(len, index.by_stem), default=0)
    for start in _STARTS.finditer(folded):
        position = start.start()
        for rule in index.by_character.get(start.group(), ()):
            if match := rule.pattern.match(folded, position):
                yield rule, match
        if start.lastgroup != "word":
            continue
        letters = _WORD.match(folded, position).group()  # type: ignore[union-attr]  # a word begins here
        for length in range(1, min(len(letters), longest) + 1):
            for rule in index.by_stem.get(letters[:length], ()):
                if match := rule.pattern.match(folded, position):
                    yield rule, match
    for rule in index.everywhere:
        for match in rule.pattern.finditer(folded):
            yield rule, match


def _phrase_matches(text: str, rules: Iterable[Rule], spans: dict) -> Iterator[tuple[Rule, int, int]]:
    characters, origin = plain(text)
    folded = fold(characters)
    for rule, match in _rule_matches(folded, rules):
        if match.start() == match.end():
            continue
        # Back to the text as written: from the first character matched to the last one, inclusive.
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        taken = spans.setdefault(rule.clause, [])
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        taken.append((start, end))
        yield rule, start, end


def text_findings(
    text: str, rules: Iterable[Rule], *, field: str = "", concepts: tuple[Concept, ...] = ()
) -> list[Finding]:
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
        for rule, start, end in text_matches(text, rules, concepts)
    ]
