"""Screening runs when material is submitted for review (clause 3.3, 5.5)."""

from wagtail.models import WorkflowState


def screen_on_submission(sender, instance: WorkflowState, user=None, **kwargs):
    from workflows.screening.services import revision_screen

    revision = instance.content_object.get_latest_revision()
    if revision is not None:
        revision_screen(revision=revision)
