"""Clause 5.5: a reviewer who sends material back ("Request changes") says what to change, and the editor
reads it when they open the page."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import WorkflowState

COMMENT_REQUIRED = gettext_lazy(
    "Write what must change: the page goes back to its editor with your comment (clause 5.5)."
)


def rejection_comment_required(comment) -> str:
    """The reviewer's comment, tidied; a ``ValidationError`` if there is none."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(str(COMMENT_REQUIRED), code="comment_required")
    return comment


class RejectionForm(forms.Form):
    """Wagtail's comment form of "Request changes", with the comment required."""

    comment = forms.CharField(
        label=gettext_lazy("What must change"),
        help_text=gettext_lazy("The editor reads this when they open the page."),
        widget=forms.Textarea({"rows": 3}),
        error_messages={"required": COMMENT_REQUIRED},
    )

    def clean_comment(self):
        return rejection_comment_required(self.cleaned_data.get("comment"))


def refuse_rejection_without_comment(request, page):
    """``before_edit_page``: the editor's own "Request changes" (sent with the page form) needs a comment too.

    The editor's dialog asks for it first; this stops a request that skipped the dialog before anything
    is saved, with the reason, instead of an error page."""
    if request.method != "POST" or request.POST.get("workflow-action-name") != "reject":
        return None
    try:
        extra = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
    except ValueError:
        extra = {}
    comment = extra.get("comment") if isinstance(extra, dict) else None
    if isinstance(comment, str) and comment.strip():
        return None
    messages.error(request, str(COMMENT_REQUIRED))
    return redirect("wagtailadmin_pages:edit", page.pk)


def rejection_for_editor(page) -> tuple[str, str] | None:
    """Who asked for changes to ``page`` and what they wrote, while the page waits for those changes."""
    state = (
        page.workflow_states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES)
        .select_related("current_task_state__finished_by")
        .first()
    )
    if state is None or state.current_task_state is None:
        return None
    task_state = state.current_task_state.specific
    reviewer = task_state.finished_by
    name = (reviewer.get_full_name() or reviewer.get_username()) if reviewer is not None else ""
    return name, task_state.get_comment()


def show_rejection_on_edit(request, page):
    """``before_edit_page``: on opening a page sent back for changes, show the reviewer's comment."""
    if request.method != "GET":
        return None
    rejection = rejection_for_editor(page)
    if rejection is not None and rejection[1]:
        name, comment = rejection
        messages.warning(
            request, _("Changes requested by %(name)s: “%(comment)s”") % {"name": name, "comment": comment}
        )
    return None
