"""The audit trail in the school's editor: the director and the site administrator read, filter and export it
(CSV, XLSX; clauses 4.1, 4.2)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import IntegerField, Value
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.log_actions import registry as log_registry

from regulation.permissions import Capability, user_may
from tenants.spreadsheets import SpreadsheetSafeExportMixin
from workflows.audit import audit_reason


class AuditTrailView(SpreadsheetSafeExportMixin, LogEntriesView):
    """Wagtail's site history with every entry (not only those of pages the reader may edit) and the reason;
    its CSV and XLSX keep formula-like text as text."""

    page_title = _("Audit trail")
    results_template_name = "workflows/admin/audit_results.html"
    index_url_name = "workflows_audit"
    index_results_url_name = "workflows_audit_results"
    export_headings = {**LogEntriesView.export_headings, "reason": _("Why")}
    list_export = [*LogEntriesView.list_export, "reason"]

    def dispatch(self, request, *args, **kwargs):
        if not user_may(request.user, Capability.READ_AUDIT_TRAIL):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filtered_queryset(self):
        # As Wagtail's, but over all entries: the director and the administrator see the whole school's history.
        self.log_models = list(log_registry.get_log_entry_models())
        queryset = None
        for index, log_model in enumerate(self.log_models):
            sub_queryset = (
                log_model.objects.values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
                .order_by()
            )
            sub_queryset = self.filter_queryset(sub_queryset).order_by()
            queryset = sub_queryset if queryset is None else queryset.union(sub_queryset, all=True)
        return queryset.order_by("-timestamp")

    def decorate_paginated_queryset(self, queryset):
        entries = super().decorate_paginated_queryset(queryset)
        for entry in entries:
            entry.reason = audit_reason(entry)
            entry.reason_officer = (entry.data or {}).get("by", "")  # a regional officer has no account here
        return entries
