from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Schools of the region")

    def ready(self):
        from tenants import signals  # noqa: F401 (connects the cache invalidation)
