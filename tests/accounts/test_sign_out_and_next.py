"""Hostile links around sign-in: a GET to the editor's sign-out, and a ``next`` that is not a path here."""

import base64

import pytest
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import console_client, login_verified, regional_staff, totp_code


def _device_code(user) -> str:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return totp_code(base64.b32encode(device.bin_key).decode())


def test_a_get_to_the_editors_sign_out_leaves_the_editor_signed_in(people, school_site, client_for):
    client = client_for(school_site.hostname)
    login_verified(client, people["teacher"])
    response = client.get("/admin/logout/")
    assert response.status_code == 405
    deleted = response.cookies.get(settings.SESSION_COOKIE_NAME)
    assert deleted is None or deleted["max-age"] != 0  # the session cookie is not deleted
    assert client.get("/admin/").status_code == 200  # still signed in

    signed_out = client.post("/admin/logout/")
    assert signed_out.status_code == 302
    assert client.get("/admin/").status_code == 302  # the sign-in page again


@pytest.mark.parametrize("next_value", ["abc", "javascript:alert(1)", "https://evil.example/", "//evil.example/x"])
def test_the_editors_second_factor_goes_home_for_a_next_that_is_not_a_path_here(
    people, school_site, client_for, next_value
):
    client = client_for(school_site.hostname)
    administrator = people["administrator"]
    code = _device_code(administrator)
    client.force_login(administrator)
    assert client.get("/admin/second-factor/", {"next": next_value}).status_code == 200
    response = client.post(f"/admin/second-factor/?next={next_value}", {"token": code})
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_the_editors_second_factor_keeps_a_path_of_the_site(people, school_site, client_for):
    client = client_for(school_site.hostname)
    administrator = people["administrator"]
    code = _device_code(administrator)
    client.force_login(administrator)
    response = client.post("/admin/second-factor/?next=/admin/pages/", {"token": code})
    assert response["Location"] == "/admin/pages/"


@pytest.mark.parametrize("next_value", ["abc", "javascript:alert(1)", "https://evil.example/", "//evil.example/x"])
def test_the_consoles_second_factor_answers_a_bad_next_with_the_overview(db, client_for, next_value):
    """``?next=abc`` answered 500 (issue 13): redirect() took it for a URL name."""
    office = regional_staff("next-office", password="Office-pass-2026")
    code = _device_code(office)
    client = client_for("edu.test")
    client.force_login(office)
    assert client.get("/second-factor/", {"next": next_value}).status_code == 200
    response = client.post(f"/second-factor/?next={next_value}", {"token": code})
    assert response.status_code == 302 and response["Location"] == "/"
    # Already verified: the page sends on at once, still never to "abc".
    again = client.get("/second-factor/", {"next": next_value})
    assert again.status_code == 302 and again["Location"] == "/"


def test_a_verified_console_user_is_sent_to_a_console_path(db, client_for):
    client = console_client(client_for, "next-office-2")
    response = client.get("/second-factor/", {"next": "/audit/"})
    assert response.status_code == 302 and response["Location"] == "/audit/"
