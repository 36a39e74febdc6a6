"""Build test data through the real services, as the platform itself does."""

import itertools

from provisioning.services import Person, ProvisionedSchool, SchoolDetails, school_provision
from tenants.validators import bin_check_digit

_numbers = itertools.count(1)


def valid_bin(serial: int) -> str:
    """A BIN with a correct check digit, unique per serial."""
    for salt in range(10):
        first_eleven = f"99{salt}40{serial:06d}"[:11]
        digit = bin_check_digit(first_eleven)
        if digit is not None:
            return first_eleven + str(digit)
    raise AssertionError("no BIN for this serial")


def school_details(**overrides) -> SchoolDetails:
    """Valid details for a new school; any field can be overridden."""
    number = next(_numbers)
    values = {
        "name_kk": f"№{number} мектеп",
        "name_ru": f"Школа №{number}",
        "name_en": f"School No. {number}",
        "short_name": f"S{number}",
        "bin": valid_bin(number),
        "region": "Abai region",
        "district": "Semey",
        "address": f"{number} Abai avenue, Semey",
        "subdomain": f"t-school-{number}",
        "head": Person(f"Head Number{number}", f"head{number}@example.kz"),
        "administrator": Person(f"Admin Number{number}", f"admin{number}@example.kz"),
    }
    values.update(overrides)
    return SchoolDetails(**values)


def school_form_fields(**overrides) -> dict[str, str]:
    """The console's “Add a school” form, filled in validly; any field can be overridden."""
    data = {
        "name_kk": "Жаңа мектеп",
        "name_ru": "Новая школа",
        "name_en": "New School",
        "short_name": "New",
        "bin": valid_bin(4242),
        "region": "Abai region",
        "district": "Semey",
        "address": "1 Abai avenue",
        "subdomain": "console-made",
        "head_full_name": "Head Person",
        "head_email": "head@console.kz",
        "administrator_full_name": "",
        "administrator_email": "",
    }
    data.update(overrides)
    return data


def school_create(**overrides) -> ProvisionedSchool:
    return school_provision(details=school_details(**overrides), send_invitations=False)


def totp_code(secret_base32: str) -> str:
    """The current code an authenticator app would show for this key."""
    import base64

    from django_otp.oath import totp

    return f"{totp(base64.b32decode(secret_base32)):06d}"


def login_verified(client, user) -> None:
    """Sign ``user`` in as if they had also passed the second factor (accounts.two_factor)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def regional_staff(username: str, *, role: str = "administrator", **fields):
    """A regional console account (public schema) with its role: "administrator" or "inspector"."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from console.staff.roles import RegionalRole

    fields.setdefault("password", "irrelevant")
    user = get_user_model().objects.create_user(username, is_staff=True, **fields)
    name = RegionalRole.ADMINISTRATOR if role == "administrator" else RegionalRole.INSPECTOR
    user.groups.add(Group.objects.get_or_create(name=name.value)[0])
    return user


def console_client(client_for, username: str = "office", *, role: str = "administrator", **fields):
    """A client of the console signed in as a new regional account; administrators past the second factor."""
    client = client_for("edu.test")
    user = regional_staff(username, role=role, **fields)
    if role == "administrator":
        login_verified(client, user)
    else:
        client.force_login(user)
    client.user = user
    return client
