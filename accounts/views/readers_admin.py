"""The school editor's Readers screen (clause 5.2): requests to approve or decline, invitations, who reads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.reader_selectors import reader_registrations_pending, readers
from accounts.readers import (
    reader_collections,
    reader_invite,
    reader_registration_approve,
    reader_registration_decline,
)
from regulation.permissions import Capability, user_may
from regulation.roles import ReaderGroup


class ReaderInviteForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    group = forms.ChoiceField(label=gettext_lazy("Reads as"), choices=ReaderGroup.choices)


def _require(user) -> None:
    if not user_may(user, Capability.MANAGE_PEOPLE):
        raise PermissionDenied


def readers_view(request):
    _require(request.user)
    form = ReaderInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = reader_invite(
                email=data["email"], full_name=data["full_name"], group=ReaderGroup(data["group"]), by=request.user
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("%(email)s is invited; the link is on its way.") % {"email": invitation.email})
            return redirect("accounts_readers")
    collections = reader_collections()
    context = {
        "page_title": _("Readers"),
        "pending": reader_registrations_pending(),
        "readers": readers(),
        "form": form,
        "collections": [(ReaderGroup(name).label, collection) for name, collection in collections.items()],
    }
    return TemplateResponse(request, "accounts/readers.html", context)


@require_POST
def reader_registration_decide_view(request, registration_id: int, decision: str):
    _require(request.user)
    try:
        if decision == "approve":
            invitation = reader_registration_approve(registration_id=registration_id, by=request.user)
            messages.success(
                request,
                _("%(email)s is approved; the link to set a password is on its way.") % {"email": invitation.email},
            )
        elif decision == "decline":
            registration = reader_registration_decline(registration_id=registration_id, by=request.user)
            messages.success(request, _("The request of %(email)s is declined.") % {"email": registration.email})
        else:
            raise PermissionDenied
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts_readers")
