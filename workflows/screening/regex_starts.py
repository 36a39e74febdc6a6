"""The characters a regular-expression rule's match can begin with (issue 18, speed).

A rule written as ``re:`` is an expression, not a phrase; run over the whole text, each one costs a scan,
and thirty of them cost more than the rest of screening. Most begin with a word, a digit or a few letters;
tried only where a word begins with one of them, they cost a dictionary lookup per word. This reads the
expression's parsed form (the standard library's own parser) and answers the set of first characters, or
None when it cannot tell (a rule that may begin anywhere with anything is tried everywhere, as before).
"""

from __future__ import annotations

import string
from functools import lru_cache

# Python 3.11+: the parser behind ``re`` (``sre_parse`` before, which still works but warns).
from re import _constants as _codes  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

_ZERO_WIDTH = {_codes.AT, _codes.ASSERT, _codes.ASSERT_NOT}
_DIGITS = frozenset(string.digits)
_Unknown = object()


def _first(items) -> tuple[frozenset[str] | object, bool]:
    """(first characters of the sequence ``items``, whether it can match empty)."""
    found: set[str] = set()
    for op, argument in items:
        if op in _ZERO_WIDTH:
            continue
        characters, empty = _first_of(op, argument)
        if characters is _Unknown:
            return _Unknown, False
        found |= characters  # type: ignore[operator]
        if not empty:
            return frozenset(found), False
    return frozenset(found), True


def _first_of(op, argument) -> tuple[frozenset[str] | object, bool]:
    if op == _codes.LITERAL:
        return frozenset({chr(argument)}), False
    if op == _codes.IN:
        return _set_characters(argument), False
    if op == _codes.SUBPATTERN:
        return _first(argument[-1])
    if op == _codes.BRANCH:
        return _branch_first(argument[1])
    if op in (_codes.MAX_REPEAT, _codes.MIN_REPEAT):
        low, _high, item = argument
        characters, empty = _first(item)
        return characters, empty or low == 0
    return _Unknown, False


def _branch_first(branches) -> tuple[frozenset[str] | object, bool]:
    found: set[str] = set()
    empty = False
    for branch in branches:
        characters, branch_empty = _first(branch)
        if characters is _Unknown:
            return _Unknown, False
        found |= characters  # type: ignore[operator]
        empty = empty or branch_empty
    return frozenset(found), empty


def _set_characters(items) -> frozenset[str] | object:
    found: set[str] = set()
    for op, argument in items:
        if op == _codes.LITERAL:
            found.add(chr(argument))
        elif op == _codes.RANGE and argument[1] - argument[0] < 200:
            found.update(chr(code) for code in range(argument[0], argument[1] + 1))
        elif op == _codes.CATEGORY and argument == _codes.CATEGORY_DIGIT:
            found |= _DIGITS
        else:  # a negated set, a word category, a wide range: anything
            return _Unknown
    return frozenset(found)


@lru_cache(maxsize=4096)
def first_characters(expression: str) -> frozenset[str] | None:
    """The characters a match of ``expression`` can begin with; None if any (or if it can match empty)."""
    try:
        characters, empty = _first(_parser.parse(expression))
    except Exception:  # an expression the parser of this Python reads otherwise: tried everywhere
        return None
    if characters is _Unknown or empty or not characters:
        return None
    return characters  # type: ignore[return-value]
