from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in throttling, the second factor and invitations, for school people and regional staff alike."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_sign_in_recorded, dispatch_uid="accounts.sign_in_record")


def _sign_in_recorded(sender, request, user, **kwargs):
    # Now, not user.last_login: Django's own receiver, which sets it, may run after this one.
    from django.utils import timezone

    from accounts.services import sign_in_record

    sign_in_record(user=user, at=timezone.now())
