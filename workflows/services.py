"""Writes on responsibility (clause 5.4): assign people to sections, and give them the section's rights.

Each section has a group of its own, "Section <code>", holding Wagtail's add and
change rights on that section's pages; the people responsible for the section are
its members. So deputies, team leaders and editorial group members edit exactly
their sections, drafting there and submitting, never publishing (clauses 5.1, 5.3).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import GroupPagePermission, Page

from regulation.roles import Role
from workflows.models import SectionResponsibility
from workflows.selectors import reader_only

SECTION_PAGE_PERMISSIONS = ("add_page", "change_page")


def section_group(section: Page) -> Group:
    """The group whose members edit ``section`` (created with its rights on first use)."""
    code = getattr(section.specific, "section_code", "") or str(section.pk)
    group, created = Group.objects.get_or_create(name=f"Section {code}")
    if created:
        for codename in SECTION_PAGE_PERMISSIONS:
            GroupPagePermission.objects.create(
                group=group,
                page=section,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
    return group


@transaction.atomic
def responsibility_set(*, section: Page, people, by=None) -> None:
    """Make ``people`` exactly the ones responsible for ``section``; logged in the audit trail."""
    people = set(people)
    current = {
        row.person: row for row in SectionResponsibility.objects.filter(section=section).select_related("person")
    }
    readers = get_user_model().objects.filter(pk__in=[person.pk for person in people - current.keys()])
    readers = readers.filter(reader_only()).order_by("first_name", "email")
    if readers:
        raise ValidationError(
            {
                "people": _(
                    "%(people)s only read the site (a reader's account): a reader cannot answer for a section. "
                    "Editors are invited on the People screen."
                )
                % {"people": ", ".join(person.get_full_name() or person.email for person in readers)}
            }
        )
    group = section_group(section)
    for person in people - current.keys():
        SectionResponsibility.objects.create(section=section, person=person, assigned_by=by)
        person.groups.add(group)
        log(
            instance=section, action="workflows.responsibility_assign", user=by, data={"person": person.get_username()}
        )
    for person in current.keys() - people:
        current[person].delete()
        person.groups.remove(group)
        log(
            instance=section,
            action="workflows.responsibility_unassign",
            user=by,
            data={"person": person.get_username()},
        )


REPLACE_LOG_ACTIONS = {
    Role.SITE_ADMINISTRATOR: "workflows.administrator_replace",
    Role.DIRECTOR: "workflows.director_replace",
}


@transaction.atomic
def appointed_role_replace(*, role: Role, new_holder, by, reason: str = "", officer: str = "") -> list:
    """Clause 1.2: the head appoints the site administrator, the regional office the head; the previous
    holder loses the role at once.

    ``officer`` names the regional officer when the office steps in (``by`` is then None: the
    officer has no account in the school). Returns the people who held the role before.
    Logged in the audit trail with who and why.
    """
    if get_user_model().objects.filter(pk=new_holder.pk).filter(reader_only()).exists():
        raise ValidationError(
            _(
                "%(name)s has a reader's account only (for reading restricted pages) and cannot be appointed: "
                "appoint someone who works in the editor."
            )
            % {"name": new_holder.get_full_name() or new_holder.email}
        )
    group = Group.objects.get(name=role.value)
    previous = list(group.user_set.exclude(pk=new_holder.pk))
    group.user_set.remove(*previous)
    group.user_set.add(new_holder)
    log(
        instance=new_holder,
        action=REPLACE_LOG_ACTIONS[role],
        user=by,
        data={
            "previous": [person.get_username() for person in previous],
            "reason": reason,
            **({"by": officer} if officer else {}),
        },
    )
    return previous


def site_administrator_replace(*, new_administrator, by, reason: str = "", officer: str = "") -> list:
    return appointed_role_replace(
        role=Role.SITE_ADMINISTRATOR, new_holder=new_administrator, by=by, reason=reason, officer=officer
    )


def section_reviewed(*, section: Page, by) -> None:
    """Clause 5.7: "reviewed, still accurate" restarts the section's clock without an edit; logged."""
    from django.utils import timezone

    from workflows.models import SectionFreshness

    SectionFreshness.objects.update_or_create(
        section=section, defaults={"reviewed_at": timezone.now(), "reviewed_by": by}
    )
    log(instance=section, action="workflows.section_reviewed", user=by)


def section_period_set(*, section: Page, days: int | None, longest: int, by) -> None:
    """The school tightens a section's update period (never beyond ``longest``, the catalogue's or region's)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from workflows.models import SectionFreshness

    if days is not None and not 1 <= days <= longest:
        raise ValidationError(
            {
                "period_days": _("Choose between 1 and %(longest)d days: a school may only shorten the period.")
                % {"longest": longest}
            }
        )
    SectionFreshness.objects.update_or_create(section=section, defaults={"period_days": days})
    log(instance=section, action="workflows.section_period", user=by, data={"days": days})
