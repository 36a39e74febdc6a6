"""Wagtail's own reports (site history, locked pages, workflows, aging pages, page types) with exports whose
cells go through ``tenants.spreadsheets``: Wagtail writes "=…" into its CSV as it is (formula injection).

Wagtail offers no hook to change a built-in report's view, so the platform mounts the same views, each
made safe, at the same paths before Wagtail's admin (``regional_platform.urls_tenants``); Wagtail's URL
names still reverse to these paths.
"""

from __future__ import annotations

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.admin.urls import reports as wagtail_reports
from wagtail.utils.urlpatterns import decorate_urlpatterns

from tenants.spreadsheets import SpreadsheetSafeExportMixin


def _safe_view(callback):
    view_class = callback.view_class
    safe_class = type(view_class.__name__, (SpreadsheetSafeExportMixin, view_class), {})
    return safe_class.as_view(**callback.view_initkwargs)


def safe_report_urlpatterns() -> list:
    """Wagtail's report URLs (to mount under ``admin/reports/``), every view's export made safe, behind the
    same decorators as Wagtail's admin puts on them (admin access, its 404 page, never cached)."""
    patterns = [
        path(str(pattern.pattern), _safe_view(pattern.callback), name=f"safe_{pattern.name}")
        for pattern in wagtail_reports.urlpatterns
    ]
    for decorator in (require_admin_access, display_custom_404, never_cache):
        patterns = decorate_urlpatterns(patterns, decorator)
    return patterns
