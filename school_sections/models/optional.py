"""The optional sections of clause 3.2, and the platform's news and events."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from regulation import catalogue
from school_sections import blocks
from school_sections.addresses import address_from_title
from school_sections.models.base import (
    RICH_TEXT_FEATURES,
    ScreenedPublicationMixin,
    SectionPage,
    TranslatedIntroMixin,
)
from school_sections.page_forms import TEACHING_MATERIALS_CODE, LanguageTitledPageForm, OptionalSectionPageForm
from school_sections.panels import TranslationStatePanel
from school_sections.translation import LANGUAGE_CODES

OPTIONAL_CODES = [(entry.code, entry.title) for entry in catalogue.OPTIONAL if entry.code.startswith("3.2.")]


class OptionalSectionPage(SectionPage):
    """One of 3.2.1-3.2.7, enabled by the site administrator: dated entries."""

    section_code = models.CharField(_("section"), max_length=10, choices=OPTIONAL_CODES)
    entries = StreamField(
        [("entry", blocks.DatedEntryBlock())], blank=True, use_json_field=True, verbose_name=_("entries")
    )
    # Clause 3.2.5 only (OptionalSectionPageForm leaves it out of the other sections' editors).
    materials = StreamField(
        [("material", blocks.TeachingMaterialBlock())],
        blank=True,
        null=True,  # nullable: the release before this one inserts sections without it (docs/migrations.md)
        use_json_field=True,
        verbose_name=_("teachers' materials by subject"),
    )

    content_panels = [
        TranslationStatePanel(),
        FieldPanel("materials"),
        FieldPanel("entries"),
        *SectionPage.intro_panels,
    ]
    search_fields = [*SectionPage.search_fields, index.SearchField("entries"), index.SearchField("materials")]
    base_form_class = OptionalSectionPageForm
    subpage_types: list[str] = []
    max_count_per_parent = None  # one per section code, checked in clean()
    is_creatable = False  # enabled through school_sections.services.section_enable

    class Meta:
        verbose_name = _("optional section (3.2)")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.section_code == TEACHING_MATERIALS_CODE:
            from school_sections.models.base import school_default_language
            from school_sections.teaching_materials import teaching_materials

            context["teaching_materials"] = teaching_materials(
                self,
                subject=request.GET.get("subject", "")[:200],
                teacher=request.GET.get("teacher", "")[:200],
                default_language=school_default_language(),
            )
        return context

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk else None
        if parent is not None:
            siblings = OptionalSectionPage.objects.child_of(parent).filter(section_code=self.section_code)
            if siblings.exclude(pk=self.pk).exists():
                raise ValidationError({"section_code": _("This section already exists on the site.")})


class DatedTitleMixin(TranslatedIntroMixin):
    """A page with its own title in each language (news, events).

    The editor types only these: Wagtail's ``title`` (its listings, the fallback) and the address are made
    from them on every clean, so the three titles are the one source.
    """

    title_kk = models.CharField(_("title in Kazakh"), max_length=255, blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=255, blank=True)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    body_kk = RichTextField(_("text in Kazakh"), blank=True, features=RICH_TEXT_FEATURES)
    body_ru = RichTextField(_("text in Russian"), blank=True, features=RICH_TEXT_FEATURES)
    body_en = RichTextField(_("text in English"), blank=True, features=RICH_TEXT_FEATURES)

    translated_panels = [
        MultiFieldPanel([FieldPanel("title_kk"), FieldPanel("title_ru"), FieldPanel("title_en")], heading=_("Title")),
        MultiFieldPanel([FieldPanel("body_kk"), FieldPanel("body_ru"), FieldPanel("body_en")], heading=_("Text")),
    ]

    search_fields = [
        *Page.search_fields,
        *(index.SearchField(f"{name}_{language}") for name in ("title", "body") for language in ("kk", "ru", "en")),
    ]

    base_form_class = LanguageTitledPageForm

    class Meta:
        abstract = True

    @property
    def display_title(self) -> str:
        return str(self.translated("title")) or self.title

    def title_from_languages(self) -> str:
        """The title in the school's language if it has one, else in the first language that has one."""
        from school_sections.models.base import school_default_language

        order = [school_default_language(), *LANGUAGE_CODES]
        return next((title for code in order if (title := getattr(self, f"title_{code}", "").strip())), "")

    def _title_and_address_from_languages(self) -> None:
        self.title = self.title_from_languages() or self.title
        # Like Wagtail's own slug from the title, once the parent is known (to keep siblings apart),
        # but from the Kazakh or Russian title in Latin letters.
        if not self.slug and (self.path or getattr(self, "_cached_parent_obj", None)):
            source = self.title_kk or self.title_ru or self.title_en or self.title
            # A title of emoji or of a script with no Latin letters here still gets an address: "news-2".
            base = address_from_title(source) or self._meta.model_name.removesuffix("page")
            self.slug = self._get_autogenerated_slug(base)

    def full_clean(self, *args, **kwargs):  # the editor's forms
        self._title_and_address_from_languages()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):  # Wagtail's save() and save_revision()
        self._title_and_address_from_languages()
        super().minimal_clean()


class NewsIndexPage(SectionPage):
    """The school's news (clause 2.2.2): news items are its children, newest first."""

    section_code = "news"
    subpage_types = ["school_sections.NewsPage"]

    def get_context(self, request, *args, **kwargs):
        from school_sections.selectors import news_page

        return {**super().get_context(request, *args, **kwargs), "items": news_page(request.GET.get("page"))}

    class Meta:
        verbose_name = _("news")


class NewsPage(ScreenedPublicationMixin, DatedTitleMixin, Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )

    content_panels = [
        TranslationStatePanel(),
        *DatedTitleMixin.translated_panels[:1],
        FieldPanel("date"),
        FieldPanel("image"),
        *DatedTitleMixin.translated_panels[1:],
    ]
    parent_page_types = ["school_sections.NewsIndexPage"]
    subpage_types: list[str] = []
    template = "school_sections/news_page.html"

    class Meta:
        verbose_name = _("news item")
        ordering = ["-date"]


class EventIndexPage(SectionPage):
    """The school's events, soonest first, with an iCalendar feed."""

    section_code = "events"
    subpage_types = ["school_sections.EventPage"]

    def get_context(self, request, *args, **kwargs):
        from school_sections.selectors import events_page

        return {**super().get_context(request, *args, **kwargs), "items": events_page(request.GET.get("page"))}

    class Meta:
        verbose_name = _("events")


class EventPage(ScreenedPublicationMixin, DatedTitleMixin, Page):
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    location_kk = models.CharField(_("place in Kazakh"), max_length=255, blank=True)
    location_ru = models.CharField(_("place in Russian"), max_length=255, blank=True)
    location_en = models.CharField(_("place in English"), max_length=255, blank=True)

    content_panels = [
        TranslationStatePanel(),
        *DatedTitleMixin.translated_panels[:1],
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        MultiFieldPanel(
            [FieldPanel("location_kk"), FieldPanel("location_ru"), FieldPanel("location_en")], heading=_("Place")
        ),
        *DatedTitleMixin.translated_panels[1:],
    ]
    parent_page_types = ["school_sections.EventIndexPage"]
    subpage_types: list[str] = []
    template = "school_sections/event_page.html"

    class Meta:
        verbose_name = _("event")

    def clean(self):
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("An event cannot end before it starts.")})
