"""What every section page shares: its catalogue entry, translated introduction, protection."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from regulation import catalogue
from school_sections.hooks import publication_checks
from school_sections.panels import TranslationStatePanel
from school_sections.permissions import ProtectedPagePermissionTester
from school_sections.translation import translated

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


def school_default_language() -> str:
    return getattr(getattr(connection, "tenant", None), "default_language", "kk") or "kk"


class ScreenedPublicationMixin:
    """A person's publication of any page passes screening (clause 3.3) and the archive (1.2) first.

    The editor's own publish button is covered by a ``before_publish_page`` hook
    (workflows.screening.editor); this covers the rest (workflow approval, bulk
    publish, revisions, restoring). Scheduled go-live has no person: the revision
    was screened when it was scheduled. The checks are workflows' (school_sections.hooks).
    """

    def publish(self, revision, *args, user=None, **kwargs):
        if user is not None:
            for check in publication_checks():
                check(page=self, revision=revision)
        return super().publish(revision, *args, user=user, **kwargs)


class TranslatedIntroMixin(models.Model):
    intro_kk = RichTextField(_("introduction in Kazakh"), blank=True, features=RICH_TEXT_FEATURES)
    intro_ru = RichTextField(_("introduction in Russian"), blank=True, features=RICH_TEXT_FEATURES)
    intro_en = RichTextField(_("introduction in English"), blank=True, features=RICH_TEXT_FEATURES)
    # Kept by school_sections.translation_state after each edit, never edited by hand.
    translation_digests = models.JSONField(default=dict, blank=True, editable=False)
    translations_outdated = models.JSONField(default=list, blank=True, editable=False)

    intro_panels = [
        MultiFieldPanel(
            [FieldPanel("intro_kk"), FieldPanel("intro_ru"), FieldPanel("intro_en")], heading=_("Introduction")
        )
    ]

    search_fields = [index.SearchField("intro_kk"), index.SearchField("intro_ru"), index.SearchField("intro_en")]

    class Meta:
        abstract = True

    def with_content_json(self, content):
        # Publishing a revision must not bring back the translation state it was saved with.
        page = super().with_content_json(content)
        page.translation_digests = self.translation_digests
        page.translations_outdated = self.translations_outdated
        return page

    def translated(self, field: str):
        return translated(self, field, default_language=school_default_language())


class SectionPage(ScreenedPublicationMixin, TranslatedIntroMixin, Page):
    """A section of the regulation (its ``section_code``), directly under the school's home page."""

    search_fields = [*Page.search_fields, *TranslatedIntroMixin.search_fields]

    section_code: str = ""  # set by each subclass; OptionalSectionPage stores it per page

    parent_page_types = ["school_sections.SchoolHomePage"]
    max_count_per_parent = 1  # a section never has a second instance

    class Meta:
        abstract = True

    @property
    def section(self) -> catalogue.Section:
        return catalogue.section(self.section_code)

    # No slug field: a section's address is the catalogue's (navigation and links rely on it).
    promote_panels = [
        MultiFieldPanel([FieldPanel("seo_title"), FieldPanel("search_description")], heading=_("For search engines"))
    ]

    def full_clean(self, *args, **kwargs):
        self.slug = self.section.slug
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.section.mandatory and self.expire_at:
            raise ValidationError(
                {"expire_at": _("A mandatory section cannot expire: every school site must have it.")}
            )

    def get_context(self, request, *args, **kwargs):
        from school_sections.selectors import section_in_preparation

        return {
            **super().get_context(request, *args, **kwargs),
            "in_preparation": section_in_preparation(self, request=request),
        }

    def get_template(self, request, *args, **kwargs):
        # One layout for every section; the section's own part is ``section_template``.
        # (Wagtail gives each page class a template name of its own, so set it here.)
        return "school_sections/section_page.html"

    @property
    def section_template(self) -> str:
        """The part of the page that shows this section's own content."""
        return f"school_sections/sections/{self._meta.model_name}.html"

    @property
    def display_title(self) -> str:
        """The catalogue's title in the visitor's language: sections are named by the regulation."""
        return str(self.section.title)

    def permissions_for_user(self, user):
        if self.section.mandatory:
            return ProtectedPagePermissionTester(user, self)
        return super().permissions_for_user(user)

    @classmethod
    def top_panels(cls, code: str) -> list:
        """Translations that may be outdated; what the regulation asks of this section, and why it stays."""
        return [
            TranslationStatePanel(),
            HelpPanel(content=lazy(_section_help, str)(code), heading=catalogue.section(code).title),
        ]


def _section_help(code: str) -> str:
    entry = catalogue.section(code)
    text = gettext("Clause %(code)s of the regulation. Complete when: %(rule)s") % {
        "code": code,
        "rule": entry.complete_when,
    }
    if entry.mandatory:
        text += " " + gettext(
            "This section cannot be deleted, moved, unpublished or copied: every school site must have it."
        )
    return text
