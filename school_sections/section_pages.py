"""A school's section pages (depth 3), each as its own page type, in one query.

The daily scan reads them in every school (issue 14). One query per page type (eleven) cost more in round
trips, executor start-ups and Django's per-query work than the pages themselves: one statement joins the
page tree to every section type's table and each row is built as the type whose table it has a row in.
The statement and each type's columns and converters are worked out once per process: they are the same
in every school (the schema is the connection's search path).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from wagtail.models import Page

from regulation import catalogue


@dataclass(frozen=True)
class _PageType:
    model: type[Page]
    present_at: int  # the row's index of this type's primary key: not NULL if the page is of this type
    columns: tuple[int, ...]  # the row's index of each of the model's concrete fields, in their order
    converters: tuple[tuple[int, tuple, object], ...]  # (field index, converters, column) as Django applies them


@dataclass(frozen=True)
class _Statement:
    sql: str
    types: tuple[_PageType, ...]


@functools.cache
def _statement() -> _Statement:
    models = sorted({apps.get_model(entry.page_model) for entry in catalogue.CATALOGUE}, key=lambda m: m._meta.label)
    page_fields = list(Page._meta.concrete_fields)
    columns = [f'p."{field.column}"' for field in page_fields]
    joins, types = [], []
    for number, model in enumerate(models):
        alias, own = f"s{number}", list(model._meta.local_concrete_fields)
        fields = list(model._meta.concrete_fields)
        if [field.column for field in fields[: len(page_fields)]] != [field.column for field in page_fields]:
            raise TypeError(f"{model._meta.label} is not a direct child of Wagtail's Page")
        start = len(columns)
        columns += [f'{alias}."{field.column}"' for field in own]
        joins.append(f'LEFT JOIN "{model._meta.db_table}" {alias} ON {alias}."{model._meta.pk.column}" = p."id"')
        converters = []
        for index, field in enumerate(fields):
            column = field.get_col(alias)
            found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if found:
                converters.append((index, tuple(found), column))
        types.append(
            _PageType(
                model=model,
                present_at=start + own.index(model._meta.pk),
                columns=(*range(len(page_fields)), *range(start, start + len(own))),
                converters=tuple(converters),
            )
        )
    sql = (
        f'SELECT {", ".join(columns)} FROM "{Page._meta.db_table}" p {" ".join(joins)} '
        f'WHERE p."depth" = 3 ORDER BY p."path"'
    )
    return _Statement(sql=sql, types=tuple(types))


def _page(page_type: _PageType, row: tuple) -> Page:
    values = [row[index] for index in page_type.columns]
    for index, converters, column in page_type.converters:
        value = values[index]
        for converter in converters:
            value = converter(value, column, connection)
        values[index] = value
    return page_type.model.from_db(connection.alias, None, values)


def section_pages() -> dict[str, Page]:
    """The active school's section pages by clause code (the first by tree order if a code had two)."""
    statement = _statement()
    with connection.cursor() as cursor:
        cursor.execute(statement.sql)
        rows = cursor.fetchall()
    pages: dict[str, Page] = {}
    for row in rows:
        page_type = next((each for each in statement.types if row[each.present_at] is not None), None)
        if page_type is not None:  # a page at depth 3 of no section type (none is made so; kept out)
            page = _page(page_type, row)
            pages.setdefault(page.section_code, page)
    return pages
