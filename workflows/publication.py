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
