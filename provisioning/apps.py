from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvisioningConfig(AppConfig):
    """New schools: the recorded schema template, provisioning, bulk onboarding, their commands."""

    name = "provisioning"
    verbose_name = _("Provisioning")
