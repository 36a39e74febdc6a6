"""The office administrators manage the regional accounts: add with a role, change the role,
deactivate and reactivate, reset a forgotten password or authenticator app."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.enrolment import enrolment_allow
from console.staff import services
from console.staff.roles import RegionalRole
from console.staff.selectors import staff_accounts
from console.views.access import regional_administrator_required


class StaffAddForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail address"), help_text=gettext_lazy("It is also the username."))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=RegionalRole.choices)


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=RegionalRole.choices)


_REASON = forms.CharField(required=False, max_length=1000)


def _show_link(request, invitation) -> None:
    # The link itself goes to its owner only, never on the screen of the administrator who sent it:
    # whoever holds it can set the password and act under that name.
    message = _("An e-mail with a link to set the password is sent to %(email)s.") % {"email": invitation.email}
    messages.success(request, message)


@regional_administrator_required
@require_http_methods(["GET", "POST"])
def staff_list_view(request):
    form = StaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.staff_add(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=RegionalRole(form.cleaned_data["role"]),
                by=request.user,
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            _show_link(request, invitation)
            return redirect("console:staff")
    context = {"form": form, "accounts": list(staff_accounts()), "roles": RegionalRole.choices}
    return render(request, "console/staff.html", context)


@regional_administrator_required
@require_POST
def staff_change_view(request, user_id: int, change: str):
    """One change to one account, from the buttons of the staff list; the result is a message there."""
    user = get_object_or_404(get_user_model(), pk=user_id, is_staff=True)
    name = user.get_full_name() or user.username
    try:
        if change == "role":
            form = StaffRoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a role."))
            services.staff_role_set(user=user, role=RegionalRole(form.cleaned_data["role"]), by=request.user)
            messages.success(request, _("The role of %(name)s is changed.") % {"name": name})
        elif change == "deactivate":
            reason = _REASON.clean(request.POST.get("reason", ""))  # a NUL byte or a book is refused here
            services.staff_deactivate(user=user, by=request.user, reason=reason)
            messages.success(request, _("%(name)s can no longer sign in.") % {"name": name})
        elif change == "reactivate":
            services.staff_reactivate(user=user, by=request.user)
            messages.success(request, _("%(name)s can sign in again.") % {"name": name})
        elif change == "reset":
            _show_link(request, services.staff_access_reset(user=user, by=request.user))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("console:staff")


class StaffWelcomeView(auth_views.PasswordResetConfirmView):
    """The link in a staff invitation: set a password (Django's one-time reset token)."""

    template_name = "console/staff_welcome.html"
    success_url = reverse_lazy("console:login")
    post_reset_login = False

    def form_valid(self, form):
        messages.success(self.request, _("Your password is set; sign in with it."))
        response = super().form_valid(form)
        # The link reached its owner: after signing in, this browser may enrol an authenticator app
        # (accounts.enrolment; signing in keeps the data of an anonymous session).
        enrolment_allow(self.request, form.user)
        return response
