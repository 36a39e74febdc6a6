"""Formula injection (issue 13): text a spreadsheet would run as a formula is kept as text in every export —
the console's overview, a school's state, the office's and a school's audit trail, and the editor's own
exports (the director's audit trail, Wagtail's site history and every other Wagtail report)."""

import csv
import io

import pytest
from django.urls import get_resolver
from django_tenants.utils import schema_context
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.log_actions import log

from tenants.spreadsheets import SpreadsheetSafeExportMixin, spreadsheet_safe
from tests.factories import console_client, login_verified
from tests.workflows.conftest import news_draft

FORMULA = '=HYPERLINK("http://evil.test","x")'


@pytest.mark.parametrize("text", [FORMULA, "+1+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_like_text_gets_an_apostrophe(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", [5, -5, 2.5, None, True, "", "Школа №7", "-3", "+7.5", "a=b"])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert spreadsheet_safe(value) == value


def _cells(csv_text: str) -> set[str]:
    return {cell for row in csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))) for cell in row}


def _xlsx_cells(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.fixture
def formula_school(make_school):
    return make_school(subdomain="formula-school", name_kk=FORMULA, name_ru=FORMULA, name_en=FORMULA)


def test_the_school_page_exports_and_the_office_audit_keep_formulas_as_text(db, client_for, formula_school):
    office = console_client(client_for, "office-formula")
    school_id = formula_school.school.pk
    from tenants.audit import regional_action_record
    from tenants.models import RegionalAction

    regional_action_record(
        actor="=cmd|' /C calc'!A0",
        action=RegionalAction.Action.SUSPEND,
        school=formula_school.school,
        reason="@SUM(1)",
    )
    audit = office.get("/audit/?export=csv").content.decode("utf-8-sig")
    assert {"'=cmd|' /C calc'!A0", "'@SUM(1)", "'" + FORMULA} <= _cells(audit)
    assert not any(cell.startswith(("=", "@")) for cell in _cells(audit))
    for fmt in ("csv", "xlsx"):
        response = office.get(f"/schools/{school_id}/?export={fmt}")
        assert response.status_code == 200
        if fmt == "xlsx":
            cells = _xlsx_cells(response.content)
            assert all(cell.data_type != "f" for cell in cells)


def test_the_consoles_tables_keep_numbers_as_numbers_and_formulas_as_text():
    from console.exports import table_csv, table_xlsx

    rows = [[FORMULA, 3, -2.5, "-4"]]
    assert _cells(table_csv(["=heading", "n", "x", "y"], rows).decode()) == {
        "'=heading",
        "n",
        "x",
        "y",
        "'" + FORMULA,
        "3",
        "-2.5",
        "-4",
    }
    cells = _xlsx_cells(table_xlsx(["=heading", "n", "x", "y"], rows, title="t"))
    assert [cell.value for cell in cells] == ["'=heading", "n", "x", "y", "'" + FORMULA, 3, -2.5, "-4"]


def test_a_schools_audit_csv_in_the_console_keeps_formulas_as_text(db, client_for, school_site, people):
    page = news_draft(people["teacher"], title=FORMULA)
    log(instance=page, action="wagtail.edit", user=people["teacher"], data={"reason": "-1+cmd"})
    school_id = school_site.school.pk
    with schema_context("public"):
        audit = console_client(client_for, "office-audit").get(f"/schools/{school_id}/audit.csv").content.decode()
    cells = _cells(audit)
    assert "'" + FORMULA in cells and "'-1+cmd" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


@pytest.mark.parametrize("url", ["/admin/audit/", "/admin/reports/site-history/"])
def test_the_editors_audit_trail_and_site_history_exports_keep_formulas_as_text(school_site, people, client_for, url):
    """The director's audit trail and Wagtail's site history, in CSV and XLSX."""
    page = news_draft(people["teacher"], title=FORMULA)
    log(instance=page, action="wagtail.edit", user=people["director"])
    client = client_for(school_site.hostname)
    login_verified(client, people["director"])
    response = client.get(url + "?export=csv")
    assert response.status_code == 200
    cells = _cells(b"".join(response.streaming_content).decode("utf-8-sig"))
    assert "'" + FORMULA in cells
    assert not any(cell.startswith("=") for cell in cells)
    values = [cell.value for cell in _xlsx_cells(b"".join(client.get(url + "?export=xlsx").streaming_content))]
    assert "'" + FORMULA in values


def test_every_spreadsheet_export_of_a_schools_editor_is_made_safe(settings):
    """A guard: any Wagtail view that exports (a report, a listing) that a school's URLs reach is the safe one."""
    resolver = get_resolver("regional_platform.urls_tenants")
    exporting = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
                continue
            view_class = getattr(pattern.callback, "view_class", None)
            if not (view_class and issubclass(view_class, SpreadsheetExportMixin)):
                continue
            columns = getattr(pattern.callback, "view_initkwargs", {}).get("list_export", view_class.list_export)
            if columns:  # a listing without columns to export (documents, collections…) exports nothing
                exporting.append("/" + prefix + str(pattern.pattern))

    walk(resolver.url_patterns)
    assert "/admin/reports/site-history/" in exporting
    unsafe = []
    for path in exporting:
        if "<" in path or "(" in path:
            continue  # a pattern with parameters: covered by its class below
        match = resolver.resolve(path)
        if not issubclass(match.func.view_class, SpreadsheetSafeExportMixin):
            unsafe.append(path)
    assert unsafe == []
