"""Editor integration of responsibility: its screen, and its entries in the audit trail."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from workflows.admin_views import section_responsibility_view, site_administrator_view
from workflows.roles import Role


@hooks.register("register_admin_urls")
def responsibility_urls():
    return [
        path(
            "sections/<int:page_id>/responsible/", section_responsibility_view, name="workflows_section_responsibility"
        ),
        path("site-administrator/", site_administrator_view, name="workflows_site_administrator"),
    ]


class DirectorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or request.user.groups.filter(name=Role.DIRECTOR.value).exists()


@hooks.register("register_settings_menu_item")
def site_administrator_menu_item():
    return DirectorMenuItem(
        _("Site administrator"), reverse("workflows_site_administrator"), icon_name="user", order=110
    )


@hooks.register("register_log_actions")
def responsibility_log_actions(actions):
    actions.register_action(
        "workflows.responsibility_assign", _("Assign responsibility"), _("Responsible person assigned")
    )
    actions.register_action(
        "workflows.responsibility_unassign", _("Remove responsibility"), _("Responsible person removed")
    )
    actions.register_action(
        "workflows.administrator_replace", _("Appoint the site administrator"), _("Site administrator appointed")
    )
