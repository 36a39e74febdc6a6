"""The audit trail (clause 1.2, 4, 5): who did what, when and why, read from Wagtail's log entries.

Wagtail already logs submissions, approvals, rejections, publications and
unpublications; this platform adds overrides, archive, restore, deletion, roles,
responsibility and people (workflows.wagtail_hooks). The director and the site
administrator read and export it in the editor (clauses 4.1, 4.2); the regional
office exports a school's from the console.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import registry as log_registry

from tenants.spreadsheets import spreadsheet_row

# Where the "why" of an action sits in a log entry's data, by the action that wrote it.
_REASON_KEYS = ("reason", "comment")

CSV_HEADINGS = (
    _("Date/Time"),
    _("User"),
    _("Action"),
    _("Type"),
    _("Item"),
    _("ID"),
    _("Why"),
)


def audit_reason(log_entry) -> str:
    """The reason or comment recorded with an action, if any (Wagtail's rejections keep a "comment")."""
    data = log_entry.data or {}
    return next((str(data[key]) for key in _REASON_KEYS if data.get(key)), "")


class ReasonLogFormatter(LogFormatter):
    """Shows the recorded reason under the message in page history and the audit trail."""

    def format_comment(self, log_entry):
        return audit_reason(log_entry)


def register_reasoned_action(actions, action: str, label, message) -> None:
    formatter = type("ReasonedLogFormatter", (ReasonLogFormatter,), {"label": label, "message": message})
    actions.register_action(action)(formatter)


def audit_entries() -> Iterator:
    """Every log entry of the active school, newest first (each log model is one query, streamed)."""
    models = list(log_registry.get_log_entry_models())
    querysets = [model.objects.select_related("user", "content_type").order_by("-timestamp") for model in models]
    rows = [entry for queryset in querysets for entry in queryset.iterator(chunk_size=2000)]
    rows.sort(key=lambda entry: entry.timestamp, reverse=True)
    return iter(rows)


def audit_csv(entries) -> str:
    """The audit trail as CSV: one row per action, with who, when, what and why."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(spreadsheet_row(CSV_HEADINGS))
    for entry in entries:
        # Every cell through the one helper: names, titles and reasons are typed by people.
        writer.writerow(
            spreadsheet_row(
                [
                    entry.timestamp.isoformat(timespec="seconds"),
                    (entry.data or {}).get("by") or entry.user_display_name,  # the regional officer, if it was them
                    log_registry.get_action_label(entry.action),
                    entry.content_type.name if entry.content_type_id else "",
                    entry.label,
                    entry.object_id,
                    audit_reason(entry),
                ]
            )
        )
    return out.getvalue()
