"""Who may do what on a school's site, clause by clause: the one place the platform asks.

The page rights Wagtail checks (add, change, publish a page) are given to the groups by
workflows' migrations; a test holds them to ``PUBLISH`` here. A section's responsible people
(clause 5.4) confirm its freshness too; that is a fact about a section, checked where sections are.
"""

from __future__ import annotations

import enum

from regulation.roles import Role, user_has_role


class Capability(enum.Enum):
    # Clause 4.2 / 5.5: the site administrator places information and answers for what goes out.
    PUBLISH = "publish"
    # Clause 1.2: the head appoints the site administrator (the office steps in when the school cannot).
    APPOINT_ADMINISTRATOR = "appoint administrator"
    # Clause 1.2: the site administrator opens and closes the school's people's accounts.
    MANAGE_PEOPLE = "manage people"
    # Clause 1.2 / 5.5: the site administrator decides the site's structure (optional sections, languages).
    MANAGE_SITE = "manage site"
    # Clause 1.2: the site administrator removes outdated information (into the archive, never for good).
    ARCHIVE = "archive"
    # Clause 1.2 / 4.1: the head and the administrator see what was removed, and restore it.
    READ_ARCHIVE = "read archive"
    # Clauses 4.1 and 4.2: the head and the site administrator answer for the site, and read everything that
    # happened on it (who published, approved, rejected, archived, restored what, and when).
    READ_AUDIT_TRAIL = "read audit trail"
    # Clause 3.3 / 5.5: the site administrator decides, with a reason, whether flagged content goes out.
    OVERRIDE_SCREENING = "override screening"
    # Clause 5.7: the head and the administrator (and each section's responsible people) confirm a
    # section is still accurate or tighten its update period.
    CONFIRM_FRESHNESS = "confirm freshness"


CAPABILITY_ROLES: dict[Capability, tuple[Role, ...]] = {
    Capability.PUBLISH: (Role.SITE_ADMINISTRATOR,),
    Capability.APPOINT_ADMINISTRATOR: (Role.DIRECTOR,),
    Capability.MANAGE_PEOPLE: (Role.SITE_ADMINISTRATOR,),
    Capability.MANAGE_SITE: (Role.SITE_ADMINISTRATOR,),
    Capability.ARCHIVE: (Role.SITE_ADMINISTRATOR,),
    Capability.READ_ARCHIVE: (Role.SITE_ADMINISTRATOR, Role.DIRECTOR),
    Capability.READ_AUDIT_TRAIL: (Role.SITE_ADMINISTRATOR, Role.DIRECTOR),
    Capability.OVERRIDE_SCREENING: (Role.SITE_ADMINISTRATOR,),
    Capability.CONFIRM_FRESHNESS: (Role.SITE_ADMINISTRATOR, Role.DIRECTOR),
}


def user_may(user, capability: Capability) -> bool:
    """Whether ``user`` (active; a superuser may do everything) holds a role that gives ``capability``."""
    return user_has_role(user, *CAPABILITY_ROLES[capability])


def may_reset_access(user, person) -> bool:
    """Whether ``user`` may reset ``person``'s access (refuse their password, forget their authenticator).

    Clause 1.2: the head appoints the site administrator, so the administrator must not be able to lock
    the head out of the site that answers to them; the head's access is reset by the head themself or by
    the regional office, which steps in (accounts.people.appointed_role_step_in). Reads the person's
    groups through ``groups.all()`` so that a prefetched list costs no query.
    """
    if any(group.name == Role.DIRECTOR.value for group in person.groups.all()):
        return user.pk == person.pk
    return user_may(user, Capability.MANAGE_PEOPLE)
