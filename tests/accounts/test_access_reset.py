"""Clause 1.2: the site administrator cannot reset the access of the director, who appoints them."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.people import person_access_reset
from tests.factories import login_verified


def _director_with_password_and_device(people):
    director = people["director"]
    director.set_password("Director-pass-1")
    director.save()
    TOTPDevice.objects.create(user=director, name="phone", confirmed=True)
    return director


def test_1_2_the_administrator_cannot_reset_the_directors_access(people, school_site, client_for):
    director = _director_with_password_and_device(people)
    client = client_for(school_site.hostname)
    login_verified(client, people["administrator"])
    screen = client.get("/admin/people/").content.decode()
    assert f"/admin/people/{director.pk}/reset/" not in screen  # no button for it
    assert f"/admin/people/{people['teacher'].pk}/reset/" in screen

    outbox = len(mail.outbox)
    response = client.post(f"/admin/people/{director.pk}/reset/", follow=True)
    assert "reset only by the director or by the regional office" in response.content.decode()
    director.refresh_from_db()
    assert director.check_password("Director-pass-1")
    assert TOTPDevice.objects.filter(user=director, confirmed=True).exists()
    assert len(mail.outbox) == outbox


def test_1_2_the_service_refuses_it_too(people):
    director = _director_with_password_and_device(people)
    with pytest.raises(ValidationError, match="regional office"):
        person_access_reset(person=director, by=people["administrator"])
    director.refresh_from_db()
    assert director.has_usable_password()


def test_the_administrator_still_resets_an_editors_access(people, django_capture_on_commit_callbacks):
    editor = people["chief_editor"]
    editor.set_password("Editor-pass-1")
    editor.save()
    with django_capture_on_commit_callbacks(execute=True):
        person_access_reset(person=editor, by=people["administrator"])
    editor.refresh_from_db()
    assert not editor.has_usable_password()
    assert mail.outbox[-1].to == [editor.email]
