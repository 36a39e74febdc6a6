"""Writes of accounts: the second factor's devices (django-otp's TOTPDevice)."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator"


def second_factor_enrolment_confirm(device: TOTPDevice) -> None:
    """The app gave a right code: from now on it is asked for at every sign-in (the device is saved
    here if it was only in memory, its key in the session)."""
    device.confirmed = True
    device.save()


def second_factor_forget(user) -> None:
    """Access reset (the school's administrator, the office): the next sign-in enrols an app again."""
    TOTPDevice.objects.filter(user=user).delete()
