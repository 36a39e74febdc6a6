"""Wagtail's own reports (site history, locked pages, workflows, aging pages, page types) with exports whose
cells go through ``tenants.spreadsheets``: Wagtail writes "=…" into its CSV as it is (formula injection).

Wagtail offers no hook to change a built-in report's view, so the platform mounts the same views, each
made safe, at the same paths before Wagtail's admin (``regional_platform.urls_tenants``); Wagtail's URL
names still reverse to these paths. Wagtail's site history is a part of the audit trail, so it is read by
those who read the audit trail (clauses 4.1, 4.2), not by everyone who edits a page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.admin.urls import reports as wagtail_reports
from wagtail.utils.urlpatterns import decorate_urlpatterns

from regulation.permissions import Capability, user_may
from tenants.spreadsheets import SpreadsheetSafeExportMixin

# Wagtail's reports that are a part of the school's audit trail.
AUDIT_TRAIL_REPORTS = ("site_history", "site_history_results")


class AuditTrailReaderRequired:
    """Only those who read the audit trail (the director and the site administrator) open this report."""

    def dispatch(self, request, *args, **kwargs):
        if not user_may(request.user, Capability.READ_AUDIT_TRAIL):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _safe_view(callback, name: str):
    view_class = callback.view_class
    mixins = (AuditTrailReaderRequired,) if name in AUDIT_TRAIL_REPORTS else ()
    safe_class = type(view_class.__name__, (*mixins, SpreadsheetSafeExportMixin, view_class), {})
    return safe_class.as_view(**callback.view_initkwargs)


def safe_report_urlpatterns() -> list:
    """Wagtail's report URLs (to mount under ``admin/reports/``), every view's export made safe, behind the
    same decorators as Wagtail's admin puts on them (admin access, its 404 page, never cached)."""
    patterns = [
        path(str(pattern.pattern), _safe_view(pattern.callback, pattern.name), name=f"safe_{pattern.name}")
        for pattern in wagtail_reports.urlpatterns
    ]
    for decorator in (require_admin_access, display_custom_404, never_cache):
        patterns = decorate_urlpatterns(patterns, decorator)
    return patterns
