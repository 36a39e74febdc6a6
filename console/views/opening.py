"""Opening one school from the console: the form, then a page that follows the background job to the end.

The request only checks the form (``provisioning.school_opening``); a worker provisions the school, which
takes longer than a web request may, and the page polls its status until the site is open or refused.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from console.forms import SchoolProvisionForm
from console.views.access import regional_administrator_required, regional_staff_required
from console.views.params import id_or_none
from provisioning.models import SchoolOpening
from provisioning.outbox_selectors import invitation_states
from provisioning.school_opening import school_opening_request, school_opening_requeue
from regulation.roles import Role
from tenants.hosts import absolute_url
from tenants.models import Domain


@regional_administrator_required
@require_http_methods(["GET", "POST"])
def school_create_view(request):
    """The form; ``?from=<opening>`` fills it with a refused or failed opening's details, to correct them."""
    if request.method == "POST":
        form = SchoolProvisionForm(request.POST)
        if form.is_valid():
            try:
                opening = school_opening_request(details=form.details, by=request.user)
            except ValidationError as exc:  # a school being opened right now has this subdomain or BIN
                form.add_service_errors(exc)
            else:
                return redirect("console:school_opening", opening.pk)
    else:
        earlier_id = id_or_none(request.GET.get("from"))
        earlier = SchoolOpening.objects.filter(pk=earlier_id).first() if earlier_id else None
        form = SchoolProvisionForm(initial=earlier.details if earlier else None)
    pending = SchoolOpening.objects.filter(status__in=SchoolOpening.PENDING).only("details", "status", "queued_at")
    return render(request, "console/school_form.html", {"form": form, "pending": pending[:20]})


@regional_staff_required
def school_opening_view(request, opening_id: int):
    """Where the officer waits for the site: the job's status, then the site, the editor and who was invited."""
    opening = get_object_or_404(SchoolOpening.objects.select_related("school"), pk=opening_id)
    domains = opening.school.domains.filter(is_primary=True) if opening.school else Domain.objects.none()
    host = domains.values_list("domain", flat=True).first() or ""
    # What became of each e-mail (provisioning.outbox): sent, waiting, or failed with the reason.
    states = {state.email: state for state in invitation_states(opening.school)} if opening.school else {}
    invitations = [
        {
            **invitation,
            "role_names": ", ".join(str(Role(role).label) for role in invitation["roles"]),
            "state": states.get(invitation["email"]),
        }
        for invitation in opening.invitations
    ]
    if not invitations:  # a worker died after the school's commit: the outbox still knows who is invited
        invitations = [
            {"email": each.email, "full_name": each.full_name, "role_names": each.role_names, "url": "", "state": each}
            for each in states.values()
        ]
    context = {
        "opening": opening,
        "site_url": absolute_url(host) if host else "",
        "editor_url": absolute_url(host, "/admin/") if host else "",
        "invitations": invitations,
    }
    return render(request, "console/school_opening.html", context)


@regional_staff_required
def school_opening_progress_view(request, opening_id: int):
    """What the page polls: the status, one query."""
    opening = get_object_or_404(SchoolOpening.objects.only("status", "queued_at"), pk=opening_id)
    return JsonResponse(
        {
            "status": opening.status,
            "status_label": opening.get_status_display(),
            "in_progress": opening.is_in_progress,
            "stalled": opening.is_waiting_too_long,
        }
    )


@regional_administrator_required
@require_POST
def school_opening_requeue_view(request, opening_id: int):
    opening = get_object_or_404(SchoolOpening.objects.only("status", "queued_at"), pk=opening_id)
    if not school_opening_requeue(opening):
        messages.info(request, _("A worker has taken this opening already."))
    return redirect("console:school_opening", opening.pk)
