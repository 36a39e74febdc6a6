"""Writes on a school's readers (clause 5.2): staff, parents and pupils who sign in to read restricted material.

A reader is an account in the school's own schema, in one of the reader groups (``regulation.roles.
ReaderGroup``) and nothing else: no role, no right in the editor. Pages are restricted to readers with
Wagtail's own ``PageViewRestriction`` (type "groups"); documents by the collection they are filed in, one
collection per reader group with a ``CollectionViewRestriction`` on it.

Readers come in two ways, both ending in the invitation link of ``accounts.invitations`` (a one-time link
to set a password, e-mailed on the school's own host): the site administrator invites them, or they ask
on the school's site and the administrator approves. A request (``ReaderRegistration``, public schema)
grants nothing until then.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction

from accounts.invitations import Invitation, invitation_issue, invitee_clean
from accounts.models import ReaderRegistration
from accounts.sign_in import WINDOW_SECONDS, counter_add
from regulation.permissions import Capability, user_may
from regulation.roles import READER_GROUP_NAMES, ReaderGroup
from tenants.current import current_school

# The e-mail a reader gets: it sends them to the school's site, not to the editor.
READER_INVITATION_TEMPLATE = "accounts/email/reader_invitation.txt"
# Requests from one client per window (accounts.sign_in.WINDOW_SECONDS): a family registers two or three
# people; more from one address in 15 minutes is a script filling the administrator's queue.
REGISTRATION_LIMIT = 5
NOTE_MAX_LENGTH = 300


def reader_groups() -> list[Group]:
    """The school's reader groups in ``ReaderGroup`` order (one query once they exist).

    Every school's schema has them from its migrations; a group found missing (a schema older than them,
    or a name changed by hand) is created again rather than leaving its readers locked out.
    """
    found = {group.name: group for group in Group.objects.filter(name__in=READER_GROUP_NAMES)}
    for name in READER_GROUP_NAMES:
        if name not in found:
            found[name], _created = Group.objects.get_or_create(name=name)
    return [found[name] for name in READER_GROUP_NAMES]


def reader_group(group: ReaderGroup) -> Group:
    return next(found for found in reader_groups() if found.name == group.value)


@transaction.atomic
def reader_collections() -> dict[str, Collection]:
    """Each reader group's collection of documents (keyed by group name), restricted to that group alone.

    A collection whose restriction names exactly one reader group is that group's, whatever it was renamed
    to; one is created, in the active language, for a group that has none. A transaction-wide advisory lock
    keeps two administrators opening the screen at once from creating two.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':reader collections'))")
    groups = reader_groups()
    found: dict[str, Collection] = {}
    restrictions = (
        CollectionViewRestriction.objects.filter(restriction_type=BaseViewRestriction.GROUPS)
        .select_related("collection")
        .prefetch_related("groups")
        .order_by("collection__path")
    )
    for restriction in restrictions:
        names = [group.name for group in restriction.groups.all()]
        if len(names) == 1 and names[0] in READER_GROUP_NAMES:
            found.setdefault(names[0], restriction.collection)
    root = Collection.get_first_root_node()
    for group in groups:
        if group.name in found:
            continue
        label = ReaderGroup(group.name).label
        collection = root.add_child(instance=Collection(name=_("Documents for readers: %(group)s") % {"group": label}))
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=BaseViewRestriction.GROUPS
        )
        restriction.groups.set([group])
        found[group.name] = collection
    return found


def _require_manager(user) -> None:
    if not user_may(user, Capability.MANAGE_PEOPLE):
        raise PermissionDenied(_("Only the site administrator manages the school's readers."))


def _reader_open(*, email: str, full_name: str, group: ReaderGroup, by) -> Invitation:
    """An account in ``group`` only, and its link on the way once the transaction commits."""
    user = get_user_model()(username=email, email=email, first_name=full_name)
    user.set_unusable_password()
    user.save()
    user.groups.add(reader_group(group))
    log(instance=user, action="accounts.reader_open", user=by, data={"group": group.value})
    return invitation_issue(user=user, roles=(group,), template=READER_INVITATION_TEMPLATE)


def _email_taken(email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exists()


@transaction.atomic
def reader_invite(*, email: str, full_name: str, group: ReaderGroup, by) -> Invitation:
    """The administrator opens a reader's account; the person gets the link to set a password."""
    _require_manager(by)
    email, full_name, errors = invitee_clean(email=email, full_name=full_name)
    if "email" not in errors and _email_taken(email):
        errors["email"] = _("Someone with this e-mail address already has an account on this site.")
    if errors:
        raise ValidationError(errors)
    return _reader_open(email=email, full_name=full_name, group=group, by=by)


def reader_registration_request(*, email: str, full_name: str, group: str, note: str, client: str) -> None:
    """Someone asks the active school for a reader's account; the administrator decides.

    Whether the address already has an account or a request waiting is not told (that would let anyone
    find out who is a school's parent): such a request is taken as if it were new and nothing is added.
    """
    school = current_school()
    if school is None:
        raise ValidationError(_("Readers register on their school's own site."))
    if counter_add("reader registration", client, seconds=WINDOW_SECONDS) > REGISTRATION_LIMIT:
        raise ValidationError(_("Too many requests from your network. Try again in 15 minutes."))
    email, full_name, errors = invitee_clean(email=email, full_name=full_name)
    if group not in READER_GROUP_NAMES:
        errors["group"] = _("Choose whether you are teaching staff, a parent or a pupil.")
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = _("Write at most %(count)d characters.") % {"count": NOTE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    if _email_taken(email):
        return
    try:
        with transaction.atomic():
            ReaderRegistration.objects.create(school=school, email=email, full_name=full_name, group=group, note=note)
    except IntegrityError:
        return  # one is waiting already (reader_registration_one_pending)


def _pending(registration_id: int) -> ReaderRegistration:
    """The active school's request, locked, while it still waits; else a clear refusal."""
    registration = (
        ReaderRegistration.objects.select_for_update().filter(pk=registration_id, school=current_school()).first()
    )
    if registration is None:
        raise ValidationError(_("There is no such request on this site."))
    if registration.status != ReaderRegistration.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    return registration


def _decided(registration: ReaderRegistration, status: str, by) -> None:
    registration.status = status
    registration.decided_at = timezone.now()
    registration.decided_by = by.email or by.get_username()
    registration.save(update_fields=["status", "decided_at", "decided_by"])


@transaction.atomic
def reader_registration_approve(*, registration_id: int, by) -> Invitation:
    """Open the account asked for and e-mail its link; the request is marked approved."""
    _require_manager(by)
    registration = _pending(registration_id)
    if _email_taken(registration.email):
        raise ValidationError(_("Someone with this e-mail address already has an account on this site."))
    group = ReaderGroup(registration.group)
    invitation = _reader_open(email=registration.email, full_name=registration.full_name, group=group, by=by)
    _decided(registration, ReaderRegistration.Status.APPROVED, by)
    return invitation


@transaction.atomic
def reader_registration_decline(*, registration_id: int, by) -> ReaderRegistration:
    """The request is refused; no account is opened, and the person may ask again."""
    _require_manager(by)
    registration = _pending(registration_id)
    _decided(registration, ReaderRegistration.Status.DECLINED, by)
    return registration
