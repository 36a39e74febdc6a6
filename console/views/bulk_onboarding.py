"""Bulk onboarding in the console: upload a CSV, see every row's problems, run it with a progress bar."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from console.views.access import regional_administrator_required, regional_staff_required
from provisioning.bulk_onboarding import (
    MAX_FILE_BYTES,
    WILL_CREATE,
    outcome_counts,
    school_import_start,
    school_import_upload,
)
from provisioning.models import SchoolImport
from provisioning.school_import import COLUMNS, REQUIRED_COLUMNS, ImportFileError, RowOutcome


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file of schools"),
        help_text=gettext_lazy("UTF-8, comma or semicolon separated, one school per line."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; split it into several files."))
        return upload


@regional_administrator_required
@require_http_methods(["GET", "POST"])
def school_import_upload_view(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            school_import = school_import_upload(file_name=upload.name, content=upload.read(), by=request.user)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("console:school_import", school_import.pk)
    context = {
        "form": form,
        "required_columns": REQUIRED_COLUMNS,
        "optional_columns": [name for name in COLUMNS if name not in REQUIRED_COLUMNS],
        "recent": SchoolImport.objects.defer("content", "preview", "results")[:10],
    }
    return render(request, "console/school_import_upload.html", context)


@regional_staff_required
def school_import_view(request, import_id: int):
    """The preview before the run, the progress bar during it, and what became of every row after."""
    school_import = get_object_or_404(SchoolImport.objects.defer("content"), pk=import_id)
    rows = school_import.results if school_import.status == SchoolImport.Status.DONE else school_import.preview
    counts = outcome_counts(rows)
    context = {
        "school_import": school_import,
        "rows": rows,
        "to_create": counts[WILL_CREATE],
        "created": counts[RowOutcome.CREATED],
        "existing": counts[RowOutcome.ALREADY_THERE],
        "refused": counts[RowOutcome.REFUSED],
    }
    return render(request, "console/school_import.html", context)


@regional_administrator_required
@require_POST
def school_import_start_view(request, import_id: int):
    school_import = get_object_or_404(SchoolImport.objects.defer("content"), pk=import_id)
    if not school_import_start(school_import=school_import, by=request.user):
        messages.info(request, _("This file is already being imported or was imported; upload it again to re-check."))
    return redirect("console:school_import", school_import.pk)


@regional_staff_required
def school_import_progress_view(request, import_id: int):
    """What the progress bar polls: a few numbers, one query."""
    school_import = get_object_or_404(
        SchoolImport.objects.only("status", "processed", "total", "started_at"), pk=import_id
    )
    return JsonResponse(
        {
            "status": school_import.status,
            "status_label": school_import.get_status_display(),
            "processed": school_import.processed,
            "total": school_import.total,
            "percent": school_import.percent,
            "finished": school_import.is_finished,
            # Checked or finished: the page reloads to show the preview or the result.
            "in_progress": school_import.is_in_progress,
            "stalled": school_import.is_waiting_too_long,
        }
    )
