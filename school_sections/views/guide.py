"""The platform's short guide for the school's editors, one part per role, in the editor's language.

Wagtail's help menu links to its own guide on the internet: English only, about features the platform
turns off, and out of reach on the schools' closed networks.
"""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from regulation.roles import Role

# The guide's parts, in the order a school meets them; each names the roles it is written for.
GUIDE_PARTS = (
    ("director", (Role.DIRECTOR,)),
    ("administrator", (Role.SITE_ADMINISTRATOR,)),
    ("editor", (Role.DEPUTY_DIRECTOR, Role.METHODOLOGICAL_LEADER, Role.CHIEF_EDITOR, Role.EDITORIAL_MEMBER)),
)


def editor_guide_view(request):
    held = set(request.user.groups.values_list("name", flat=True))
    if request.user.is_superuser:
        held = {role.value for role in Role}
    parts = [
        {"name": name, "roles": [role.label for role in roles], "yours": any(role.value in held for role in roles)}
        for name, roles in GUIDE_PARTS
    ]
    parts.sort(key=lambda part: not part["yours"])  # the reader's own part first
    return TemplateResponse(
        request,
        "school_sections/admin/guide.html",
        {"page_title": _("Editor's guide"), "parts": parts},
    )
