"""The eight mandatory sections of clause 3.1, each with its own structured content."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from school_sections import blocks
from school_sections.models.base import RICH_TEXT_FEATURES, SectionPage


def _stream(block_types, verbose_name):
    return StreamField(block_types, blank=True, use_json_field=True, verbose_name=verbose_name)


class ContactsPage(SectionPage):
    """3.1.1 Contact information: legal address, phones (E.164), e-mails, reception hours, map point."""

    section_code = "3.1.1"
    legal_address_kk = models.CharField(_("legal address in Kazakh"), max_length=300, blank=True)
    legal_address_ru = models.CharField(_("legal address in Russian"), max_length=300, blank=True)
    legal_address_en = models.CharField(_("legal address in English"), max_length=300, blank=True)
    phones = _stream([("phone", blocks.PhoneEntryBlock())], _("phone numbers"))
    emails = _stream([("email", blocks.EmailEntryBlock())], _("e-mail addresses"))
    reception_hours_kk = models.TextField(_("reception hours in Kazakh"), blank=True)
    reception_hours_ru = models.TextField(_("reception hours in Russian"), blank=True)
    reception_hours_en = models.TextField(_("reception hours in English"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    content_panels = [
        *SectionPage.top_panels("3.1.1"),
        MultiFieldPanel(
            [FieldPanel("legal_address_kk"), FieldPanel("legal_address_ru"), FieldPanel("legal_address_en")],
            heading=_("Legal address"),
        ),
        FieldPanel("phones"),
        FieldPanel("emails"),
        MultiFieldPanel(
            [FieldPanel("reception_hours_kk"), FieldPanel("reception_hours_ru"), FieldPanel("reception_hours_en")],
            heading=_("Reception hours"),
        ),
        MultiFieldPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("Map point")),
        *SectionPage.intro_panels,
    ]
    search_fields = [
        *SectionPage.search_fields,
        index.SearchField("legal_address_kk"),
        index.SearchField("legal_address_ru"),
        index.SearchField("legal_address_en"),
        index.SearchField("reception_hours_kk"),
        index.SearchField("reception_hours_ru"),
        index.SearchField("reception_hours_en"),
    ]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("contact information (3.1.1)")


class AdministrationPage(SectionPage):
    """3.1.2 Administration: the head of school and the deputies, each with contact and reception hours."""

    section_code = "3.1.2"
    people = _stream([("person", blocks.AdministratorBlock())], _("administration"))
    # A small school may have no deputy heads: it says so, rather than the section counting as incomplete.
    no_deputies = models.BooleanField(
        _("the school has no deputy heads"),
        default=False,
        db_default=False,
        help_text=_("Tick this only if the school has no deputy heads at all; otherwise list them above."),
    )

    content_panels = [
        *SectionPage.top_panels("3.1.2"),
        FieldPanel("people"),
        FieldPanel("no_deputies"),
        *SectionPage.intro_panels,
    ]
    search_fields = [*SectionPage.search_fields, index.SearchField("people")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("administration (3.1.2)")


class DocumentsPage(SectionPage):
    """3.1.3 Electronic documents: charter, licence, annual reports, the council decision (1.4), others."""

    section_code = "3.1.3"
    documents = _stream([("document", blocks.SchoolDocumentBlock())], _("documents"))

    content_panels = [*SectionPage.top_panels("3.1.3"), FieldPanel("documents"), *SectionPage.intro_panels]
    search_fields = [*SectionPage.search_fields, index.SearchField("documents")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("electronic documents (3.1.3)")


class AdmissionRulesPage(SectionPage):
    """3.1.4 Admission rules: the rules as text, and documents."""

    section_code = "3.1.4"
    rules_kk = RichTextField(_("rules in Kazakh"), blank=True, features=RICH_TEXT_FEATURES)
    rules_ru = RichTextField(_("rules in Russian"), blank=True, features=RICH_TEXT_FEATURES)
    rules_en = RichTextField(_("rules in English"), blank=True, features=RICH_TEXT_FEATURES)
    documents = _stream([("document", blocks.DatedEntryBlock())], _("documents"))

    content_panels = [
        *SectionPage.top_panels("3.1.4"),
        MultiFieldPanel([FieldPanel("rules_kk"), FieldPanel("rules_ru"), FieldPanel("rules_en")], heading=_("Rules")),
        FieldPanel("documents"),
        *SectionPage.intro_panels,
    ]
    search_fields = [
        *SectionPage.search_fields,
        index.SearchField("rules_kk"),
        index.SearchField("rules_ru"),
        index.SearchField("rules_en"),
        index.SearchField("documents"),
    ]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("admission rules (3.1.4)")


class EducationalProcessPage(SectionPage):
    """3.1.5 Organisation of the educational process: schedules, curricula, regulations."""

    section_code = "3.1.5"
    items = _stream([("item", blocks.ProcessEntryBlock())], _("schedules, curricula and regulations"))

    content_panels = [*SectionPage.top_panels("3.1.5"), FieldPanel("items"), *SectionPage.intro_panels]
    search_fields = [*SectionPage.search_fields, index.SearchField("items")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("organisation of the educational process (3.1.5)")


class ActivitiesPage(SectionPage):
    """3.1.6 Areas of activity: research work, olympiads, creative work, as dated entries."""

    section_code = "3.1.6"
    entries = _stream([("entry", blocks.ActivityEntryBlock())], _("entries"))

    content_panels = [*SectionPage.top_panels("3.1.6"), FieldPanel("entries"), *SectionPage.intro_panels]
    search_fields = [*SectionPage.search_fields, index.SearchField("entries")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("areas of activity (3.1.6)")


class StaffPage(SectionPage):
    """3.1.7 Teachers, staff and graduates: a staff directory and graduates by year."""

    section_code = "3.1.7"
    staff = _stream([("member", blocks.StaffMemberBlock())], _("teachers and staff"))
    graduates = _stream([("year", blocks.GraduatesBlock())], _("graduates"))
    # A school opened this year has had no graduates yet: it says so, rather than counting as incomplete.
    no_graduates_yet = models.BooleanField(
        _("the school has no graduates yet"),
        default=False,
        db_default=False,
        help_text=_("Tick this only for a new school whose first pupils have not finished it yet."),
    )

    content_panels = [
        *SectionPage.top_panels("3.1.7"),
        FieldPanel("staff"),
        FieldPanel("graduates"),
        FieldPanel("no_graduates_yet"),
        *SectionPage.intro_panels,
    ]
    search_fields = [*SectionPage.search_fields, index.SearchField("staff"), index.SearchField("graduates")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("teachers, staff and graduates (3.1.7)")


class AchievementsPage(SectionPage):
    """3.1.8 Achievements: dated entries with their level."""

    section_code = "3.1.8"
    achievements = _stream([("achievement", blocks.AchievementBlock())], _("achievements"))

    content_panels = [*SectionPage.top_panels("3.1.8"), FieldPanel("achievements"), *SectionPage.intro_panels]
    search_fields = [*SectionPage.search_fields, index.SearchField("achievements")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("achievements (3.1.8)")
