"""Editor panels of the section pages."""

from django.utils.translation import get_language_info
from wagtail.admin.panels import Panel


class TranslationStatePanel(Panel):
    """At the top of a page's edit form: languages whose text may be out of date, with "checked" buttons."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "school_sections/admin/translation_state_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk and self.instance.translations_outdated)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["outdated"] = [
                {"code": code, "name": get_language_info(code)["name_local"]}
                for code in self.instance.translations_outdated
            ]
            return context
