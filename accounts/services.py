"""Writes of accounts: the second factor's devices (django-otp's TOTPDevice)."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator"


def second_factor_enrolment_start(user) -> TOTPDevice:
    """The unconfirmed device being enrolled, made on the first visit: its key must outlive reloads of the page
    that shows it as a QR code, until a code from the app confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def second_factor_enrolment_confirm(device: TOTPDevice) -> None:
    """The app gave a right code: from now on it is asked for at every sign-in."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def second_factor_forget(user) -> None:
    """Access reset (the school's administrator, the office): the next sign-in enrols an app again."""
    TOTPDevice.objects.filter(user=user).delete()
