"""The office administrators' second factor in the console (TOTP, django-otp; devices in the public schema)."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.two_factor import next_path, second_factor_step
from console.staff.roles import second_factor_required


@require_http_methods(["GET", "POST"])
def console_second_factor_view(request):
    """Enrol an authenticator app (first time) or enter its code (every sign-in)."""
    user = request.user
    if not user.is_authenticated:
        return redirect("console:login")
    # A path on the console only: anything else (?next=abc, another host) goes to the overview.
    next_url = next_path(request, reverse("console:school_list"))
    if not second_factor_required(user) or user.is_verified():
        return HttpResponseRedirect(next_url)
    context = second_factor_step(request)
    if context is None:
        return HttpResponseRedirect(next_url)
    if "redirect" in context:  # the office's enrolment code was right: now the key
        return HttpResponseRedirect(context["redirect"])
    return render(request, "console/second_factor.html", context)
