"""Accounts in a school's editor: the second factor's screen, the People screen and their audit actions."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.two_factor import second_factor_required, second_factor_view
from accounts.views.people import people_view, person_action_view
from accounts.views.readers_admin import reader_registration_decide_view, readers_view
from regulation.permissions import Capability, user_may
from workflows.audit import register_reasoned_action


@hooks.register("register_admin_urls")
def accounts_urls():
    return [
        path("second-factor/", second_factor_view, name="accounts_second_factor"),
        path("people/", people_view, name="accounts_people"),
        path("people/<int:user_id>/<str:action>/", person_action_view, name="accounts_person_action"),
        path("readers/", readers_view, name="accounts_readers"),
        path(
            "readers/requests/<int:registration_id>/<str:decision>/",
            reader_registration_decide_view,
            name="accounts_reader_registration_decide",
        ),
    ]


class PeopleMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may(request.user, Capability.MANAGE_PEOPLE)


@hooks.register("register_settings_menu_item")
def people_menu_item():
    return PeopleMenuItem(_("People"), reverse("accounts_people"), icon_name="group", order=105)


@hooks.register("register_settings_menu_item")
def readers_menu_item():
    # Clause 5.2: staff, parents and pupils who sign in on the site; the same person manages them as the team.
    return PeopleMenuItem(_("Readers"), reverse("accounts_readers"), icon_name="user", order=106)


@hooks.register("register_log_actions")
def people_log_actions(actions):
    # The actions' names are stored in every school's log: they keep the "workflows." prefix they were born with.
    for action, label, message in (
        ("workflows.person_invite", _("Invite a person"), _("Person invited")),
        ("workflows.person_deactivate", _("Deactivate a person"), _("Person deactivated")),
        ("workflows.person_reactivate", _("Reactivate a person"), _("Person reactivated")),
        ("workflows.person_access_reset", _("Reset access"), _("Access reset")),
        ("accounts.reader_open", _("Open a reader's account"), _("Reader's account opened")),
    ):
        register_reasoned_action(actions, action, label, message)


def _second_factor_first(request, restricted: bool):
    """Clause 5.2 with the editors' second factor: a director or administrator who typed only a password
    (at /admin/login/, the second factor not passed) does not read a restricted page or document on the
    public site either; they finish the second factor and come back."""
    user = getattr(request, "user", None)
    if (
        user is not None
        and user.is_authenticated
        and not user.is_verified()
        and second_factor_required(user)
        and restricted
    ):
        return redirect(f"{reverse('accounts_second_factor')}?{urlencode({'next': request.get_full_path()})}")
    return None


@hooks.register("before_serve_page")
def second_factor_before_a_restricted_page(page, request, serve_args, serve_kwargs):
    if getattr(request, "user", None) is None or not request.user.is_authenticated:
        return None  # an anonymous visitor costs no query here
    return _second_factor_first(request, page.get_view_restrictions().exists())


@hooks.register("before_serve_document")
def second_factor_before_a_restricted_document(document, request):
    if getattr(request, "user", None) is None or not request.user.is_authenticated:
        return None
    return _second_factor_first(request, document.collection.get_view_restrictions().exists())
