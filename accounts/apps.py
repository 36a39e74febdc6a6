from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in throttling, the second factor and invitations, for school people and regional staff alike."""

    name = "accounts"
    verbose_name = _("Accounts")
