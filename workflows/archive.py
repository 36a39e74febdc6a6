"""Writes of the archive (clause 1.2): outdated material is taken down with a reason, never lost.

The administrator archives a page (it is unpublished), a document (it is no
longer served) or an image (it is offered nowhere, its file moved where the site
never serves it, ``ARCHIVED_IMAGES``) and can restore it; only the regional
office deletes for good, after ``ARCHIVE_RETENTION``, with a
reason. Every step is in the audit trail.
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex

from regulation.permissions import Capability, user_may
from workflows.models import Archival

# Where an archived image's original is kept, per image: school_media never serves this folder (clause 1.2).
ARCHIVED_IMAGES = "archived_images"


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


def image_shown_on(image) -> list[str]:
    """What the public site shows ``image`` on: live pages and the school's settings, by title."""
    shown = []
    for source, _references in ReferenceIndex.get_grouped_references_to(image):
        if isinstance(source, Page):
            if source.live:
                shown.append(source.get_admin_display_title())
        else:
            shown.append(str(source))
    return shown


@transaction.atomic
def image_archive(*, image, user, reason: str) -> Archival:
    """Take ``image`` out of use (no chooser offers it, its thumbnails are dropped) and keep it, file and all.

    An image a published page still shows is refused: the page would lose it silently; choose another
    image there first."""
    if not user_may(user, Capability.ARCHIVE):
        raise PermissionDenied(_("Only the site administrator can archive."))
    reason = _reason_required(reason)
    if archived(image) is not None:
        raise ValidationError(_("This image is already in the archive."))
    shown_on = image_shown_on(image)
    if shown_on:
        raise ValidationError(
            _("The site still shows this image on: %(places)s. Choose another image there first, then archive it.")
            % {"places": ", ".join(f"“{title}”" for title in shown_on)}
        )
    archival = Archival.objects.create(
        content_type_id=_content_type_id(image),
        object_id=image.pk,
        title=image.title[:255],
        reason=reason,
        archived_by=user,
        archived_at=timezone.now(),
    )
    # Thumbnails are made again from the kept original on restore; dropping them takes the archived image
    # off the public URLs it had.
    for rendition in image.renditions.all():
        rendition.delete()
    _image_original_put_away(image)
    log(instance=image, action="workflows.archive", user=user, data={"reason": reason})
    return archival


def _file_move(storage, source: str, target: str) -> str:
    """Copy ``source`` to ``target`` (or the next free name) and drop ``source`` once the transaction commits.

    Until the commit the file exists at both places, so a rollback loses nothing."""
    with storage.open(source, "rb") as content:
        stored = storage.save(target, content)
    transaction.on_commit(lambda: storage.delete(source))
    return stored


def _image_file_rename(image, name: str) -> None:
    type(image).objects.filter(pk=image.pk).update(file=name)
    image.file.name = name


def _image_original_put_away(image) -> None:
    """Move the original under ``ARCHIVED_IMAGES``, which the site never serves: its public address (derivable
    from any old thumbnail's) answers 404.

    A secret mark joins its name, so that a thumbnail the editor makes of it while archived (Wagtail names
    thumbnails after the original) gets an address nobody can derive from the old ones."""
    storage = image.file.storage
    if not image.file.name or not storage.exists(image.file.name):
        return  # nothing is served; the site health check reports the missing file
    original = PurePosixPath(image.file.name)
    kept = f"{ARCHIVED_IMAGES}/{image.pk}/{original.stem}.{secrets.token_hex(8)}{original.suffix}"
    _image_file_rename(image, _file_move(storage, image.file.name, kept))


def _image_original_bring_back(image) -> None:
    """Put the kept original back at its old address (or a free one next to it, if another upload took it)."""
    storage = image.file.storage
    if not (image.file.name or "").startswith(f"{ARCHIVED_IMAGES}/") or not storage.exists(image.file.name):
        return  # archived before originals were put away, or the file is lost: nothing to move
    kept = PurePosixPath(image.file.name)
    original_name = f"{kept.stem.rsplit('.', 1)[0]}{kept.suffix}"  # without the secret mark
    _image_file_rename(image, _file_move(storage, image.file.name, image.get_upload_to(original_name)))
    for rendition in image.renditions.all():  # those made while archived carry the secret mark in their address
        rendition.delete()


def archival_object(archival: Archival):
    model = archival.content_type.model_class()
    return model.objects.filter(pk=archival.object_id).first()


@transaction.atomic
def archival_restore(*, archival: Archival, user, reason: str = "") -> bool:
    """Bring an archived item back as it was: a page that was live is published again.

    Returns whether everything came back; a page whose live version screening now
    blocks (clause 3.3), or that shows an archived image, comes back as a draft for the
    administrator to decide.
    """
    from workflows.screening.services import ScreeningBlocked

    if not user_may(user, Capability.ARCHIVE):
        raise PermissionDenied(_("Only the site administrator can restore."))
    instance = archival_object(archival)
    live_revision = archival.live_revision
    archival.delete()
    if instance is not None and isinstance(instance, get_image_model()):
        _image_original_bring_back(instance)
    log(instance=instance, action="workflows.restore", user=user, data={"reason": " ".join(reason.split())})
    if isinstance(instance, Page) and live_revision is not None:
        from workflows.publication import ArchivedPagePublication

        try:
            with transaction.atomic():
                live_revision.publish(user=user)
        except (ScreeningBlocked, ArchivedPagePublication):
            return False
    return True


def archival_deletable(archival: Archival, *, now=None) -> bool:
    return (now or timezone.now()) >= archival.deletable_from


@transaction.atomic
def archival_delete(*, archival: Archival, deleted_by: str, reason: str) -> dict:
    """Delete an archived item for good: the regional office only (``deleted_by`` names the officer), and only
    once it has been kept ``ARCHIVE_RETENTION``.

    The school's audit trail keeps who, when, why and what (the title, type, when and why it was archived);
    its log entries outlive the item. Returns that record.
    """
    reason = _reason_required(reason)
    archival = Archival.objects.select_for_update().select_related("content_type").get(pk=archival.pk)
    if not archival_deletable(archival):
        raise ValidationError(
            _(
                "“%(title)s” is kept until %(date)s: an archived item can be deleted for good only after the "
                "retention period, in case the school must show it."
            )
            % {
                "title": archival.title,
                "date": formats.date_format(timezone.localtime(archival.deletable_from), "DATE_FORMAT"),
            }
        )
    record = {
        "reason": reason,
        "by": deleted_by,
        "title": archival.title,
        "type": archival.content_type.model,
        "archived_at": archival.archived_at.isoformat(timespec="seconds"),
        "archived_reason": archival.reason,
    }
    instance = archival_object(archival)
    if instance is not None:
        log(instance=instance, action="workflows.delete", data=record)
        if isinstance(instance, Page):
            instance.delete()
        else:
            instance.file.delete(save=False)
            instance.delete()
    archival.delete()
    return record
