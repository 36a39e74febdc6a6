"""Cell values safe to hand to a spreadsheet: every export of the platform goes through here — the console's
CSV and XLSX files, a school's audit trail, and the editor's own reports (Wagtail's site history, the director's
audit trail and the other report listings, through ``SpreadsheetSafeExportMixin``)."""

from __future__ import annotations

import re

from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number written as text ("-3", "+7.5") is a number to a spreadsheet, never a formula: it stays as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def spreadsheet_safe(value):
    """Text that a spreadsheet would run as a formula (a school's name from an uploaded file, say) is kept as
    text, with the apostrophe spreadsheets themselves use for that (OWASP: CSV injection). Numbers, dates and
    empty cells are returned unchanged; lazy translations are made text first."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Promise):  # gettext_lazy
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def spreadsheet_row(values) -> list:
    """A whole row made safe, cell by cell."""
    return [spreadsheet_safe(value) for value in values]


class SpreadsheetSafeExportMixin:
    """For a view built on Wagtail's ``SpreadsheetExportMixin`` (its reports, its listings): every cell and
    heading of its CSV and XLSX goes through ``spreadsheet_safe``. Wagtail only stops openpyxl from storing
    "=…" as a formula in XLSX; its CSV writes such text as it is."""

    def preprocess_field_value(self, field, value, export_format):
        return spreadsheet_safe(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return spreadsheet_safe(super().get_heading(queryset, field))
