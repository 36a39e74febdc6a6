"""Two places where Wagtail 8 does not let the editor's language be the editor's: set right at start-up.

Remove each when Wagtail does it itself (checked by tests/workflows/test_publishing_steps.py).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language_info, gettext, gettext_lazy


def _language_choices() -> list[tuple[str, str]]:
    server = get_language_info(settings.LANGUAGE_CODE)["name_local"]
    default = ("", gettext("Use server language: %(language_name)s") % {"language_name": server})
    return [default, *settings.WAGTAILADMIN_PERMITTED_LANGUAGES]


def wagtail_fixes_apply() -> None:
    from wagtail.admin.forms.account import LocalePreferencesForm
    from wagtail.admin.viewsets.chooser import ChooserViewSet

    # The choosers' "Search" tab is named by a gettext evaluated at import, not a lazy one: every editor saw
    # it in the language active when the process started.
    ChooserViewSet.search_tab_label = gettext_lazy("Search")
    # The preferred-language list is sorted by name, which puts Kazakh (in Cyrillic) after English and Russian; the
    # region's order (Kazakh first) is the settings' order.
    LocalePreferencesForm.base_fields["preferred_language"].choices = _language_choices
