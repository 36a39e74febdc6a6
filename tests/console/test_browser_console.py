"""In a real browser (issue 6, point 8): the office filters the overview, opens a school, exports,
and onboards schools from a CSV file with a preview and a live progress bar fed by a real worker."""

import csv
import io

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from accounts.enrolment import enrolment_code_issue
from compliance.models import LedgerEntry, SchoolSummary
from compliance.services import school_scan
from provisioning.models import SchoolImport
from tenants.models import School
from tests.browser import console_sign_in, skip_without_chromium
from tests.factories import regional_staff, valid_bin

pytestmark = [pytest.mark.browser, skip_without_chromium]
HEADER = [
    "name_kk",
    "name_ru",
    "short_name",
    "bin",
    "region",
    "district",
    "address",
    "subdomain",
    "head_full_name",
    "head_email",
]

# Installed in every page: report each value the import's progress bar is given.
RECORD_PROGRESS = """
document.addEventListener("DOMContentLoaded", () => {
  const bar = document.getElementById("import-bar");
  if (!bar) return;
  window.progressShown(Number(bar.getAttribute("value")));
  new MutationObserver(() => window.progressShown(Number(bar.getAttribute("value")))).observe(
    bar, { attributes: true, attributeFilter: ["value"] }
  );
});
"""


@pytest.fixture
def office(server, session_schools, django_db_blocker):
    """A committed office administrator, and the session's schools scanned: alpha incomplete."""
    from django.utils import timezone

    with django_db_blocker.unblock():
        user = regional_staff("browser-console", password="Console-pass-42")
        user.enrolment_code = enrolment_code_issue(user)[0]
        for provisioned in session_schools.values():
            with schema_context(provisioned.school.schema_name):
                school_scan(now=timezone.now())
        connection.set_schema_to_public()
        LedgerEntry.objects.filter(school=session_schools["beta"].school, mandatory=True).update(
            complete=True, missing_count=0
        )
    yield user
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        type(user).objects.filter(pk=user.pk).update(is_active=False, username=f"browser-console-done-{user.pk}")
        LedgerEntry.objects.filter(school__in=[p.school for p in session_schools.values()]).delete()
        SchoolSummary.objects.filter(school__in=[p.school for p in session_schools.values()]).delete()
        for school in School.objects.filter(schema_name__startswith="school_bulk_browser_"):
            school.domains.all().delete()
            school.delete(force_drop=True)
        SchoolImport.objects.all().delete()


def _csv_file(tmp_path, count: int):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for number in range(1, count + 1):
        writer.writerow([
            f"Мектеп {number}", f"Школа {number}", f"B{number}", valid_bin(8800 + number), "Abai", "Semey",
            f"Street {number}", f"bulk-browser-{number}", f"Head {number}", f"head{number}@bulk-browser.kz",
        ])  # fmt: skip
    writer.writerow([*["x"] * 3, "123", "Abai", "Semey", "Street", "bulk-browser-bad", "Head", "not-an-email"])
    path = tmp_path / "ten-schools.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_the_office_finds_an_incomplete_school_exports_and_onboards_ten_more(
    server, page, office, session_schools, tmp_path, worker
):  # (worker last: it stops before `office` removes the schools whose first scans it may still be running)
    console = f"http://edu.test:{server}"
    console_sign_in(page, console, "browser-console", "Console-pass-42", office.enrolment_code)
    alpha, beta = session_schools["alpha"].school, session_schools["beta"].school

    # Two schools with different scores; the filter finds the incomplete one.
    rows = page.locator("table.schools tbody tr")
    assert rows.count() == 2
    page.check("#id_incomplete")
    page.click("form.filters button[type=submit]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(alpha.name_en)
    page.fill("#id_q", beta.bin)
    page.click("form.filters button[type=submit]")
    expect(page.get_by_text("No schools match.")).to_be_visible()
    page.fill("#id_q", "")
    page.click("form.filters button[type=submit]")
    expect(rows).to_have_count(1)  # the export below is of this page's filter

    with page.expect_download() as download:
        page.click("text=CSV >> nth=0")
    exported = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert len(exported) == 2 and alpha.bin in exported[1]  # the filter applies to the export

    page.click(f"text={alpha.name_en}")
    expect(page.locator("h1")).to_have_text(alpha.name_en)
    page.click("text=Remind the responsible people now")
    expect(page.locator(".messages")).to_contain_text("are being reminded")

    # Bulk onboarding: the preview names the bad line before anything is created.
    page.goto(f"{console}/schools/import/")
    page.set_input_files("#id_file", str(_csv_file(tmp_path, 10)))
    page.click("form.form button[type=submit]")
    expect(page.locator("p.summary")).to_contain_text("Checked: 10 to create, 0 already there, 1 refused.")
    expect(page.locator("tr.outcome-refused")).to_contain_text("A BIN is exactly 12 digits.")
    assert School.objects.filter(schema_name__startswith="school_bulk_browser_").count() == 0

    # Every value the bar takes is recorded as the page sets it, whenever the test happens to look.
    shown = []
    # (a lambda: playwright cannot expose a builtin method such as list.append)
    page.expose_function("progressShown", lambda value: shown.append(value))  # noqa: PLW0108
    page.add_init_script(RECORD_PROGRESS)
    page.click("text=Create 10 schools")
    page.locator("p.summary[role=status]").wait_for(timeout=180_000)  # the page reloads with the result
    assert "Done: 10 created, 0 already there, 1 refused." in page.locator("p.summary").inner_text()
    assert any(0 < value < 11 for value in shown), shown  # progress shown before the end (of 11 rows)
    assert School.objects.filter(schema_name__startswith="school_bulk_browser_").count() == 10
