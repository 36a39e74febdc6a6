"""In the school's editor: the site's structure, for its site administrator.

Optional sections (clause 3.2) are enabled in their place and disabled without
losing their content; the site's default language is chosen here too.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from regulation import catalogue
from regulation.permissions import Capability, user_may
from school_sections.models import SchoolHomePage
from school_sections.services import section_disable, section_enable
from tenants.current import current_school
from tenants.services import school_default_language_set


@require_http_methods(["GET", "POST"])
def site_structure_view(request):
    if not user_may(request.user, Capability.MANAGE_SITE):
        raise PermissionDenied
    home = SchoolHomePage.objects.get()
    school = current_school()
    if request.method == "POST":
        action, value = request.POST.get("action", ""), request.POST.get("value", "")
        try:
            if action == "language":
                school_default_language_set(school=school, language=value)
                messages.success(request, _("The site's default language is saved."))
            elif action in {"enable", "disable"} and value in {entry.code for entry in catalogue.OPTIONAL}:
                (section_enable if action == "enable" else section_disable)(home=home, code=value, user=request.user)
                messages.success(
                    request,
                    _("The section is enabled.")
                    if action == "enable"
                    else _("The section is disabled; its content is kept."),
                )
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except ValueError:
            messages.error(request, _("Unknown action."))
        return redirect("school_sections_site_structure")

    existing = {getattr(page, "section_code", ""): page for page in home.get_children().specific()}
    optional = [
        {
            "section": entry,
            "page": existing.get(entry.code),
            "enabled": bool(existing.get(entry.code) and existing[entry.code].live),
        }
        for entry in catalogue.OPTIONAL
    ]
    return TemplateResponse(
        request,
        "school_sections/admin/site_structure.html",
        {
            "optional": optional,
            "school": school,
            "languages": settings.LANGUAGES,
            "page_title": _("Site structure"),
        },
    )
