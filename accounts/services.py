"""Writes of accounts: the second factor's devices (django-otp's TOTPDevice), and what a sign-in tells the region."""

from __future__ import annotations

import datetime

from django_otp.plugins.otp_totp.models import TOTPDevice

from compliance.services import administrator_sign_in_record
from regulation.roles import Role
from tenants.current import current_school

DEVICE_NAME = "authenticator"


def second_factor_enrolment_confirm(device: TOTPDevice) -> None:
    """The app gave a right code: from now on it is asked for at every sign-in (the device is saved
    here if it was only in memory, its key in the session)."""
    device.confirmed = True
    device.save()


def second_factor_forget(user) -> None:
    """Access reset (the school's administrator, the office): the next sign-in enrols an app again."""
    TOTPDevice.objects.filter(user=user).delete()


def sign_in_record(*, user, at: datetime.datetime) -> None:
    """Someone signed in (``user_logged_in``, connected in AccountsConfig.ready): a school's site administrator
    signing in to its editor is shown as signed in by the regional console at once (clause 1.2: the office sees
    whether the school's site is looked after). Regional staff, in the public schema, are not a school's. The
    role is read in the school's schema (one small query); the console's figure is one UPDATE in the public one."""
    school = current_school()
    if school is None or not user.groups.filter(name=Role.SITE_ADMINISTRATOR.value).exists():
        return
    administrator_sign_in_record(school=school, at=at)
