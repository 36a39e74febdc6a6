"""The regional console at PLATFORM_DOMAIN: sign-in, the list of schools, opening a school."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.sign_in import ThrottledAuthenticationForm
from compliance.overview import school_overview
from console.exports import XLSX_CONTENT_TYPE, overview_csv, overview_xlsx
from console.forms import SchoolProvisionForm, SchoolSearchForm
from console.views.access import regional_administrator_required, regional_staff_required
from provisioning.services import SchoolTemplateNotReady, school_provision
from tenants.audit import regional_action_record
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
    schools = school_overview(search_form.filters())
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
    for school in page.object_list:
        school.site_url = absolute_url(school.primary_host) if school.primary_host else ""
        school.editor_url = absolute_url(school.primary_host, "/admin/") if school.primary_host else ""
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "console/school_list.html",
        {"page": page, "search_form": search_form, "query": query.urlencode()},
    )


EXPORTS = {
    "csv": (overview_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": (overview_xlsx, XLSX_CONTENT_TYPE, "xlsx"),
}


@regional_administrator_required
@require_http_methods(["GET", "POST"])
def school_create_view(request):
    form = SchoolProvisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provisioned = school_provision(details=form.details, opened_by=request.user, build_template=False)
        except ValidationError as exc:  # someone opened the same school since the form was checked
            form.add_service_errors(exc)
            return render(request, "console/school_form.html", {"form": form})
        except SchoolTemplateNotReady:
            messages.warning(
                request,
                _(
                    "The platform is preparing new schools' sites after an update; this takes a few minutes. "
                    "Nothing was created: send the form again shortly."
                ),
            )
            return render(request, "console/school_form.html", {"form": form})
        messages.success(request, _("The site of %(school)s is open.") % {"school": provisioned.school.name})
        return render(
            request,
            "console/school_created.html",
            {
                "provisioned": provisioned,
                "site_url": absolute_url(provisioned.hostname),
                "editor_url": absolute_url(provisioned.hostname, "/admin/"),
                "show_invitation_links": settings.SHOW_INVITATION_LINKS,
            },
        )
    return render(request, "console/school_form.html", {"form": form})
