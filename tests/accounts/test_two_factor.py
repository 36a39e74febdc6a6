"""Administrators and directors pass a second factor (TOTP) before the editor opens; others do not need one."""

import base64
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enrolment import enrolment_code_issue
from tests.factories import totp_code

PASSWORD = "Pass-word-2026"


def _sign_in(client, user, password=PASSWORD):
    user.set_password(password)
    user.save()
    assert client.login(username=user.username, password=password)


def _office_code(client, user):
    """The office's one-time enrolment code, typed on the page (the password alone shows no key)."""
    response = client.post("/admin/second-factor/", {"code": enrolment_code_issue(user)[0]})
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["administrator", "director"])
def test_enrol_then_enter_a_code_at_each_sign_in(school_site, people, client_for, role):
    client = client_for(school_site.hostname)
    _sign_in(client, people[role])
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/second-factor/")
    _office_code(client, people[role])
    enrol = client.get(response["Location"]).content.decode()
    secret = re.search(r"<code id=\"second-factor-key\">([A-Z2-7=]+)</code>", enrol).group(1)
    assert "data:image/svg+xml;base64," in enrol
    assert not TOTPDevice.objects.filter(user=people[role]).exists()  # showing the key wrote nothing
    assert secret in client.get(response["Location"]).content.decode()  # a reload shows the same key

    wrong = client.post("/admin/second-factor/?next=/admin/pages/", {"token": "12345x"})
    assert "This code is not right" in wrong.content.decode()
    right = client.post("/admin/second-factor/?next=/admin/pages/", {"token": totp_code(secret)})
    assert right.status_code == 302 and right["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    device = TOTPDevice.objects.get(user=people[role])
    assert device.confirmed and base64.b32encode(device.bin_key).decode() == secret

    client.logout()
    _sign_in(client, people[role])
    assert client.get("/admin/").status_code == 302
    verify = client.get("/admin/second-factor/").content.decode()
    assert "second-factor-key" not in verify  # no new key once enrolled


def test_a_teacher_needs_no_second_factor(school_site, people, client_for):
    client = client_for(school_site.hostname)
    _sign_in(client, people["teacher"])
    assert client.get("/admin/").status_code == 200


def test_the_next_address_cannot_lead_off_the_site(school_site, people, client_for):
    client = client_for(school_site.hostname)
    _sign_in(client, people["administrator"])
    _office_code(client, people["administrator"])
    enrol = client.get("/admin/second-factor/").content.decode()
    secret = re.search(r"<code id=\"second-factor-key\">([A-Z2-7=]+)</code>", enrol).group(1)
    response = client.post("/admin/second-factor/?next=https://evil.example/", {"token": totp_code(secret)})
    assert response["Location"] == "/admin/"
