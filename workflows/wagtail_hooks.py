"""Editor integration of responsibility: its screen, and its entries in the audit trail."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from workflows.admin_views import section_responsibility_view


@hooks.register("register_admin_urls")
def responsibility_urls():
    return [
        path(
            "sections/<int:page_id>/responsible/", section_responsibility_view, name="workflows_section_responsibility"
        )
    ]


@hooks.register("register_log_actions")
def responsibility_log_actions(actions):
    actions.register_action(
        "workflows.responsibility_assign", _("Assign responsibility"), _("Responsible person assigned")
    )
    actions.register_action(
        "workflows.responsibility_unassign", _("Remove responsibility"), _("Responsible person removed")
    )
