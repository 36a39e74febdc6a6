from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolSectionsConfig(AppConfig):
    name = "school_sections"
    verbose_name = _("Site sections")
