"""Screening in the school's editor (clause 3.3): findings shown to the reviewer, publication refused, override."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin import messages
from wagtail.models import Page

from regulation.permissions import Capability, user_may
from workflows.models import RegionalScreeningRule
from workflows.publication import ArchivedPagePublication, publication_check
from workflows.screening import documents
from workflows.screening.selectors import revision_findings, revision_report
from workflows.screening.services import ScreeningBlocked, revision_screen, screening_override


def clause_label(code: str) -> str:
    if code == documents.CLAUSE_UNREAD:
        return _("3.3 Prohibited on the site: a document screening could not read")
    try:
        return RegionalScreeningRule.Clause(code).label
    except ValueError:
        return code


def unread_document_explanation(problem: str) -> str:
    """Why screening did not read a linked document whole, and what the person should do."""
    if problem == documents.PROBLEM_FORMAT:
        text = _("Screening does not read files of this format (old Word or Excel files, images, archives).")
    elif problem == documents.PROBLEM_NO_TEXT:
        text = _("The document has no text layer (a scanned paper?), so screening could not read it.")
    elif problem == documents.PROBLEM_TOO_LONG:
        text = _("Only the first %(count)s characters of the document were screened.") % {
            "count": number_format(documents.MAX_TEXT_CHARS, force_grouping=True)
        }
    else:
        text = _("The file is damaged or protected by a password, so screening could not read it.")
    return " ".join([text, _("Open the document and check it yourself before it is published.")])


def _findings_button(page: Page):
    return messages.button(reverse("workflows_screening_findings", args=[page.pk]), _("See the findings"))


def findings_message(request, page: Page, report) -> None:
    """Tell the person in the editor what screening found in the latest revision."""
    if not report.findings:
        return
    clauses = ", ".join(report.clauses)
    count = len(report.findings)
    if report.blocks_publication:
        text = ngettext(
            "Screening found %(count)d possible breach of the regulation (clauses %(clauses)s). "
            "This version cannot be published until the text is fixed or the administrator overrides with a reason.",
            "Screening found %(count)d possible breaches of the regulation (clauses %(clauses)s). "
            "This version cannot be published until the text is fixed or the administrator overrides with a reason.",
            count,
        )
    else:
        text = ngettext(
            "Screening found %(count)d possible breach (clauses %(clauses)s); "
            "the administrator allowed publication with a written reason.",
            "Screening found %(count)d possible breaches (clauses %(clauses)s); "
            "the administrator allowed publication with a written reason.",
            count,
        )
    level = messages.error if report.blocks_publication else messages.info
    level(request, text % {"count": count, "clauses": clauses}, buttons=[_findings_button(page)])


def refuse_blocked_publication(request, page: Page):
    """``before_publish_page``: publishing from the editor re-screens the revision and stops if it is blocked."""
    try:
        publication_check(page=page, revision=page.get_latest_revision())
    except ScreeningBlocked as blocked:
        findings_message(request, page, blocked.report)
    except ArchivedPagePublication as refused:
        messages.error(request, str(refused))
    else:
        return None
    return redirect("wagtailadmin_pages:edit", page.pk)


def show_findings_on_edit(request, page: Page):
    """``before_edit_page``: on opening the editor, show what screening found in the latest revision."""
    if request.method != "GET":
        return None
    revision = page.get_latest_revision()
    if revision is not None:
        findings_message(request, page, revision_report(revision))
    return None


class OverrideForm(forms.Form):
    justification = forms.CharField(
        label=gettext_lazy("Why may this text be published as it is?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Recorded in the audit trail with your name."),
    )


def screening_findings_view(request, page_id: int):
    """The findings of the page's latest revision: clause, field, words in context; the override form."""
    page = get_object_or_404(Page, pk=page_id).specific
    may_override = user_may(request.user, Capability.OVERRIDE_SCREENING)
    if not (may_override or page.permissions_for_user(request.user).can_edit()):
        raise PermissionDenied
    revision = page.get_latest_revision()
    report = revision_report(revision) if revision else None
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and report is not None and form.is_valid():
        if not may_override:
            raise PermissionDenied
        report = revision_screen(revision=revision)  # a decision is kept with a saved report
        try:
            screening_override(report=report, user=request.user, justification=form.cleaned_data["justification"])
        except ValidationError as error:
            form.add_error("justification", error.message_dict.get("justification", error.messages))
        else:
            messages.success(request, _("Your decision is recorded; this version can now be published."))
            return redirect("wagtailadmin_pages:edit", page.pk)
    # The revision never changes, so screening it again gives the same findings with the field
    # labels in the reader's language (the report keeps them in the language of whoever screened it).
    shown = revision_findings(revision) if report is not None and report.findings else []
    findings = [
        {
            **finding,
            "clause_label": clause_label(finding["clause"]),
            "explanation": unread_document_explanation(finding["unread"]) if finding.get("unread") else "",
        }
        for finding in shown
    ]
    return TemplateResponse(
        request,
        "workflows/admin/screening_findings.html",
        {
            "page": page,
            "page_title": _("Screening: %(title)s") % {"title": page.get_admin_display_title()},
            "report": report,
            "findings": findings,
            "form": form,
            "may_override": may_override,
        },
    )
