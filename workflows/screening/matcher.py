"""Find where a text may break clause 3.3: each finding with its clause, field and context."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from workflows.screening.concepts import Concept, concept_matches, prevention_spans
from workflows.screening.model import Model, Reading
from workflows.screening.normalise import fold, plain
from workflows.screening.regex_starts import first_characters
from workflows.screening.rules import Rule, concept_rule, model_rule

CONTEXT_CHARS = 60
_WORDS_REMEMBERED = 50_000  # a rule index remembers this many words' beginnings, then starts again
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
    text: str, rules: Iterable[Rule], concepts: tuple[Concept, ...] = (), model: Model | None = None
) -> Iterator[tuple[Rule, int, int]]:
    """Each (rule, start, end) where a rule, a concept or the model matches ``text``, offsets into ``text``
    as given; overlapping matches of one clause count once."""
    if not text:
        return
    spans: dict[str, list[tuple[int, int]]] = {}
    # A built-in phrase in the school's prevention work is quoted, not meant (a lesson on microloans quoting
    # "money in 15 minutes"); a regional rule is the office's own decision and stands.
    shelters = prevention_spans(text)
    reading = Reading(text, model) if model is not None else None

    def ordinary(start: int) -> bool:  # the model reads the passage as an ordinary school text
        return reading is not None and reading.ordinary(start)

    for rule, start, end in _phrase_matches(text, rules):
        # Decided before the span is claimed: a built-in match dropped here must not hide a regional
        # rule's overlapping match of the same clause.
        if (rule.regional or not (shelters.cover(rule.clause, start) or ordinary(start))) and _unclaimed(
            spans, rule.clause, start, end
        ):
            yield rule, start, end
    for concept, start, end in concept_matches(text, concepts):
        if not ordinary(start) and _unclaimed(spans, concept.clause, start, end):
            yield concept_rule(concept.clause, concept.name), start, end
    for clause, start, end in reading.matches() if reading is not None else ():
        if not shelters.cover(clause, start) and _unclaimed(spans, clause, start, end):
            yield model_rule(clause), start, end


def _unclaimed(spans: dict[str, list[tuple[int, int]]], clause: str, start: int, end: int) -> bool:
    """Whether no match of ``clause`` overlaps start..end yet; if none does, the span is claimed."""
    taken = spans.setdefault(clause, [])
    if any(start < other_end and other_start < end for other_start, other_end in taken):
        return False
    taken.append((start, end))
    return True


@dataclass
class _RuleIndex:
    by_stem: dict[str, list[Rule]]  # phrase rules by their first stem
    stem_prefixes: set[str]  # every beginning of a first stem: a word's prefixes are looked up while in here
    by_character: dict[str, list[Rule]]  # expressions by a character their match begins with
    everywhere: list[Rule]  # expressions that may begin with anything
    longest_stem: int = 0
    # A word's first ``longest_stem`` letters -> the phrase rules whose first stem begins it, remembered (the
    # words of a school's texts repeat); forgotten whole when full.
    by_word: dict[str, tuple[Rule, ...]] = field(default_factory=dict)

    def word_rules(self, head: str) -> tuple[Rule, ...]:
        rules = self.by_word.get(head)
        if rules is None:
            found: list[Rule] = []
            for length in range(1, len(head) + 1):
                prefix = head[:length]
                if prefix not in self.stem_prefixes:
                    break
                found += self.by_stem.get(prefix, ())
            rules = tuple(found)
            if len(self.by_word) >= _WORDS_REMEMBERED:
                self.by_word.clear()
            self.by_word[head] = rules
        return rules


@lru_cache(maxsize=8)  # the built-in rules, and with each region's own: built once per worker
def _rule_index(rules: tuple[Rule, ...]) -> _RuleIndex:
    index = _RuleIndex({}, set(), {}, [])
    for rule in rules:
        stem = rule.first_stem
        if stem is not None:
            index.by_stem.setdefault(stem, []).append(rule)
            index.stem_prefixes.update(stem[:length] for length in range(1, len(stem) + 1))
            index.longest_stem = max(index.longest_stem, len(stem))
            continue
        characters = first_characters(rule.expression) if rule.expression else None
        if characters is None or not all(_WORD.fullmatch(character) for character in characters):
            index.everywhere.append(rule)
        else:  # the text is lowercase; an expression is matched ignoring case
            for character in {character.lower() for character in characters}:
                index.by_character.setdefault(character, []).append(rule)
    return index


# Where a word begins, and where a number begins inside one ("до50%"): where expressions are tried;
# phrases, only where a word begins. Both begin with a word character and look behind after it: the engine
# then skips to the next word character (a page's starts: 9 -> 5 ms).
_STARTS = re.compile(r"(?P<word>\w(?<!\w\w))|\d(?<=[^\W\d]\d)")


def _rule_matches(folded: str, rules: Iterable[Rule]) -> Iterator[tuple[Rule, re.Match]]:
    # One pass over the words, not one per rule: at each word, only the phrases whose first stem begins it
    # (a dictionary lookup per prefix of the word) and the expressions that can begin with its first
    # character are tried, anchored there; linear in the text.
    index = _rule_index(tuple(rules))
    by_word = index.by_word
    for start in _STARTS.finditer(folded):
        position = start.start()
        for rule in index.by_character.get(start.group(), ()):
            if match := rule.pattern.match(folded, position):
                yield rule, match
        if start.lastgroup != "word":
            continue
        # A word begins here: its phrase rules depend on its first letters only.
        head = _WORD.match(folded, position).group()[: index.longest_stem]  # type: ignore[union-attr]
        stem_rules = by_word.get(head)
        if stem_rules is None:
            stem_rules = index.word_rules(head)
        for rule in stem_rules:
            if match := rule.pattern.match(folded, position):
                yield rule, match
    for rule in index.everywhere:
        for match in rule.pattern.finditer(folded):
            yield rule, match


def _phrase_matches(text: str, rules: Iterable[Rule]) -> Iterator[tuple[Rule, int, int]]:
    characters, origin = plain(text)
    folded = fold(characters)
    for rule, match in _rule_matches(folded, rules):
        if match.start() == match.end():
            continue
        # Back to the text as written: from the first character matched to the last one, inclusive.
        yield rule, origin[match.start()], origin[match.end() - 1] + 1


def text_findings(
    text: str,
    rules: Iterable[Rule],
    *,
    field: str = "",
    concepts: tuple[Concept, ...] = (),
    model: Model | None = None,
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
        for rule, start, end in text_matches(text, rules, concepts, model)
    ]
