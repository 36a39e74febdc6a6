"""The roles the regulation names, as groups in every school's schema.

Each role is a Django group created by this app's migrations, so every school
schema has them from the moment it exists. Group names are stored data (they
are the keys that code looks up); what a person sees is ``Role.label``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Clause 1.2 / 4.1: the head appoints the site administrator and answers for the site;
    # sees and edits everything, but publishing is the administrator's (4.2).
    DIRECTOR = "Director", _("Director (head of school)")
    # Clause 1.2 / 4.2 / 5.5: places and removes information; answers for what is published.
    SITE_ADMINISTRATOR = "Site administrator", _("Site administrator")
    # Clause 5.3: edit the sections assigned to them (the assignment gives the page rights).
    DEPUTY_DIRECTOR = "Deputy director", _("Deputy director")
    METHODOLOGICAL_LEADER = "Methodological team leader", _("Methodological team leader")
    # Clause 5.1: edits across the site, cannot publish.
    CHIEF_EDITOR = "Chief editor", _("Chief editor")
    # Clause 5.1: drafts in the sections assigned to them only, never publishes.
    EDITORIAL_MEMBER = "Editorial group member", _("Editorial group member (teacher, pupil or parent)")


# Clause 1.2: the head (or, stepping in, the regional office) appoints these; nobody invites or removes them.
APPOINTED_ROLES = (Role.DIRECTOR.value, Role.SITE_ADMINISTRATOR.value)


def user_has_role(user, *roles: Role) -> bool:
    """Whether ``user`` holds one of ``roles`` (a superuser holds them all); one query."""
    return user.is_active and (
        user.is_superuser or user.groups.filter(name__in=[role.value for role in roles]).exists()
    )


class ReaderGroup(models.TextChoices):
    """Clause 5.2: the school's readers, who sign in on its public site to read what is meant for them.

    Groups in every school's schema, like the roles, but with no right in the editor: a page or a
    collection of documents restricted to one of them (Wagtail's view restrictions) opens to its members.
    """

    STAFF = "Readers: teaching staff", _("Teaching staff")
    PARENTS = "Readers: parents", _("Parents")
    PUPILS = "Readers: pupils", _("Pupils")


READER_GROUP_NAMES = tuple(group.value for group in ReaderGroup)
