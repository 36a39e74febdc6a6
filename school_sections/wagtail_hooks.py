"""The school's editor: what the regulation still misses (dashboard), and translations that may be outdated."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from regulation.permissions import Capability, user_may
from school_sections.selectors import school_completeness
from school_sections.translation_state import translation_confirm
from school_sections.views.admin import site_structure_view
from school_sections.views.guide import editor_guide_view


class CompletenessPanel(Component):
    name = "regulation_completeness"
    order = 50
    template_name = "school_sections/admin/completeness_panel.html"

    def get_context_data(self, parent_context):
        return {"completeness": school_completeness(), "heading": _("What the regulation still asks of this site")}


@hooks.register("construct_homepage_panels")
def add_completeness_panel(request, panels):
    panels.append(CompletenessPanel())


@hooks.register("register_admin_urls")
def translation_admin_urls():
    return [
        path(
            "translations/<int:page_id>/<str:language>/confirm/",
            translation_confirm_view,
            name="school_sections_translation_confirm",
        )
    ]


@require_POST
def translation_confirm_view(request, page_id: int, language: str):
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    translation_confirm(page, language)
    messages.success(request, _("The translation is marked as checked."))
    return redirect("wagtailadmin_pages:edit", page_id)


@hooks.register("register_admin_urls")
def site_structure_urls():
    return [path("site-structure/", site_structure_view, name="school_sections_site_structure")]


class SiteStructureMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may(request.user, Capability.MANAGE_SITE)


@hooks.register("register_settings_menu_item")
def site_structure_menu_item():
    return SiteStructureMenuItem(
        _("Site structure"), reverse("school_sections_site_structure"), icon_name="list-ul", order=100
    )


@hooks.register("register_admin_urls")
def editor_guide_urls():
    return [path("guide/", editor_guide_view, name="school_sections_editor_guide")]


# Wagtail's help items that lead to its English guide and release notes on the internet.
_WAGTAIL_HELP_ITEMS = {"editor-guide"}


@hooks.register("construct_help_menu")
def help_menu_platform_guide(request, menu_items):
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in _WAGTAIL_HELP_ITEMS and not item.name.startswith("whats-new-in-wagtail")
    ]
    guide = MenuItem(
        _("Editor's guide"), reverse("school_sections_editor_guide"), name="platform-guide", icon_name="help"
    )
    menu_items.insert(0, guide)
