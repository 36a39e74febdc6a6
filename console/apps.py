from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    """The regional office's console: the overview, a school's page, staff, announcements, rules, exports."""

    name = "console"
    verbose_name = _("Regional console")
