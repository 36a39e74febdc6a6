"""Freshness in a school's editor (clause 5.7): the period and "reviewed" screen, the stale-sections panel; and the
site health panel for the head and the site administrator (clause 5.6)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from compliance.health.selectors import school_health
from compliance.models import LedgerEntry
from compliance.views import section_freshness_view
from regulation import catalogue
from regulation.permissions import Capability, user_may
from regulation.roles import Role, user_has_role
from tenants.current import current_school
from workflows.audit import register_reasoned_action
from workflows.models import SectionResponsibility


@hooks.register("register_admin_urls")
def freshness_urls():
    return [
        path("sections/<int:page_id>/freshness/", section_freshness_view, name="compliance_section_freshness"),
    ]


class StalePanel(Component):
    """Clause 5.7 in the editor: the sections the signed-in person should update, from the last scan."""

    name = "stale_sections"
    order = 40
    template_name = "compliance/admin/stale_panel.html"

    def __init__(self, stale):
        self.stale = stale

    def get_context_data(self, parent_context):
        return {"stale": self.stale}


@hooks.register("construct_homepage_panels")
def add_stale_panel(request, panels):
    entries = LedgerEntry.objects.filter(
        school_id=current_school().pk, stale_since__isnull=False, page_id__isnull=False
    )
    if not user_may(request.user, Capability.CONFIRM_FRESHNESS):
        mine = SectionResponsibility.objects.filter(person=request.user).values_list("section_id", flat=True)
        entries = entries.filter(page_id__in=list(mine))
    stale = [(entry, catalogue.section(entry.section_code)) for entry in entries.order_by("stale_since")]
    if stale:
        panels.append(StalePanel(stale))


class SiteHealthPanel(Component):
    """Clause 5.6 in the editor: the technical state of the published site from its last check, each problem
    linking to where it is fixed."""

    name = "site_health"
    order = 45
    template_name = "compliance/admin/site_health_panel.html"
    SHOWN = 50  # the rest are counted; fixing the first ones is where to start

    def __init__(self, summary, findings):
        self.summary, self.findings = summary, findings

    def get_context_data(self, parent_context):
        return {
            "summary": self.summary,
            "findings": self.findings[: self.SHOWN],
            "more": max(0, len(self.findings) - self.SHOWN),
        }


@hooks.register("construct_homepage_panels")
def add_site_health_panel(request, panels):
    # The head and the site administrator supervise the site's technical state (clauses 4.1, 4.2, 5.6).
    if user_has_role(request.user, Role.DIRECTOR, Role.SITE_ADMINISTRATOR):
        panels.append(SiteHealthPanel(*school_health(current_school().pk)))


@hooks.register("register_log_actions")
def freshness_log_actions(actions):
    # The actions' names are stored in every school's log: they keep the "workflows." prefix they were born with.
    for action, label, message in (
        ("workflows.section_reviewed", _("Reviewed, still accurate"), _("Section reviewed: still accurate")),
        ("workflows.section_period", _("Update period"), _("Update period changed")),
    ):
        register_reasoned_action(actions, action, label, message)
