"""``python manage.py screen_texts FILE``: screen texts as a publication would be (clause 3.3), one JSON line each.

For the regional office trying rules before enabling them, and for evaluating screening on a corpus. FILE
(``-`` for standard input) holds JSON lines ``{"id": …, "lang": "kk|ru|en", "text": …}``; each gets one line
``{"id": …, "findings": [{"clause", "rule", "regional", "matched", "start", "end"}, …]}`` with offsets into
the text as given, or ``{"id": …, "error": …}`` for a line that cannot be read (the others still are; the
exit status is 1 then). The rules are the platform's phrase and concept rules, its model
(workflows.screening.model) and the office's active ones; ``--rule`` adds one to try (with ``--clause``),
and ``--only-tried`` screens with the tried rules alone.
"""

from __future__ import annotations

import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from workflows.screening.concepts import built_in_concepts
from workflows.screening.matcher import text_matches
from workflows.screening.model import built_in_model
from workflows.screening.rules import CLAUSES, LANGUAGES, Rule, active_rules, rule_pattern


def _tried_rules(texts: list[str], clause: str | None) -> tuple[Rule, ...]:
    if texts and clause not in CLAUSES:
        raise CommandError(f"--rule needs --clause, one of {', '.join(CLAUSES)}.")
    rules = []
    for text in texts:
        try:
            rules.append(Rule(clause=clause or "", language="", text=text, pattern=rule_pattern(text), regional=True))
        except ValidationError as error:
            raise CommandError(f"--rule {text!r}: {' '.join(error.messages)}") from error
    return tuple(rules)


def _line_result(line: str, rules, concepts, model) -> dict:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        return {"id": None, "error": f"not JSON: {error.msg} at column {error.colno}"}
    if not isinstance(item, dict):
        return {"id": None, "error": 'expected an object like {"id": 1, "lang": "ru", "text": "…"}'}
    identifier, language, text = item.get("id"), item.get("lang"), item.get("text")
    if not isinstance(text, str):
        return {"id": identifier, "error": '"text" must be a string'}
    if language is not None and language not in LANGUAGES:
        return {"id": identifier, "error": f'"lang" must be one of {", ".join(LANGUAGES)}'}
    findings = [
        {
            "clause": rule.clause,
            "rule": rule.text,
            "regional": rule.regional,
            "matched": text[start:end],
            "start": start,
            "end": end,
        }
        for rule, start, end in text_matches(text, rules, concepts, model)
    ]
    return {"id": identifier, "findings": findings}


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON lines; - for standard input")
        parser.add_argument("--rule", action="append", default=[], help="a rule to try (repeatable)")
        parser.add_argument("--clause", choices=CLAUSES, help="the clause of the rules tried")
        parser.add_argument("--only-tried", action="store_true", help="screen with the tried rules alone")

    def handle(self, *args, file: str, rule: list[str], clause: str | None, only_tried: bool, **options):
        tried = _tried_rules(rule, clause)
        if only_tried and not tried:
            raise CommandError("--only-tried needs at least one --rule.")
        rules = tried if only_tried else active_rules() + tried
        concepts = () if only_tried else built_in_concepts()
        model = None if only_tried else built_in_model()
        try:
            stream = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115 (closed below)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        failed = False
        with stream:
            for line in stream:
                if not line.strip():
                    continue
                result = _line_result(line, rules, concepts, model)
                failed = failed or "error" in result
                self.stdout.write(json.dumps(result, ensure_ascii=False))
        if failed:
            sys.exit(1)
