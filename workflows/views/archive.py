"""The archive in the school's editor (clause 1.2): take down with a reason, find, restore."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.documents import get_document_model
from wagtail.models import Page

from regulation.permissions import Capability, user_may
from workflows.archive import archival_restore, document_archive, page_archive
from workflows.models import Archival
from workflows.selectors import archive_search, documents_not_archived


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class DocumentArchiveForm(ReasonForm):
    document = forms.ModelChoiceField(queryset=get_document_model().objects.none(), label=gettext_lazy("Document"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents_not_archived()


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def archive_index_view(request):
    if not user_may(request.user, Capability.READ_ARCHIVE):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    document_form = DocumentArchiveForm(request.POST or None, prefix="document")
    if request.method == "POST":
        if not user_may(request.user, Capability.ARCHIVE):
            raise PermissionDenied
        if document_form.is_valid():
            try:
                document_archive(
                    document=document_form.cleaned_data["document"],
                    user=request.user,
                    reason=document_form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _form_errors(document_form, error)
            else:
                messages.success(request, _("The document is archived; it is no longer served."))
                return redirect("workflows_archive")
    return TemplateResponse(
        request,
        "workflows/admin/archive.html",
        {
            "page_title": _("Archive"),
            "items": archive_search(query),
            "query": query,
            "document_form": document_form,
            "may_archive": user_may(request.user, Capability.ARCHIVE),
        },
    )


def page_archive_view(request, page_id: int):
    if not user_may(request.user, Capability.ARCHIVE):
        raise PermissionDenied
    page = get_object_or_404(Page, pk=page_id).specific
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            page_archive(page=page, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is unpublished and archived.") % {"title": page.title})
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return TemplateResponse(
        request,
        "workflows/admin/archive_page.html",
        {"page": page, "form": form, "page_title": _("Archive: %(title)s") % {"title": page.title}},
    )


@require_POST
def archival_restore_view(request, archival_id: int):
    if not user_may(request.user, Capability.ARCHIVE):
        raise PermissionDenied
    archival = get_object_or_404(Archival, pk=archival_id)
    title = archival.title
    if archival_restore(archival=archival, user=request.user, reason=request.POST.get("reason", "")):
        messages.success(request, _("“%(title)s” is restored as it was.") % {"title": title})
    else:
        messages.warning(
            request,
            _("“%(title)s” is restored as a draft: screening blocks its last published version.") % {"title": title},
        )
    return redirect("workflows_archive")
