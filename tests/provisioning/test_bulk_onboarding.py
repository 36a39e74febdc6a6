"""Bulk onboarding in the console (issue 6, point 5): preview every row's problems, run in the
background with progress, report what was created and refused; the same file twice creates nothing twice."""

import datetime
import io

import pytest

from provisioning.bulk_onboarding import school_import_check_run, school_import_run
from provisioning.models import SchoolImport
from tenants.models import RegionalAction, School
from tests.factories import console_client, valid_bin

HEADER = "name_kk,name_ru,short_name,bin,region,district,address,subdomain,head_full_name,head_email\n"


def _line(number: int, *, bin_=None, subdomain=None) -> str:
    bin_ = bin_ or valid_bin(7000 + number)
    subdomain = subdomain or f"bulk-{number}"
    names = f"Мектеп {number},Школа {number},S{number}"
    return f"{names},{bin_},Abai,Semey,Street {number},{subdomain},Head {number},h{number}@bulk.kz\n"


def _upload(client, text: str, name: str = "schools.csv"):
    upload = io.BytesIO(text.encode())
    upload.name = name
    return client.post("/schools/import/", {"file": upload}, follow=True)


@pytest.fixture
def office(db, client_for):
    return console_client(client_for, "office-bulk")


def test_a_file_that_cannot_be_read_is_refused_with_the_reason_and_nothing_is_kept(office):
    not_utf8 = io.BytesIO("name_kk;bin\n".encode("cp1251") + "Мектеп".encode("cp1251"))
    not_utf8.name = "bad.csv"
    response = office.post("/schools/import/", {"file": not_utf8})
    assert "The file is not UTF-8 text" in response.content.decode()
    missing_columns = _upload(office, "name_kk,bin\nA,1\n")
    assert "The file lacks these columns: name_ru" in missing_columns.content.decode()
    assert not SchoolImport.objects.exists()


def test_the_preview_lists_every_rows_problems_before_anything_is_created(office, school):
    text = (
        HEADER
        + _line(1)
        + _line(2, bin_="123456789012")  # wrong check digit
        + _line(3, subdomain="bulk-1")  # the same subdomain as line 2
        + _line(4, subdomain="alpha")  # taken by a school already on the platform
    )
    schools_before = School.objects.count()
    page = _upload(office, text).content.decode()
    assert "Checked: 1 to create, 0 already there, 3 refused." in page
    assert "The same subdomain as line 2 of this file." in page
    assert "is already taken" in page
    assert "Create 1 school" in page
    assert School.objects.count() == schools_before
    assert RegionalAction.objects.filter(action="import").count() == 0


def test_the_import_runs_in_the_background_reports_each_row_and_twice_creates_nothing_twice(
    office, django_capture_on_commit_callbacks
):
    text = HEADER + _line(11) + _line(12) + _line(13, bin_="123")
    _upload(office, text)
    school_import = SchoolImport.objects.get()
    progress = office.get(f"/schools/import/{school_import.pk}/progress/").json()
    assert progress == {
        "status": "checked",
        "status_label": "checked, not started",
        "processed": 0,
        "total": 3,
        "percent": 0,
        "finished": False,
        "in_progress": False,
        "stalled": False,
    }
    with django_capture_on_commit_callbacks() as queued:
        office.post(f"/schools/import/{school_import.pk}/start/")
    assert len(queued) == 1  # the task is sent once the transaction commits
    again = office.post(f"/schools/import/{school_import.pk}/start/", follow=True)
    assert "already being imported" in again.content.decode()
    running = office.get(f"/schools/import/{school_import.pk}/").content.decode()
    assert 'id="import-bar"' in running and "waiting for a worker" in running

    school_import_run(school_import.pk)  # what the worker runs (tests/test_browser.py runs a real one)
    assert set(School.objects.filter(schema_name__startswith="school_bulk_").values_list("bin", flat=True)) == {
        valid_bin(7011),
        valid_bin(7012),
    }
    done = office.get(f"/schools/import/{school_import.pk}/").content.decode()
    assert "Done: 2 created, 0 already there, 1 refused." in done
    created = School.objects.get(bin=valid_bin(7011))
    assert f'<a href="/schools/{created.pk}/">Мектеп 11</a>' in done  # each new school opens from here
    assert office.get(f"/schools/import/{school_import.pk}/progress/").json()["finished"] is True
    assert RegionalAction.objects.get(action="import").data == {"file": "schools.csv", "rows": 3}
    assert school_import_run(school_import.pk) is None  # delivered again: a finished import is not rerun
    school_import.refresh_from_db()
    assert [row["outcome"] for row in school_import.results] == ["created", "created", "refused"]

    second = _upload(office, text).content.decode()
    assert "Checked: 0 to create, 2 already there, 1 refused." in second
    assert "Nothing to create" in second


def test_a_job_no_worker_takes_says_so_after_a_minute(office, time_machine):
    _upload(office, HEADER + _line(21))
    school_import = SchoolImport.objects.get()
    office.post(f"/schools/import/{school_import.pk}/start/")
    assert office.get(f"/schools/import/{school_import.pk}/progress/").json()["stalled"] is False
    time_machine.move_to(school_import.uploaded_at + datetime.timedelta(minutes=2))
    assert office.get(f"/schools/import/{school_import.pk}/progress/").json()["stalled"] is True
    page = office.get(f"/schools/import/{school_import.pk}/").content.decode()
    assert '<div id="import-stalled" role="alert" data-progress-stalled>' in page and "Queue it again" in page
    office.post(f"/schools/import/{school_import.pk}/start/")  # queued again, a minute later
    assert RegionalAction.objects.filter(action="import").count() == 2
    assert office.get(f"/schools/import/{school_import.pk}/progress/").json()["stalled"] is False


def test_a_long_file_is_checked_in_the_background_with_progress(
    office, settings, django_capture_on_commit_callbacks, time_machine
):
    """Thousands of lines take minutes to check: not inside a request (issue 12)."""
    settings.IMPORT_CHECK_IN_REQUEST_MAX_ROWS = 2
    text = HEADER + _line(31) + _line(32) + _line(33, bin_="123")
    with django_capture_on_commit_callbacks() as queued:
        page = _upload(office, text).content.decode()
    assert len(queued) == 1  # the check is sent once the upload is kept
    school_import = SchoolImport.objects.get()
    assert school_import.status == "checking" and school_import.total == 3 and school_import.preview == []
    assert "Checking every line of the file" in page and 'id="import-bar"' in page
    progress = office.get(f"/schools/import/{school_import.pk}/progress/").json()
    assert progress["in_progress"] is True and progress["stalled"] is False
    office.post(f"/schools/import/{school_import.pk}/start/")  # cannot start before it is checked
    assert SchoolImport.objects.get().status == "checking"
    time_machine.move_to(school_import.uploaded_at + datetime.timedelta(minutes=2))  # no worker took it
    assert office.get(f"/schools/import/{school_import.pk}/progress/").json()["stalled"] is True

    school_import_check_run(school_import.pk)  # what the worker runs
    school_import.refresh_from_db()
    assert school_import.status == "checked"
    assert [row["outcome"] for row in school_import.preview] == ["create", "create", "refused"]
    assert office.get(f"/schools/import/{school_import.pk}/progress/").json()["in_progress"] is False
    checked = office.get(f"/schools/import/{school_import.pk}/").content.decode()
    assert "Checked: 2 to create, 0 already there, 1 refused." in checked
    assert school_import_check_run(school_import.pk) is None  # delivered twice: checked once
    assert not School.objects.filter(schema_name__startswith="school_bulk_3").exists()  # nothing created yet
