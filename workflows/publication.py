"""What must hold before a person publishes a page: it is not archived (clause 1.2) and screening allows it (3.3)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from workflows.archive import archived
from workflows.screening.services import publication_screen


class ArchivedPagePublication(PermissionDenied):
    """An archived page comes back through the archive's restore, which records who and why."""


def publication_check(*, page, revision) -> None:
    """Raise ArchivedPagePublication or ScreeningBlocked if ``revision`` of ``page`` must not go out."""
    if archived(page) is not None:
        raise ArchivedPagePublication(_("This page is in the archive; restore it from the archive to publish it."))
    publication_screen(revision=revision)


def sections_without_responsible(page_ids: set[int]) -> dict[int, list[str]]:
    """Completeness item of clause 5.4: a section nobody answers for (a rule of school_sections.hooks)."""
    from workflows.models import SectionResponsibility

    with_people = set(
        SectionResponsibility.objects.filter(section_id__in=page_ids).values_list("section_id", flat=True).distinct()
    )
    return {page_id: [_("nobody is responsible for this section")] for page_id in page_ids - with_people}
