"""A section's update period and "reviewed, still accurate" (clause 5.7): where reminders lead."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from compliance.freshness import school_freshness, update_period_days
from compliance.models import RegionalUpdatePeriod
from regulation import catalogue
from regulation.permissions import Capability, user_may
from tenants.current import current_school
from workflows.services import section_period_set, section_reviewed


class PeriodForm(forms.Form):
    period_days = forms.IntegerField(
        label=gettext_lazy("Update period in this school (days)"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Leave empty for the regulation's period."),
    )


def _may_confirm(user, section) -> bool:
    return user_may(user, Capability.CONFIRM_FRESHNESS) or section.responsibilities.filter(person=user).exists()


def section_freshness_view(request, page_id: int):
    section = get_object_or_404(Page, pk=page_id, depth=3).specific
    if not _may_confirm(request.user, section):
        raise PermissionDenied
    entry = catalogue.section(section.section_code)
    regional_max = RegionalUpdatePeriod.objects.filter(section_code=entry.code).values_list("max_days", flat=True)
    longest = update_period_days(entry, None, regional_max.first())
    form = PeriodForm(request.POST if "period" in request.POST else None)
    if request.method == "POST" and "reviewed" in request.POST:
        section_reviewed(section=section, by=request.user)
        messages.success(request, _("Recorded: the section is reviewed and still accurate."))
        return redirect("compliance_section_freshness", page_id)
    if request.method == "POST" and "period" in request.POST:
        if not user_may(request.user, Capability.MANAGE_SITE):
            raise PermissionDenied
        if form.is_valid():
            try:
                section_period_set(
                    section=section, days=form.cleaned_data["period_days"], longest=longest, by=request.user
                )
            except ValidationError as error:
                form.add_error("period_days", error.message_dict["period_days"])
            else:
                messages.success(request, _("The update period is saved."))
                return redirect("compliance_section_freshness", page_id)
    states = school_freshness(now=timezone.now(), opened_at=current_school().created_at)
    state = next((state for state in states if state.page_id == section.pk), None)
    return TemplateResponse(
        request,
        "compliance/admin/section_freshness.html",
        {
            "page_title": _("Is it up to date? %(section)s") % {"section": f"{entry.code} {entry.title}"},
            "section": section,
            "state": state,
            "longest": longest,
            "form": form,
            "manages": user_may(request.user, Capability.MANAGE_SITE),
        },
    )
