"""provision_school and import_schools, as an operator runs them."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_exists

from provisioning.models import ProvisioningStep
from tenants.models import School
from tests.factories import valid_bin

HEADER = (
    "name_kk,name_ru,name_en,short_name,bin,region,district,address,subdomain,"
    "head_full_name,head_email,administrator_full_name,administrator_email\n"
)


def _row(number: int, subdomain: str, bin_number: str | None = None, head_email: str | None = None) -> str:
    bin_number = bin_number or valid_bin(5000 + number)
    head_email = head_email or f"head{number}@csv.kz"
    return (
        f"Мектеп {number},Школа {number},School {number},S{number},{bin_number},Abai,Semey,"
        f'"{number} Abai st, Semey",{subdomain},Head {number},{head_email},Admin {number},admin{number}@csv.kz\n'
    )


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, "--language", "en", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_provision_school_prints_site_editor_and_invitations(db):
    output = _run(
        "provision_school", "--name-kk", "Мектеп", "--name-ru", "Школа", "--short-name", "Cmd",
        "--bin", valid_bin(7001), "--region", "Abai", "--district", "Semey", "--address", "1 Abai st",
        "--subdomain", "cmd-school", "--head-name", "Head Person", "--head-email", "head@cmd.kz",
    )  # fmt: skip
    assert "Site: http://cmd-school.edu.test/" in output
    assert "Editor: http://cmd-school.edu.test/admin/" in output
    assert "head@cmd.kz" in output and "/invite/" in output
    assert schema_exists("school_cmd_school")


def test_provision_school_names_each_bad_field(db):
    with pytest.raises(CommandError) as error:
        _run(
            "provision_school", "--name-kk", "Мектеп", "--name-ru", "Школа", "--short-name", "Cmd",
            "--bin", "123", "--region", "Abai", "--district", "Semey", "--address", "1 Abai st",
            "--subdomain", "www", "--head-name", "Head", "--head-email", "not-mail",
        )  # fmt: skip
    message = str(error.value)
    assert "bin:" in message and "subdomain:" in message and "head_email:" in message
    assert not School.objects.filter(short_name="Cmd").exists()


def _provision_school(subdomain: str, bin_number: str, **fields) -> str:
    arguments = {
        "--name-kk": "Мектеп", "--name-ru": "Школа", "--short-name": "Cmd", "--bin": bin_number,
        "--region": "Abai", "--district": "Semey", "--address": "1 Abai st", "--subdomain": subdomain,
        "--head-name": "Head Person", "--head-email": "head@cmd.kz",
    }  # fmt: skip
    arguments.update(fields)
    return _run("provision_school", *[part for pair in arguments.items() for part in pair])


def test_provision_school_refuses_taken_details_by_field_without_a_traceback(school):
    with pytest.raises(CommandError) as error:
        _provision_school("alpha", school.school.bin)
    message = str(error.value)
    assert message.startswith("The school was not created:")
    assert "subdomain: The subdomain “alpha” is already taken." in message and "bin:" in message


def test_provision_school_refuses_a_nul_byte_by_field(db):
    with pytest.raises(CommandError) as error:
        _provision_school("nul-school", valid_bin(7002), **{"--name-kk": "Мек\x00теп", "--head-name": "Head\x00"})
    message = str(error.value)
    assert "name_kk: Remove the control characters" in message and "head_full_name: Remove" in message
    assert not School.objects.filter(bin=valid_bin(7002)).exists()


def test_provision_school_reports_an_invitation_the_mail_server_refused_and_keeps_it_for_a_retry(
    db,
    mail_server_down,
):
    output = _provision_school("cmd-mail-down", valid_bin(7003))
    assert "Created" in output
    line = next(line for line in output.splitlines() if "head@cmd.kz" in line)
    assert "failed; tried 1 time, trying again automatically: " in line and "refused" in line.lower()
    step = ProvisioningStep.objects.get(school__bin=valid_bin(7003), kind="invitation")
    assert (step.status, step.next_attempt_at is not None) == ("failed", True)


def test_import_creates_good_rows_lists_bad_ones_and_a_rerun_changes_nothing(db, tmp_path):
    csv_file = tmp_path / "schools.csv"
    csv_file.write_text(
        HEADER
        + _row(1, "csv-one")
        + _row(2, "csv-two", bin_number="111")
        + _row(3, "csv-three", head_email="broken")
        + _row(4, "csv-one")  # same subdomain as line 2
        + _row(5, "csv-five"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="2 created, 0 already there, 3 refused"):
        _run("import_schools", str(csv_file), "--no-progress")
    assert set(School.objects.filter(schema_name__startswith="school_csv").values_list("schema_name", flat=True)) == {
        "school_csv_one",
        "school_csv_five",
    }

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_schools", str(csv_file), "--no-progress", "--language", "en", stdout=out)
    report = out.getvalue()
    assert "line 2: csv-one" in report and "already there, unchanged" in report
    assert "line 3: csv-two (111): refused" in report and "bin:" in report
    assert "head_email:" in report
    assert "The same subdomain as line 2 of this file." in report

    good_only = tmp_path / "good.csv"
    good_only.write_text(HEADER + _row(1, "csv-one") + _row(5, "csv-five"), encoding="utf-8")
    assert "Every school in the file is already there: nothing changed." in _run(
        "import_schools", str(good_only), "--no-progress"
    )


def test_import_reads_semicolon_separated_excel_files_with_bom(db, tmp_path):
    csv_file = tmp_path / "excel.csv"
    content = (HEADER + _row(8, "csv-excel")).replace(",", ";").replace('"8 Abai st; Semey"', "8 Abai st")
    csv_file.write_bytes(b"\xef\xbb\xbf" + content.encode("utf-8"))
    assert "1 created" in _run("import_schools", str(csv_file), "--no-progress")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"name_kk,name_ru\n1,2\n", "lacks these columns: short_name, bin"),
        (HEADER.encode(), "has a header but no schools"),
        ("name_kk\n".encode("cp1251") + "Школа".encode("cp1251"), "not UTF-8"),
    ],
)
def test_import_explains_unreadable_files(db, tmp_path, content, message):
    csv_file = tmp_path / "bad.csv"
    csv_file.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        _run("import_schools", str(csv_file))


def test_import_of_a_missing_file_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _run("import_schools", str(tmp_path / "missing.csv"))
