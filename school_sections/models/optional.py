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
from school_sections.models.base import (
    RICH_TEXT_FEATURES,
    ScreenedPublicationMixin,
    SectionPage,
    TranslatedIntroMixin,
)
from school_sections.panels import TranslationStatePanel

OPTIONAL_CODES = [(entry.code, entry.title) for entry in catalogue.OPTIONAL if entry.code.startswith("3.2.")]


class OptionalSectionPage(SectionPage):
    """One of 3.2.1-3.2.7, enabled by the site administrator: dated entries."""

    section_code = models.CharField(_("section"), max_length=10, choices=OPTIONAL_CODES)
    entries = StreamField(
        [("entry", blocks.DatedEntryBlock())], blank=True, use_json_field=True, verbose_name=_("entries")
    )

    content_panels = [TranslationStatePanel(), FieldPanel("entries"), *SectionPage.intro_panels]
    search_fields = [*SectionPage.search_fields, index.SearchField("entries")]
    subpage_types: list[str] = []
    max_count_per_parent = None  # one per section code, checked in clean()
    is_creatable = False  # enabled through school_sections.services.section_enable

    class Meta:
        verbose_name = _("optional section (3.2)")

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk else None
        if parent is not None:
            siblings = OptionalSectionPage.objects.child_of(parent).filter(section_code=self.section_code)
            if siblings.exclude(pk=self.pk).exists():
                raise ValidationError({"section_code": _("This section already exists on the site.")})


class DatedTitleMixin(TranslatedIntroMixin):
    """A page with its own title in each language (news, events); ``title`` is the fallback."""

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

    class Meta:
        abstract = True

    @property
    def display_title(self) -> str:
        return str(self.translated("title")) or self.title


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
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("image"),
        *DatedTitleMixin.translated_panels,
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
        *Page.content_panels,
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        MultiFieldPanel(
            [FieldPanel("location_kk"), FieldPanel("location_ru"), FieldPanel("location_en")], heading=_("Place")
        ),
        *DatedTitleMixin.translated_panels,
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
