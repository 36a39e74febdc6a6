"""Editor forms of the pages titled in each language (news, events): the titles are all an editor types.

Wagtail's own title and address follow from them (``DatedTitleMixin.full_clean``): the title in the
school's language first, the address transliterated from the Kazakh or Russian title. The address stays
on the Promote tab for whoever wants another one.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from school_sections.translation import LANGUAGE_CODES


class LanguageTitledPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "Made from the title when left empty (Kazakh or Russian letters become Latin ones)."
            )

    def clean(self):
        cleaned_data = super().clean()
        titled = [code for code in LANGUAGE_CODES if (cleaned_data.get(f"title_{code}") or "").strip()]
        if not titled and f"title_{LANGUAGE_CODES[0]}" in self.fields:
            self.add_error(f"title_{LANGUAGE_CODES[0]}", _("Write the title in at least one language."))
        return cleaned_data


# Clause 3.2.5: only the section of teachers' materials has materials by subject and teacher.
TEACHING_MATERIALS_CODE = "3.2.5"


class OptionalSectionPageForm(WagtailAdminPageForm):
    """An optional section's editor: the materials field only on the teachers' materials section (3.2.5).

    Without the form field Wagtail hides its panel, and saving leaves the (empty) field as it is.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self.instance, "section_code", None) != TEACHING_MATERIALS_CODE:
            self.fields.pop("materials", None)
