from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class SchoolSectionsConfig(AppConfig):
    name = "school_sections"
    verbose_name = _("Site sections")

    def ready(self):
        # Imported for the receivers they connect: the identity cache, the translation state, the search index.
        from school_sections import site_identity, translation_state  # noqa: F401
        from school_sections.search import signals  # noqa: F401
        from school_sections.wagtail_fixes import wagtail_fixes_apply

        checks.register(publication_checks_registered)
        wagtail_fixes_apply()


def publication_checks_registered(app_configs, **kwargs):
    """Publishing without the archive and screening checks (clauses 1.2, 3.3) would fail open, silently."""
    from school_sections.hooks import completeness_rules, publication_checks

    if publication_checks() and completeness_rules():
        return []
    return [
        checks.Error(
            "No publication check or completeness rule is registered in school_sections.hooks.",
            hint="The workflows app registers them in its AppConfig.ready; is it in INSTALLED_APPS?",
            id="school_sections.E001",
        )
    ]
