"""Writes of the archive (clause 1.2): outdated material is taken down with a reason, never lost.

The administrator archives a page (it is unpublished) or a document (it is no
longer served) and can restore it; only the regional office deletes for good,
with a reason. Every step is in the audit trail.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import Page

from regulation.permissions import Capability, user_may
from workflows.models import Archival


def _reason_required(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Write why it is taken down; the reason is kept with it.")})
    return reason


def _content_type_id(instance) -> int:
    # A page is archived under its own type (as Wagtail stores it), a document under the document model.
    if isinstance(instance, Page):
        return instance.content_type_id
    return ContentType.objects.get_for_model(instance).pk


def archived(instance) -> Archival | None:
    """The archive entry of ``instance`` if it is archived."""
    return Archival.objects.filter(content_type_id=_content_type_id(instance), object_id=instance.pk).first()


@transaction.atomic
def page_archive(*, page: Page, user, reason: str) -> Archival:
    """Unpublish ``page`` and keep it in the archive with ``reason``."""
    if not user_may(user, Capability.ARCHIVE):
        raise PermissionDenied(_("Only the site administrator can archive."))
    reason = _reason_required(reason)
    page = page.specific
    section = getattr(page, "section", None)
    if page.depth <= 2 or (section is not None and section.mandatory):
        raise ValidationError(
            _("A mandatory section stays on the site; archive the outdated pages inside it instead.")
        )
    if page.get_children().exists():
        raise ValidationError(_("This page has pages under it; archive those first."))
    if archived(page) is not None:
        raise ValidationError(_("This page is already in the archive."))
    archival = Archival.objects.create(
        content_type_id=page.content_type_id,
        object_id=page.pk,
        title=page.get_admin_display_title()[:255],
        reason=reason,
        archived_by=user,
        archived_at=timezone.now(),
        live_revision=page.live_revision if page.live else None,
    )
    if page.live:
        UnpublishPageAction(page, user=user).execute(skip_permission_checks=True)
    log(instance=page, action="workflows.archive", user=user, data={"reason": reason})
    return archival


@transaction.atomic
def document_archive(*, document, user, reason: str) -> Archival:
    """Stop serving ``document`` and keep it in the archive with ``reason``."""
    if not user_may(user, Capability.ARCHIVE):
        raise PermissionDenied(_("Only the site administrator can archive."))
    reason = _reason_required(reason)
    if archived(document) is not None:
        raise ValidationError(_("This document is already in the archive."))
    archival = Archival.objects.create(
        content_type_id=_content_type_id(document),
        object_id=document.pk,
        title=document.title[:255],
        reason=reason,
        archived_by=user,
        archived_at=timezone.now(),
    )
    log(instance=document, action="workflows.archive", user=user, data={"reason": reason})
    return archival


def archival_object(archival: Archival):
    model = archival.content_type.model_class()
    return model.objects.filter(pk=archival.object_id).first()


@transaction.atomic
def archival_restore(*, archival: Archival, user, reason: str = "") -> bool:
    """Bring an archived item back as it was: a page that was live is published again.

    Returns whether everything came back; a page whose live version screening now
    blocks (clause 3.3) comes back as a draft for the administrator to decide.
    """
    from workflows.screening.services import ScreeningBlocked

    if not user_may(user, Capability.ARCHIVE):
        raise PermissionDenied(_("Only the site administrator can restore."))
    instance = archival_object(archival)
    live_revision = archival.live_revision
    archival.delete()
    log(instance=instance, action="workflows.restore", user=user, data={"reason": " ".join(reason.split())})
    if isinstance(instance, Page) and live_revision is not None:
        try:
            with transaction.atomic():
                live_revision.publish(user=user)
        except ScreeningBlocked:
            return False
    return True


@transaction.atomic
def archival_delete(*, archival: Archival, deleted_by: str, reason: str) -> None:
    """Delete an archived item for good: the regional office only (``deleted_by`` names the officer)."""
    reason = _reason_required(reason)
    instance = archival_object(archival)
    if instance is not None:
        log(instance=instance, action="workflows.delete", data={"reason": reason, "by": deleted_by})
        if isinstance(instance, Page):
            instance.delete()
        else:
            instance.file.delete(save=False)
            instance.delete()
    archival.delete()
