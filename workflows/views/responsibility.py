"""In the school's editor: who is responsible for a section (clause 5.4), one screen per section."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from regulation.permissions import Capability, user_may
from regulation.roles import Role
from workflows.models import SectionResponsibility
from workflows.selectors import people_who_may_edit
from workflows.services import responsibility_set, site_administrator_replace


def _active_people():
    """Who may be given a section or the administrator post: active, and not a reader only (clause 5.2)."""
    return people_who_may_edit().filter(is_active=True).order_by("first_name", "email")


def _form_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
        form.add_error(field if field in form.fields else None, messages_)


def _person_label(user) -> str:
    return f"{user.get_full_name() or user.email} <{user.email}>"


class ResponsibilityForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Responsible people"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = _active_people()
        self.fields["people"].label_from_instance = _person_label


def section_responsibility_view(request, page_id: int):
    if not user_may(request.user, Capability.MANAGE_SITE):
        raise PermissionDenied
    section = get_object_or_404(Page, pk=page_id, depth=3).specific
    current = get_user_model().objects.filter(responsibilities__section=section)
    form = ResponsibilityForm(request.POST or None, initial={"people": current})
    if request.method == "POST" and form.is_valid():
        try:
            responsibility_set(section=section, people=form.cleaned_data["people"], by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The responsible people are saved."))
            return redirect("workflows_section_responsibility", page_id)
    return TemplateResponse(
        request,
        "workflows/admin/section_responsibility.html",
        {
            "form": form,
            "section": section,
            "page_title": _("Responsible for: %(section)s")
            % {"section": getattr(section, "display_title", section.title)},
            "count": SectionResponsibility.objects.filter(section=section).count(),
        },
    )


class AdministratorForm(forms.Form):
    administrator = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), label=gettext_lazy("Site administrator")
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administrator"].queryset = _active_people()
        self.fields["administrator"].label_from_instance = _person_label


def site_administrator_view(request):
    """Clause 1.2: the head of the school appoints and replaces the site administrator."""
    if not user_may(request.user, Capability.APPOINT_ADMINISTRATOR):
        raise PermissionDenied
    current = get_user_model().objects.filter(groups__name=Role.SITE_ADMINISTRATOR.value).first()
    form = AdministratorForm(request.POST or None, initial={"administrator": current})
    if request.method == "POST" and form.is_valid():
        try:
            site_administrator_replace(
                new_administrator=form.cleaned_data["administrator"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The site administrator is appointed."))
            return redirect("workflows_site_administrator")
    return TemplateResponse(
        request,
        "workflows/admin/site_administrator.html",
        {"form": form, "current": current, "page_title": _("Site administrator")},
    )
