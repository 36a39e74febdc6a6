"""The region's overview as a spreadsheet (CSV or XLSX), with the same filters as on screen."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tenants.spreadsheets import spreadsheet_row

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def overview_headings() -> list[str]:
    return [
        _("School"),
        _("BIN"),
        _("District"),
        _("Status"),
        _("Score (%)"),
        _("Mandatory items missing"),
        _("Licence expired"),
        _("Stale sections"),
        _("Stale since"),
        _("Submissions waiting for review"),
        _("Screening findings waiting"),
        _("Last update"),
        _("Site administrator"),
        _("Administrator's last sign-in"),
        _("Site"),
        _("Site health problems"),
    ]


def _administrator(school) -> tuple[str, str]:
    """Who administers the site and when they last signed in, from the school's last scan."""
    summary = getattr(school, "summary", None)
    if summary is None:
        return "", ""
    login = summary.administrator_last_login
    return summary.administrators, login.date().isoformat() if login else ""


def _site_health_problems(school) -> int | str:
    """What the last site-health check found on the school's site (clause 5.6); empty before the first."""
    try:
        return school.site_health.problems
    except ObjectDoesNotExist:
        return ""


def overview_rows(schools) -> list[list]:
    return [
        [
            school.name,
            school.bin,
            school.district,
            school.get_status_display(),
            round(school.score) if school.score is not None else "",
            school.missing_items,
            _("yes") if getattr(getattr(school, "summary", None), "licence_expired", False) else "",
            school.stale_sections,
            school.stale_since.date().isoformat() if school.stale_since else "",
            school.pending_reviews,
            school.findings_waiting,
            school.last_update.date().isoformat() if school.last_update else "",
            *_administrator(school),
            school.primary_host or "",
            _site_health_problems(school),
        ]
        for school in schools
    ]


def table_csv(headings: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(spreadsheet_row(headings))
    writer.writerows(spreadsheet_row(row) for row in rows)
    return ("\ufeff" + out.getvalue()).encode()  # the BOM makes spreadsheet programs read UTF-8


def table_xlsx(headings: list[str], rows: list[list], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])  # Excel's limit for a sheet name
    sheet.append(spreadsheet_row(headings))
    for row in rows:
        sheet.append(spreadsheet_row(row))  # openpyxl would store "=…" as a formula
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def overview_csv(schools) -> bytes:
    return table_csv(overview_headings(), overview_rows(schools))


def overview_xlsx(schools) -> bytes:
    return table_xlsx(overview_headings(), overview_rows(schools), title=_("Schools"))


def school_state_headings() -> list[str]:
    return [
        _("Clause"),
        _("Section"),
        _("Mandatory"),
        _("Complete"),
        _("Items missing"),
        _("Last update"),
        _("Stale since"),
        _("Update period (days)"),
        _("Responsible people"),
        _("Submissions waiting for review"),
        _("Screening findings waiting"),
    ]


def school_state_rows(sections: list[dict]) -> list[list]:
    """``sections``: the school page's rows (ledger entry, catalogue section, responsible people's names)."""
    yes, no = _("yes"), _("no")
    rows = []
    for row in sections:
        entry = row["entry"]
        rows.append([
            entry.section_code,
            str(row["section"].title),
            yes if entry.mandatory else no,
            yes if entry.complete else no,
            entry.missing_count,
            entry.last_updated.date().isoformat() if entry.last_updated else "",
            entry.stale_since.date().isoformat() if entry.stale_since else "",
            entry.period_days,
            ", ".join(row["people"]),
            entry.pending_reviews,
            entry.findings_waiting,
        ])  # fmt: skip
    return rows
