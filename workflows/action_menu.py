"""The page editor's action menu in the order a school works: whoever may publish sees Publish first.

Wagtail's main button is always "Save draft", with Publish under "More actions", and it offers "Submit to
Site administrator approval" to the site administrator, who would be submitting to themselves. Screening
still runs before any publication (the ``before_publish_page`` hook and ``ScreenedPublicationMixin``).
"""

from __future__ import annotations

from wagtail.models import Page, Task

PUBLISH = "action-publish"
SUBMIT = "action-submit"
APPROVE = "approve"


def _task_approver(task: Task, user) -> bool:
    """Whether ``user`` would be among the reviewers of ``task`` (Wagtail's group approval and ours)."""
    if user.is_superuser:
        return True
    groups = getattr(task, "groups", None)
    return groups is not None and groups.filter(pk__in=user.groups.values("pk")).exists()


def _submits_to_self(context) -> bool:
    page: Page | None = context.get("page")
    workflow_page = page if page is not None and page.pk else context.get("parent_page")
    workflow = workflow_page.get_workflow() if workflow_page is not None else None
    first_task = workflow.tasks.first() if workflow is not None else None
    return first_task is not None and _task_approver(first_task.specific, context["request"].user)


def action_menu_order(menu_items: list, request, context) -> None:
    """``construct_page_action_menu``: the first item becomes the editor's main button."""
    names = [item.name for item in menu_items]
    if SUBMIT in names and _submits_to_self(context):
        menu_items[:] = [item for item in menu_items if item.name != SUBMIT]
    # A reviewer's main action on a submitted page is approving it; otherwise publishing, when allowed.
    for main in (APPROVE, PUBLISH):
        chosen = next((item for item in menu_items if item.name == main), None)
        if chosen is not None:
            menu_items.remove(chosen)
            menu_items.insert(0, chosen)
            return
