"""A first authenticator app is enrolled only by the account's owner: the invitation link or the office's
one-time code, never the password alone (issue 13: a never-enrolled director was shown the key)."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enrolment import CODE_ATTEMPTS, enrolment_code_check, enrolment_code_issue
from regulation.roles import Role
from tests.factories import regional_staff, totp_code

PASSWORD = "Pass-word-2026"
KEY = re.compile(r'id="second-factor-key">([A-Z2-7=]+)<')


def _with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.mark.parametrize("role", ["director", "administrator"])
def test_the_password_alone_does_not_show_the_authenticator_key(people, school_site, client_for, role):
    user = _with_password(people[role])
    client = client_for(school_site.hostname)
    assert client.login(username=user.username, password=PASSWORD)
    page = client.get("/admin/second-factor/").content.decode()
    assert not KEY.search(page) and "Enrolment code from the regional office" in page
    assert client.get("/admin/").status_code == 302  # the editor stays closed
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_the_offices_code_lets_the_owner_enrol(people, school_site, client_for):
    director = _with_password(people["director"])
    client = client_for(school_site.hostname)
    assert client.login(username=director.username, password=PASSWORD)
    wrong = client.post("/admin/second-factor/", {"code": "AAAAA-AAAAA"})
    assert "This code is not right or has expired" in wrong.content.decode()
    right = client.post("/admin/second-factor/?next=/admin/pages/", {"code": enrolment_code_issue(director)[0]})
    assert right.status_code == 302
    secret = KEY.search(client.get(right["Location"]).content.decode()).group(1)
    done = client.post(right["Location"], {"token": totp_code(secret)})
    assert done.status_code == 302 and done["Location"] == "/admin/pages/"
    assert TOTPDevice.objects.get(user=director).confirmed


def test_the_code_is_bound_to_the_password_and_wrong_codes_are_counted(people, school_site, client_for):
    administrator = _with_password(people["administrator"])
    code = enrolment_code_issue(administrator)[0]
    assert enrolment_code_check(administrator, code.lower())
    administrator.set_password("Another-pass-2026")
    administrator.save()
    assert not enrolment_code_check(administrator, code)  # a new password (an access reset) voids it

    client = client_for(school_site.hostname)
    assert client.login(username=administrator.username, password="Another-pass-2026")
    for _ in range(CODE_ATTEMPTS):
        client.post("/admin/second-factor/", {"code": "BBBBB-BBBBB"})
    late = client.post("/admin/second-factor/", {"code": enrolment_code_issue(administrator)[0]})
    assert "Too many wrong codes" in late.content.decode()


def test_the_invitation_link_lets_its_session_enrol(school_site, client_for):
    invitation = next(each for each in school_site.invitations if Role.DIRECTOR in each.roles)
    client = client_for(school_site.hostname)
    form_url = client.get(urlsplit(invitation.url).path)["Location"]
    accepted = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert accepted.status_code == 302
    to_second_factor = client.get("/admin/")
    assert to_second_factor["Location"].startswith("/admin/second-factor/")
    assert KEY.search(client.get(to_second_factor["Location"]).content.decode())  # no code asked for


def test_the_consoles_administrator_needs_the_code_or_the_link_too(db, client_for):
    office = regional_staff("enrol-office", password=PASSWORD)
    client = client_for("edu.test")
    assert client.post("/login/", {"username": "enrol-office", "password": PASSWORD}).status_code == 302
    assert not KEY.search(client.get("/second-factor/").content.decode())
    out = io.StringIO()
    call_command("second_factor_code", "enrol-office", stdout=out)  # how the office issues a code
    code = out.getvalue().split()[0]
    assert client.post("/second-factor/", {"code": code}).status_code == 302
    secret = KEY.search(client.get("/second-factor/").content.decode()).group(1)
    assert client.post("/second-factor/", {"token": totp_code(secret)}).status_code == 302
    assert TOTPDevice.objects.get(user=office).confirmed


def test_the_command_finds_a_school_account_by_its_host(people, school_site):
    director = _with_password(people["director"])
    out = io.StringIO()
    call_command("second_factor_code", director.email, school=school_site.hostname, stdout=out)
    assert enrolment_code_check(director, out.getvalue().split()[0])
