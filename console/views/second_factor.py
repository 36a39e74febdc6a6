"""The office administrators' second factor in the console (TOTP, django-otp; devices in the public schema)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.two_factor import second_factor_step
from console.staff.roles import second_factor_required


@require_http_methods(["GET", "POST"])
def console_second_factor_view(request):
    """Enrol an authenticator app (first time) or enter its code (every sign-in)."""
    user = request.user
    if not user.is_authenticated:
        return redirect("console:login")
    next_url = request.GET.get("next", "")
    # Only a path of this host: Django's redirect would take a bare word ("abc") for a URL name and fail.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = reverse("console:school_list")
    if not second_factor_required(user) or user.is_verified():
        return redirect(next_url)
    context = second_factor_step(request)
    if context is None:
        return redirect(next_url)
    return render(request, "console/second_factor.html", context)
