"""The office's own records and settings: its audit trail and the region's update periods."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from compliance.regional_periods import regional_period_set, regional_periods
from console.exports import table_csv
from console.views.access import regional_administrator_required, regional_staff_required
from tenants.audit import regional_action_record
from tenants.models import RegionalAction
from tenants.selectors import regional_actions


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        required=False,
        choices=[("", gettext_lazy("Any")), *RegionalAction.Action.choices],
    )
    actor = forms.CharField(label=gettext_lazy("By"), required=False, max_length=254)
    school = forms.CharField(label=gettext_lazy("School (name or BIN)"), required=False, max_length=100)


def _audit_csv(actions) -> bytes:
    headings = [_("When"), _("By"), _("Action"), _("School"), _("BIN"), _("Reason"), _("Details")]
    rows = []
    for action in actions:
        school = action.school
        rows.append([
            timezone.localtime(action.at).isoformat(timespec="seconds"),
            action.actor,
            action.get_action_display(),
            school.name if school else "",
            school.bin if school else "",
            action.reason,
            "; ".join(f"{label}: {value}" for label, value in action.details),
        ])  # fmt: skip
    return table_csv(headings, rows)


@regional_staff_required
def audit_view(request):
    """Everything the office did from the console, newest first; filtered, paged, exported as CSV."""
    form = AuditFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    actions = regional_actions(
        action=data.get("action", ""), actor=data.get("actor", ""), school=data.get("school", "")
    )
    if request.GET.get("export") == "csv":
        regional_action_record(actor=request.user, action=RegionalAction.Action.EXPORT, what="office audit trail")
        response = HttpResponse(_audit_csv(actions), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="regional-audit-{timezone.localdate():%Y-%m-%d}.csv"'
        return response
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "console/audit.html", {"form": form, "page": page, "query": query.urlencode()})


@regional_staff_required
@require_http_methods(["GET"])
def update_periods_view(request):
    return render(request, "console/update_periods.html", {"periods": regional_periods()})


@regional_administrator_required
@require_http_methods(["POST"])
def update_period_set_view(request, section_code: str):
    raw = request.POST.get("max_days", "").strip()
    try:
        if raw and not (raw.isascii() and raw.isdigit()):
            raise ValidationError(_("Enter a whole number of days, or leave it empty for the regulation's period."))
        regional_period_set(section_code=section_code, max_days=int(raw) if raw else None, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved; schools follow it from their next daily scan."))
    return redirect("console:update_periods")
