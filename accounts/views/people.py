"""The people screen of the school's editor: who works on the site, in which role and sections."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.models import Page

from accounts.people import (
    INVITABLE_ROLES,
    person_access_reset,
    person_deactivate,
    person_invite,
    person_reactivate,
)
from regulation.permissions import Capability, may_reset_access, user_may
from regulation.roles import Role
from workflows.selectors import people_with_roles


class InviteForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=[(role.value, role.label) for role in INVITABLE_ROLES]
    )
    sections = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Responsible for the sections"),
        queryset=Page.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].queryset = Page.objects.filter(depth=3).order_by("path")


def _require(user) -> None:
    if not user_may(user, Capability.MANAGE_PEOPLE):
        raise PermissionDenied


def people_view(request):
    _require(request.user)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = person_invite(
                email=data["email"],
                full_name=data["full_name"],
                role=Role(data["role"]),
                sections=list(data["sections"]),
                by=request.user,
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("%(email)s is invited; the link is on its way.") % {"email": invitation.email})
            return redirect("accounts_people")
    people = people_with_roles()
    for row in people:
        row["may_reset"] = may_reset_access(request.user, row["person"])
    return TemplateResponse(
        request,
        "accounts/people.html",
        {"page_title": _("People"), "people": people, "form": form},
    )


_ACTIONS = {
    "deactivate": (person_deactivate, gettext_lazy("%(name)s can no longer sign in; their work stays on the site.")),
    "reactivate": (person_reactivate, gettext_lazy("%(name)s can sign in again.")),
    "reset": (person_access_reset, gettext_lazy("%(name)s has been sent a new link to set a password.")),
}


@require_POST
def person_action_view(request, user_id: int, action: str):
    _require(request.user)
    if action not in _ACTIONS:
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=user_id)
    service, done = _ACTIONS[action]
    try:
        service(person=person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"name": person.get_full_name() or person.email})
    return redirect("accounts_people")
