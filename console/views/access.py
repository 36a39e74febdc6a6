"""Who may open the console's pages: regional staff read, office administrators act (console.staff.roles)."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from console.staff.roles import RegionalRole, regional_role


def _console_access(view, *, act: bool):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("console:login"))
        role = regional_role(user)
        if role is None:
            # Sending a signed-in outsider to the sign-in page would loop: it redirects them back.
            raise PermissionDenied(_("This account is not a regional staff account."))
        if role == RegionalRole.ADMINISTRATOR and not user.is_verified():
            return redirect(f"{reverse('console:second_factor')}?{urlencode({'next': request.get_full_path()})}")
        changes = act or request.method not in ("GET", "HEAD", "OPTIONS")
        if changes and role != RegionalRole.ADMINISTRATOR:
            raise PermissionDenied(
                _("Inspectors can read everything but change nothing; ask an office administrator.")
            )
        request.regional_role = role
        request.can_act = role == RegionalRole.ADMINISTRATOR
        return view(request, *args, **kwargs)

    return wrapper


def regional_staff_required(view):
    """Any regional staff member reads; only office administrators (past the second factor) send changes."""
    return _console_access(view, act=False)


def regional_administrator_required(view):
    """Office administrators only, even to look: pages that exist to change something."""
    return _console_access(view, act=True)
