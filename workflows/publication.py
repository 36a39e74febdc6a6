"""What must hold before a person publishes a page: neither it nor an image it shows is archived (clause 1.2),
and screening allows it (3.3)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex

from workflows.archive import archived
from workflows.models import Archival
from workflows.screening.services import publication_screen


class ArchivedPagePublication(PermissionDenied):
    """An archived page comes back through the archive's restore, which records who and why."""


def archived_images_shown(revision) -> list[str]:
    """Titles of the archived images ``revision`` would show (one query, only when it shows any image)."""
    image_type = ContentType.objects.get_for_model(get_image_model())
    # Wagtail's reference index reads every image a page's fields and blocks choose; it has no public way to
    # read an unsaved revision, so its extractor is asked directly.
    image_ids = {
        int(object_id)
        for content_type_id, object_id, *_path in ReferenceIndex._extract_references_from_object(revision.as_object())
        if content_type_id == image_type.pk and str(object_id).isdigit()
    }
    if not image_ids:
        return []
    archived_rows = Archival.objects.filter(content_type=image_type, object_id__in=image_ids).order_by("title")
    return list(archived_rows.values_list("title", flat=True))


def publication_check(*, page, revision) -> None:
    """Raise ArchivedPagePublication or ScreeningBlocked if ``revision`` of ``page`` must not go out."""
    if archived(page) is not None:
        raise ArchivedPagePublication(_("This page is in the archive; restore it from the archive to publish it."))
    if revision is not None:
        images = archived_images_shown(revision)
        if images:
            raise ArchivedPagePublication(
                _("This page shows an image that is in the archive (%(titles)s): choose another image or restore it.")
                % {"titles": ", ".join(f"“{title}”" for title in images)}
            )
    publication_screen(revision=revision)


def sections_without_responsible(page_ids: set[int]) -> dict[int, list[str]]:
    """Completeness item of clause 5.4: a section nobody answers for (a rule of school_sections.hooks)."""
    from workflows.models import SectionResponsibility

    with_people = set(
        SectionResponsibility.objects.filter(section_id__in=page_ids).values_list("section_id", flat=True).distinct()
    )
    return {page_id: [_("nobody is responsible for this section")] for page_id in page_ids - with_people}
