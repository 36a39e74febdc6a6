"""A school's page in the regional console: its sections' state, who answers for them, the chase so far,
and what the office can do (remind now, suspend and restore), each action with its reason."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tenants.utils import schema_context

from compliance.health.selectors import school_health
from compliance.models import Reminder, RemindNowRequest
from compliance.selectors import school_ledger
from console.exports import XLSX_CONTENT_TYPE, school_state_headings, school_state_rows, table_csv, table_xlsx
from console.forms import SiteStatusForm
from console.services.schools import school_remind, school_restore, school_suspend
from console.views.access import regional_administrator_required, regional_staff_required
from provisioning.models import ProvisioningStep
from provisioning.outbox import invitation_resend
from provisioning.outbox_selectors import invitation_states
from regulation import catalogue
from tenants.audit import regional_action_record
from tenants.cluster import school_nodes
from tenants.hosts import absolute_url
from tenants.models import Domain, RegionalAction, School
from workflows.models import SectionResponsibility


def _responsible_names(school: School) -> dict[int, list[str]]:
    """Names only (clause 5.4): the office needs who answers for a section, not their private data."""
    names = defaultdict(list)
    with schema_context(school.schema_name):
        for row in SectionResponsibility.objects.filter(person__is_active=True).select_related("person"):
            names[row.section_id].append(row.person.get_full_name() or row.person.get_username())
    return names


def _school_state_export(request, school: School, sections: list[dict], extension: str) -> HttpResponse:
    headings, rows = school_state_headings(), school_state_rows(sections)
    if extension == "csv":
        response = HttpResponse(table_csv(headings, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(headings, rows, title=_("Sections")), content_type=XLSX_CONTENT_TYPE)
    filename = f"{school.schema_name}-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    regional_action_record(
        actor=request.user, action=RegionalAction.Action.EXPORT, school=school, what="school state", format=extension
    )
    return response


def _school_page(request, school: School, *, status_form: SiteStatusForm | None = None):
    """The page, with the form of the action the office can take on the site's status (bound and with its
    errors when a reason was refused, so that nothing typed is lost)."""
    host = Domain.objects.filter(tenant=school, is_primary=True).values_list("domain", flat=True).first()
    names = _responsible_names(school)
    sections = [
        {"entry": entry, "section": catalogue.section(entry.section_code), "people": names.get(entry.page_id, [])}
        for entry in school_ledger(school)
    ]
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _school_state_export(request, school, sections, export)
    if status_form is None:
        status_form = SiteStatusForm(action="restore" if school.is_suspended else "suspend")
    health, health_findings = school_health(school.pk)  # clause 5.6, from the public schema
    for finding in health_findings:
        finding.edit_url = absolute_url(host, finding.edit_path) if host and finding.edit_path else ""
    return render(
        request,
        "console/school_page.html",
        {
            "school": school,
            "site_url": absolute_url(host) if host else "",
            "editor_url": absolute_url(host, "/admin/") if host else "",
            "sections": sections,
            "health": health,
            "health_findings": health_findings,
            "node": school_nodes([school.schema_name]).get(school.schema_name),  # on a Citus cluster only
            "invitations": invitation_states(school),
            "reminders": Reminder.objects.filter(school=school).order_by("-claimed_at")[:50],
            "remind_requests": RemindNowRequest.objects.filter(school=school).order_by("-requested_at")[:10],
            "actions": RegionalAction.objects.filter(school=school)[:50],
            "status_form": status_form,
        },
    )


@regional_staff_required
def school_page_view(request, school_id: int):
    return _school_page(request, get_object_or_404(School, pk=school_id))


@regional_administrator_required
@require_POST
def school_remind_view(request, school_id: int):
    school = get_object_or_404(School, pk=school_id)
    if school_remind(school=school, actor=request.user):
        messages.success(request, _("The responsible people of every stale section are being reminded."))
    else:
        messages.warning(
            request,
            _(
                "The background jobs cannot be reached right now. Your request is recorded: the reminders "
                "will go out as soon as the background jobs are back."
            ),
        )
    return redirect("console:school_page", school.pk)


@regional_administrator_required
@require_POST
def school_status_view(request, school_id: int, action: str):
    """Suspend the site or put it back online, with the reason; a missing reason is shown by its field."""
    school = get_object_or_404(School, pk=school_id)
    service = {"suspend": school_suspend, "restore": school_restore}[action]
    form = SiteStatusForm(request.POST, action=action)
    if not form.is_valid():
        return _school_page(request, school, status_form=form)
    try:
        service(school=school, actor=request.user.get_username(), reason=form.cleaned_data["reason"])
    except ValidationError as error:
        if hasattr(error, "error_dict") and "reason" in error.error_dict:
            form.add_error("reason", error.error_dict["reason"])
            return _school_page(request, school, status_form=form)
        messages.error(request, " ".join(error.messages))  # e.g. suspended meanwhile by someone else
    else:
        done = _("The site is suspended.") if action == "suspend" else _("The site is back online.")
        messages.success(request, done)
    return redirect("console:school_page", school.pk)


@regional_administrator_required
@require_POST
def school_invitation_resend_view(request, school_id: int, step_id: int):
    """Send a failed or expired invitation of the school's first accounts again, with a fresh link."""
    step = get_object_or_404(ProvisioningStep, pk=step_id, school_id=school_id, kind=ProvisioningStep.Kind.INVITATION)
    try:
        invitation_resend(step=step, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is being sent again; this page shows when it has gone.")
            % {"email": step.payload.get("email", "")},
        )
    return redirect("console:school_page", school_id)
