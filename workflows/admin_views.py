"""In the school's editor: who is responsible for a section (clause 5.4), one screen per section."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from school_sections.admin_views import user_manages_site
from workflows.models import SectionResponsibility
from workflows.services import responsibility_set


class ResponsibilityForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Responsible people"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("first_name", "email")
        )
        self.fields["people"].label_from_instance = lambda user: f"{user.get_full_name() or user.email} <{user.email}>"


def section_responsibility_view(request, page_id: int):
    if not user_manages_site(request.user):
        raise PermissionDenied
    section = get_object_or_404(Page, pk=page_id, depth=3).specific
    current = get_user_model().objects.filter(responsibilities__section=section)
    form = ResponsibilityForm(request.POST or None, initial={"people": current})
    if request.method == "POST" and form.is_valid():
        responsibility_set(section=section, people=form.cleaned_data["people"], by=request.user)
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
