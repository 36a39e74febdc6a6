"""The regional console at PLATFORM_DOMAIN: sign-in and the list of schools."""

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.sign_in import ThrottledAuthenticationForm
from compliance.overview import school_overview
from console.exports import XLSX_CONTENT_TYPE, overview_csv, overview_xlsx
from console.forms import SchoolSearchForm
from console.views.access import regional_staff_required
from provisioning.outbox_selectors import unsent_invitations_exist
from tenants.audit import regional_action_record
from tenants.cluster import school_nodes
from tenants.hosts import absolute_url
from tenants.models import RegionalAction
from tenants.selectors import districts

SCHOOLS_PER_PAGE = 50


class ConsoleLoginView(auth_views.LoginView):
    template_name = "console/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


@regional_staff_required
def school_list_view(request):
    """The overview: every school's compliance from the ledger, searched, filtered and sorted."""
    search_form = SchoolSearchForm(request.GET, districts=districts())
    schools = school_overview(search_form.filters()).annotate(invitations_unsent=unsent_invitations_exist())
    export = request.GET.get("export")
    if export in EXPORTS:
        content, content_type, extension = EXPORTS[export]
        regional_action_record(
            actor=request.user, action=RegionalAction.Action.EXPORT, what="overview", format=extension,
            filters=request.GET.urlencode(),
        )  # fmt: skip
        response = HttpResponse(content(schools), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="schools-{timezone.localdate():%Y-%m-%d}.{extension}"'
        return response
    page = Paginator(schools, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    nodes = school_nodes([school.schema_name for school in page.object_list])  # on a Citus cluster only
    for school in page.object_list:
        school.node = nodes.get(school.schema_name)
        school.site_url = absolute_url(school.primary_host) if school.primary_host else ""
        school.editor_url = absolute_url(school.primary_host, "/admin/") if school.primary_host else ""
    query = request.GET.copy()
    query.pop("page", None)
    # The legend under the table explains the badges this page shows (each figure's column always).
    shown = {
        "licence_expired": any(school.summary.licence_expired for school in page if _summary_of(school)),
        "invitations_unsent": any(school.invitations_unsent for school in page),
    }
    return render(
        request,
        "console/school_list.html",
        {"page": page, "search_form": search_form, "query": query.urlencode(), "badges_shown": shown},
    )


def _summary_of(school):
    """The school's summary from its last scan, or None before its first (a missing one-to-one row)."""
    return getattr(school, "summary", None)


EXPORTS = {
    "csv": (overview_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": (overview_xlsx, XLSX_CONTENT_TYPE, "xlsx"),
}
