"""What the regional office does inside the region's schools from the console (clauses 1.2, 3.3, 2.2.6).

Each view works on one school: it switches to that school's schema for the
duration of the request (``schema_context``), so nothing loops over schools.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_tenants.utils import schema_context

from console.services.schools import school_appointment, school_archival_delete
from console.services.screening_rules import regional_rule_add, regional_rule_toggle
from console.views.access import regional_administrator_required, regional_staff_required
from console.views.params import id_or_404
from regulation.roles import Role
from tenants.audit import regional_action_record
from tenants.models import RegionalAction, School
from workflows.archive import archival_deletable
from workflows.audit import audit_csv, audit_entries
from workflows.models import ARCHIVE_RETENTION, Archival, RegionalScreeningRule


class RegionalRuleForm(forms.ModelForm):
    class Meta:
        model = RegionalScreeningRule
        fields = ["clause", "language", "text", "reason"]


@regional_staff_required
@require_http_methods(["GET", "POST"])
def screening_rules_view(request):
    """Clause 3.3: rules the office adds apply to every school's screening at once."""
    form = RegionalRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        regional_rule_add(rule=form.save(commit=False), actor=request.user)
        messages.success(request, _("The rule applies to every school from now on."))
        return redirect("console:screening_rules")
    rules = RegionalScreeningRule.objects.all()
    return render(request, "console/screening_rules.html", {"form": form, "rules": rules})


@regional_staff_required
@require_POST
def screening_rule_toggle_view(request, rule_id: int):
    regional_rule_toggle(rule=get_object_or_404(RegionalScreeningRule, pk=rule_id), actor=request.user)
    return redirect("console:screening_rules")


class DeleteForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why it is deleted for good"), max_length=1000)


@regional_staff_required
@require_http_methods(["GET", "POST"])
def school_archive_view(request, school_id: int):
    """A school's archive; only here is anything deleted for good, after the retention period and with a reason
    (clause 1.2). Each item says from when it may be deleted."""
    school = get_object_or_404(School, pk=school_id)
    form = DeleteForm(request.POST or None)
    with schema_context(school.schema_name):
        if request.method == "POST":
            archival = get_object_or_404(Archival, pk=id_or_404(request.POST.get("archival")))
            if form.is_valid():
                try:
                    school_archival_delete(
                        school=school, archival=archival, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(request, _("“%(title)s” is deleted for good.") % {"title": archival.title})
                return redirect("console:school_archive", school.pk)
            messages.error(request, _("Write why it is deleted for good."))
        items = list(Archival.objects.select_related("archived_by", "content_type"))
        now = timezone.now()
        for item in items:
            item.deletable = archival_deletable(item, now=now)
        context = {"school": school, "items": items, "form": DeleteForm(), "retention_days": ARCHIVE_RETENTION.days}
        return render(request, "console/school_archive.html", context)


@regional_staff_required
def school_audit_csv_view(request, school_id: int):
    """A school's whole audit trail as CSV, for the regional office (clauses 1.2, 4)."""
    school = get_object_or_404(School, pk=school_id)
    with schema_context(school.schema_name):
        content = audit_csv(audit_entries())
    regional_action_record(actor=request.user, action=RegionalAction.Action.EXPORT, school=school, what="audit trail")
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = f"audit-{school.schema_name}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class StepInForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of the person appointed"))
    full_name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Needed only if the person has no account on the school's site yet."),
    )
    reason = forms.CharField(label=gettext_lazy("Why the regional office steps in"), max_length=1000)


# The roles the office may fill when the school cannot (clause 1.2), by the URL's word.
APPOINTMENTS = {"administrator": Role.SITE_ADMINISTRATOR, "head": Role.DIRECTOR}


@regional_administrator_required
@require_http_methods(["GET", "POST"])
def school_appointment_view(request, school_id: int, appointment: str):
    """Clause 1.2: the head appoints the administrator, the office the head; the office steps in for
    either when the school cannot, with a recorded reason, and the previous holder loses the role at once."""
    school = get_object_or_404(School, pk=school_id)
    role = APPOINTMENTS[appointment]
    form = StepInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = school_appointment(school=school, role=role, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            message = _("%(school)s: the new %(role)s is appointed.") % {"role": role.label, "school": school.name}
            if invitation is not None:
                message += " " + _("An invitation is sent to %(email)s.") % {"email": invitation.email}
            messages.success(request, message)
            return redirect("console:school_page", school.pk)
    with schema_context(school.schema_name):
        current = list(get_user_model().objects.filter(groups__name=role.value))
    context = {"school": school, "form": form, "current": current, "role": role, "appointment": appointment}
    return render(request, "console/school_appointment.html", context)
