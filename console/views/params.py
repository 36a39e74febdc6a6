"""Ids and numbers the console reads from a request's parameters: text that is not one is a 404, never a 500."""

from __future__ import annotations

from django.http import Http404

# PostgreSQL's bigint: a larger id would make the query itself fail.
_LARGEST_ID = 2**63 - 1


def id_or_none(value) -> int | None:
    """The id a parameter holds (ASCII digits only: "²" and "١" are digits to ``str.isdigit``), or None."""
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= _LARGEST_ID else None


def id_or_404(value) -> int:
    number = id_or_none(value)
    if number is None:
        raise Http404("not an id")
    return number
