"""The region's overview as a spreadsheet (CSV or XLSX), with the same filters as on screen."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook


def overview_headings() -> list[str]:
    return [
        _("School"),
        _("BIN"),
        _("District"),
        _("Status"),
        _("Score (%)"),
        _("Mandatory items missing"),
        _("Stale sections"),
        _("Stale since"),
        _("Submissions waiting for review"),
        _("Screening findings waiting"),
        _("Last update"),
        _("Site administrator"),
        _("Administrator's last sign-in"),
        _("Site"),
    ]


def _administrator(school) -> tuple[str, str]:
    """Who administers the site and when they last signed in, from the school's last scan."""
    summary = getattr(school, "summary", None)
    if summary is None:
        return "", ""
    login = summary.administrator_last_login
    return summary.administrators, login.date().isoformat() if login else ""


def overview_rows(schools) -> list[list]:
    return [
        [
            school.name,
            school.bin,
            school.district,
            school.get_status_display(),
            round(school.score) if school.score is not None else "",
            school.missing_items,
            school.stale_sections,
            school.stale_since.date().isoformat() if school.stale_since else "",
            school.pending_reviews,
            school.findings_waiting,
            school.last_update.date().isoformat() if school.last_update else "",
            *_administrator(school),
            school.primary_host or "",
        ]
        for school in schools
    ]


def overview_csv(schools) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(overview_headings())
    writer.writerows(overview_rows(schools))
    return ("\ufeff" + out.getvalue()).encode()  # the BOM makes spreadsheet programs read UTF-8


def overview_xlsx(schools) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Schools"))
    sheet.append(overview_headings())
    for row in overview_rows(schools):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
