"""What the floors above add to the sections without this app importing them (docs/architecture.md).

The apps above register in their ``AppConfig.ready``: workflows adds the archive and screening checks before a
person publishes (clauses 1.2, 3.3) and the "somebody answers for it" item of completeness (clause 5.4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# check(page=..., revision=...) raises (PermissionDenied or ValidationError) when that revision must not go out.
PublicationCheck = Callable[..., None]
# rule(page_ids) -> {page_id: [what is missing, ...]} for the section pages given (one query for all of them).
CompletenessRule = Callable[[set[int]], dict[int, list[str]]]

_publication_checks: list[PublicationCheck] = []
_completeness_rules: list[CompletenessRule] = []


def publication_check_register(check: PublicationCheck) -> None:
    if check not in _publication_checks:  # ready() may run twice in a test process
        _publication_checks.append(check)


def publication_checks() -> Iterable[PublicationCheck]:
    return tuple(_publication_checks)


def completeness_rule_register(rule: CompletenessRule) -> None:
    if rule not in _completeness_rules:
        _completeness_rules.append(rule)


def completeness_rules() -> Iterable[CompletenessRule]:
    return tuple(_completeness_rules)
