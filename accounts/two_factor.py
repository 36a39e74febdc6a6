"""A second factor (TOTP) for the people who publish and appoint: site administrators and directors.

django-otp keeps the devices and the verified state in the session; this module
says who must use one and sends them to enrol or to enter their code before the
editor opens. Resetting someone's access removes their devices
(``accounts.services.second_factor_forget``).
"""

from __future__ import annotations

import base64
import io
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from django_otp.qr import write_qrcode_image

from accounts.enrolment import EnrolmentCodeForm, enrolment_allow, enrolment_allowed, enrolment_forget
from accounts.services import DEVICE_NAME, second_factor_enrolment_confirm
from regulation.roles import Role, user_has_role

ROLES_WITH_SECOND_FACTOR = (Role.SITE_ADMINISTRATOR, Role.DIRECTOR)
# What the second-factor page itself needs (its icons' sprite, translations), and the way out.
PATHS_BEFORE_SECOND_FACTOR = (
    "/admin/second-factor/",
    "/admin/logout/",
    "/admin/login/",
    "/admin/sprite/",
    "/admin/jsi18n/",
)


def second_factor_required(user) -> bool:
    return user.is_authenticated and user_has_role(user, *ROLES_WITH_SECOND_FACTOR)


# The key of an app being enrolled, until a code confirms it: the page can be reloaded (same QR code)
# and nothing is written to the database before the person sends a code.
ENROLMENT_KEY_SESSION = "second_factor_enrolment_key"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_device(request) -> TOTPDevice:
    """The device being enrolled: the saved one once a code was tried (django-otp saves its throttle
    state), else one in memory whose key the session keeps."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is not None:
        return device
    key = request.session.get(ENROLMENT_KEY_SESSION) or default_key()
    request.session[ENROLMENT_KEY_SESSION] = key
    return TOTPDevice(user=request.user, name=DEVICE_NAME, confirmed=False, key=key)


class SecondFactorMiddleware:
    """In the school's editor, people whose role requires it must pass the second factor first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path.startswith("/admin/")  # first: public pages never load the user for this
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(PATHS_BEFORE_SECOND_FACTOR)
            and not user.is_verified()
            and second_factor_required(user)
        ):
            return redirect(f"{reverse('accounts_second_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:  # django-otp doubles the wait after each wrong code
            raise forms.ValidationError(
                _("Too many wrong codes in a row; wait a few seconds, then enter the current one.")
            )
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(_("This code is not right or has expired; enter the current one."))
        return token


def qr_code_data_uri(device: TOTPDevice) -> str:
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def second_factor_step(request) -> dict | None:
    """Enrol an authenticator app (first time) or check its code (every sign-in), for the editor and
    the console alike. None once the code is right (the session is verified); ``{"redirect": url}``
    once an office's enrolment code was accepted (the page shows the key next); else the page's context.
    """
    device = confirmed_device(request.user)
    enrolling = device is None
    if enrolling and not enrolment_allowed(request):
        # The password alone does not show the key: the owner proves themself first (accounts.enrolment).
        code_form = EnrolmentCodeForm(request.POST or None, user=request.user)
        if request.method == "POST" and code_form.is_valid():
            enrolment_allow(request, request.user)
            return {"redirect": request.get_full_path()}
        return {"form": code_form, "enrolling": True, "needs_code": True}
    if enrolling:
        device = enrolment_device(request)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if enrolling:
            second_factor_enrolment_confirm(device)
            request.session.pop(ENROLMENT_KEY_SESSION, None)
            enrolment_forget(request)
            messages.success(
                request, _("Your authenticator app is set up; you will be asked for a code at each sign-in.")
            )
        otp_login(request, device)
        return None
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["qr_code"] = qr_code_data_uri(device)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return context


def next_path(request, default: str) -> str:
    """Where to go after the second factor: ``?next=`` if it is a path on this site, else ``default``.

    Only an absolute path is taken: ``redirect()`` reads anything else as a URL name to reverse
    (``?next=abc`` was a server error), and a scheme or another host would lead off the site.
    """
    candidate = request.GET.get("next", "")
    if (
        candidate.startswith("/")
        and not candidate.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()})
    ):
        return candidate
    return default


def second_factor_view(request):
    """The editor's second-factor page."""
    if not request.user.is_authenticated:
        return redirect("wagtailadmin_login")
    next_url = next_path(request, reverse("wagtailadmin_home"))
    context = second_factor_step(request)
    if context is None:
        return HttpResponseRedirect(next_url)
    if "redirect" in context:
        return HttpResponseRedirect(context["redirect"])
    context["page_title"] = _("Second factor")
    return TemplateResponse(request, "accounts/second_factor.html", context)
