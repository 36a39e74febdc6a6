"""The office administrators' second factor in the console (TOTP, django-otp; devices in the public schema)."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from tenants.staff.roles import second_factor_required
from workflows.two_factor import TokenForm, confirmed_device, enrolment_device, qr_code_data_uri


@require_http_methods(["GET", "POST"])
def console_second_factor_view(request):
    """Enrol an authenticator app (first time) or enter its code (every sign-in)."""
    user = request.user
    if not user.is_authenticated:
        return redirect("console:login")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("console:school_list")
    if not second_factor_required(user) or user.is_verified():
        return redirect(next_url)
    device = confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = enrolment_device(user)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if enrolling:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            messages.success(
                request, _("Your authenticator app is set up; you will be asked for a code at each sign-in.")
            )
        otp_login(request, device)
        return redirect(next_url)
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["qr_code"] = qr_code_data_uri(device)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "tenants/console/second_factor.html", context)
