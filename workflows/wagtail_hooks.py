"""Editor integration of responsibility, screening, rejections and the archive: screens, hooks, audit trail
actions."""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from regulation.catalogue import MANDATORY
from regulation.permissions import Capability, user_may
from workflows.action_menu import action_menu_order
from workflows.archive import archived
from workflows.audit import register_reasoned_action
from workflows.rejection import refuse_rejection_without_comment, show_rejection_on_edit
from workflows.screening.editor import refuse_blocked_publication, screening_findings_view, show_findings_on_edit
from workflows.selectors import archived_ids
from workflows.views.archive import archival_restore_view, archive_index_view, page_archive_view
from workflows.views.audit import AuditTrailView
from workflows.views.images import (
    ImagesInUseView,
    image_archive_view,
    image_upload_removal_view,
    refuse_image_bulk_deletion,
)
from workflows.views.responsibility import section_responsibility_view, site_administrator_view


@hooks.register("register_admin_urls")
def responsibility_urls():
    return [
        path(
            "sections/<int:page_id>/responsible/", section_responsibility_view, name="workflows_section_responsibility"
        ),
        path("site-administrator/", site_administrator_view, name="workflows_site_administrator"),
        path("screening/<int:page_id>/", screening_findings_view, name="workflows_screening_findings"),
        path("archive/", archive_index_view, name="workflows_archive"),
        path("audit/", AuditTrailView.as_view(), name="workflows_audit"),
        path("audit/results/", AuditTrailView.as_view(results_only=True), name="workflows_audit_results"),
        path("archive/page/<int:page_id>/", page_archive_view, name="workflows_archive_page"),
        path("archive/<int:archival_id>/restore/", archival_restore_view, name="workflows_archive_restore"),
    ]


@hooks.register("register_admin_urls", order=-1)
def image_archive_urls():
    """At Wagtail's own image paths, before Wagtail's (clause 1.2): "Delete" archives, the listing leaves out
    what is archived. Wagtail's URL names still reverse to these paths."""
    return [
        path("images/", ImagesInUseView.as_view(), name="workflows_images"),
        path("images/results/", ImagesInUseView.as_view(results_only=True), name="workflows_images_results"),
        path("images/<int:image_id>/delete/", image_archive_view, name="workflows_image_archive"),
        path("images/multiple/<int:image_id>/delete/", image_upload_removal_view, name="workflows_image_removal"),
    ]


@hooks.register("construct_image_chooser_queryset")
def archived_images_are_not_offered(images, request):
    return images.exclude(pk__in=archived_ids(images.model))


class DirectorMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may(request.user, Capability.APPOINT_ADMINISTRATOR)


@hooks.register("register_settings_menu_item")
def site_administrator_menu_item():
    return DirectorMenuItem(
        _("Site administrator"), reverse("workflows_site_administrator"), icon_name="user", order=110
    )


MANDATORY_CODES = {section.code for section in MANDATORY}


class ArchiveMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may(request.user, Capability.READ_ARCHIVE)


@hooks.register("register_admin_menu_item")
def archive_menu_item():
    return ArchiveMenuItem(_("Archive"), reverse("workflows_archive"), icon_name="folder-inverse", order=900)


class AuditTrailMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may(request.user, Capability.READ_AUDIT_TRAIL)


@hooks.register("register_reports_menu_item")
def audit_trail_menu_item():
    return AuditTrailMenuItem(_("Audit trail"), reverse("workflows_audit"), icon_name="history", order=50)


@hooks.register("construct_reports_menu")
def site_history_for_audit_trail_readers(request, menu_items):
    # Wagtail's site history is a part of the audit trail (workflows.views.reports).
    if not user_may(request.user, Capability.READ_AUDIT_TRAIL):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]


@hooks.register("register_page_header_buttons")
@hooks.register("register_page_listing_more_buttons")
def archive_page_button(page, user, *args, **kwargs):
    # The class tells a mandatory section (its code is a class attribute), so no query per listed page.
    code = getattr(page.specific_class, "section_code", None)
    mandatory = isinstance(code, str) and code in MANDATORY_CODES
    if page.depth > 2 and not mandatory and user_may(user, Capability.ARCHIVE):
        yield Button(
            pgettext_lazy("verb", "Archive"),
            reverse("workflows_archive_page", args=[page.pk]),
            icon_name="folder-inverse",
            priority=55,
        )


@hooks.register("before_serve_document")
def archived_documents_are_not_served(document, request):
    # Clause 1.2: an archived document is kept, not shown.
    if archived(document) is not None:
        raise Http404


@hooks.register("register_log_actions")
def workflow_log_actions(actions):
    for action, label, message in (
        ("workflows.responsibility_assign", _("Assign responsibility"), _("Responsible person assigned")),
        ("workflows.responsibility_unassign", _("Remove responsibility"), _("Responsible person removed")),
        ("workflows.administrator_replace", _("Appoint the site administrator"), _("Site administrator appointed")),
        ("workflows.director_replace", _("Appoint the head of the school"), _("Head of the school appointed")),
        ("workflows.archive", _("Archive"), _("Archived")),
        ("workflows.restore", _("Restore from the archive"), _("Restored from the archive")),
        ("workflows.delete", _("Delete for good"), _("Deleted for good by the regional office")),
        ("workflows.screening_findings", _("Screening findings"), _("Screening found possible breaches")),
        (
            "workflows.screening_override",
            _("Override screening"),
            _("Publication allowed despite screening findings"),
        ),
    ):
        register_reasoned_action(actions, action, label, message)


hooks.register("before_publish_page", refuse_blocked_publication)
hooks.register("construct_page_action_menu", action_menu_order)
hooks.register("before_edit_page", show_findings_on_edit)
hooks.register("before_edit_page", refuse_rejection_without_comment)
hooks.register("before_edit_page", show_rejection_on_edit)
hooks.register("before_bulk_action", refuse_image_bulk_deletion)
