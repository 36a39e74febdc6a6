"""Screening rules (clause 3.3): the built-in lists and the regional office's own, compiled.

Rule syntax (the same for built-in and regional rules):

* a phrase: words separated by spaces (or hyphens); each word is a stem that matches any word
  starting with it ("kill" matches "killing"), or, ending in ``$``, exactly that
  word; consecutive words are adjacent, except that ``..`` allows up to three other
  words between them;
* ``re:`` followed by a regular expression, matched as it is.

Both are matched against the folded text (``normalise.fold``), so a phrase is
written in ordinary spelling and is folded the same way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from workflows.screening.normalise import fold

BUILT_IN_RULES = Path(__file__).resolve().parent.parent / "fixtures" / "screening_rules.json"

CLAUSES = ("3.3.1", "3.3.2", "3.3.4", "3.3.5", "3.3.6")
LANGUAGES = ("kk", "ru", "en")
_GAP_TOKEN = ".."  # noqa: S105 (a rule's syntax, not a password)
_GAP = r"(?:\W+\w+){0,3}\W+"
_REGEX_PREFIX = "re:"


@dataclass(frozen=True)
class Rule:
    clause: str
    language: str
    text: str  # as written, shown to the reviewer
    pattern: re.Pattern
    regional: bool = False

    @property
    def expression(self) -> str | None:
        """The regular expression of a ``re:`` rule (None for a phrase)."""
        text = self.text.strip()
        return text[len(_REGEX_PREFIX) :] if text.startswith(_REGEX_PREFIX) else None

    @property
    def first_stem(self) -> str | None:
        """The folded first word of a phrase rule (it matches words starting with it); None for a regular
        expression, which is tried everywhere. The matcher tries a phrase only where a word starts so."""
        return _first_stem(self.text)


@lru_cache(maxsize=8192)
def _first_stem(text: str) -> str | None:
    text = text.strip()
    if text.startswith(_REGEX_PREFIX) or not text:
        return None
    first = text.replace("-", " ").split()[0]
    stem = fold(first[:-1] if first.endswith("$") and len(first) > 1 else first)
    # A first word that is not all letters ("don't", "5%") is not a word's beginning: tried everywhere.
    return stem if re.fullmatch(r"\w+", stem) else None


def _word_pattern(word: str) -> str:
    if word.endswith("$") and len(word) > 1:
        return re.escape(fold(word[:-1])) + r"\b"
    return re.escape(fold(word)) + r"\w*"


def rule_pattern(text: str) -> re.Pattern:
    """Compile one rule; raises ValidationError with a message a regional officer understands."""
    text = text.strip()
    if not text:
        raise ValidationError(_("A rule cannot be empty."))
    if text.startswith(_REGEX_PREFIX):
        try:
            return re.compile(text[len(_REGEX_PREFIX) :], re.IGNORECASE)
        except re.error as error:
            raise ValidationError(_("This regular expression is not valid: %(error)s") % {"error": error}) from error
    parts = []
    previous_was_word = False
    # A hyphen inside a rule word separates words, so a hyphenated Kazakh verb pair also matches a space or a dash.
    for token in text.replace("-", " ").split():
        if token == _GAP_TOKEN:
            if not previous_was_word:
                raise ValidationError(_("Put “..” between two words."))
            parts.append(_GAP)
            previous_was_word = False
            continue
        if previous_was_word:
            parts.append(r"\W+")
        parts.append(_word_pattern(token))
        previous_was_word = True
    if not previous_was_word:
        raise ValidationError(_("Put “..” between two words."))
    return re.compile(r"(?<!\w)" + "".join(parts), re.IGNORECASE)


@lru_cache(maxsize=4096)
def _compiled(text: str) -> re.Pattern:
    return rule_pattern(text)


@cache
def built_in_rules() -> tuple[Rule, ...]:
    """The platform's rules for clauses 3.3.1, 3.3.2, 3.3.4, 3.3.5 and 3.3.6 in kk, ru and en."""
    data = json.loads(BUILT_IN_RULES.read_text(encoding="utf-8"))
    return tuple(
        Rule(clause=clause, language=language, text=text, pattern=_compiled(text))
        for clause in CLAUSES
        for language in LANGUAGES
        for text in data.get(clause, {}).get(language, [])
    )


def regional_rules() -> tuple[Rule, ...]:
    """Rules the regional office added for every school (public schema, one query)."""
    from workflows.models import RegionalScreeningRule

    return tuple(
        Rule(clause=row.clause, language=row.language, text=row.text, pattern=_compiled(row.text), regional=True)
        for row in RegionalScreeningRule.objects.filter(active=True).only("clause", "language", "text")
    )


_NEVER = re.compile(r"(?!)")


@lru_cache(maxsize=1024)
def concept_rule(clause: str, name: str) -> Rule:
    """A concept (``concepts``) as the rule a finding names: its clause and "concept: <name>"."""
    return Rule(clause=clause, language="", text=f"concept: {name}", pattern=_NEVER)


@lru_cache(maxsize=16)
def model_rule(clause: str) -> Rule:
    """The screening model (``model``) as the rule a finding names."""
    return Rule(clause=clause, language="", text="model: words weighed toward this clause", pattern=_NEVER)


def active_rules() -> tuple[Rule, ...]:
    return built_in_rules() + regional_rules()
