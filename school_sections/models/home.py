"""The school's home page: the root of its site, holding the regulation's sections."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from regulation import catalogue
from school_sections.models.base import ScreenedPublicationMixin, TranslatedIntroMixin
from school_sections.panels import TranslationStatePanel
from school_sections.permissions import ProtectedPagePermissionTester


class SchoolHomePage(ScreenedPublicationMixin, TranslatedIntroMixin, Page):
    """The school's home page, created at provisioning on the school's own host (clause 1.1)."""

    content_panels = [
        TranslationStatePanel(),
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("intro_kk"), FieldPanel("intro_ru"), FieldPanel("intro_en")], heading=_("Introduction")
        ),
    ]
    search_fields = [*Page.search_fields, *TranslatedIntroMixin.search_fields]
    parent_page_types = ["wagtailcore.Page"]
    # The catalogue's page types, and nothing else.
    subpage_types = list(dict.fromkeys(entry.page_model for entry in catalogue.CATALOGUE))
    max_count = 1  # one site per school schema

    class Meta:
        verbose_name = _("school home page")

    def clean(self):
        super().clean()
        if self.expire_at:
            raise ValidationError({"expire_at": _("The home page cannot expire: it holds the mandatory sections.")})

    def permissions_for_user(self, user):
        # Deleting, moving or unpublishing the home page would take every mandatory section with it.
        return ProtectedPagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from school_sections.selectors import events_upcoming, news_latest

        context = super().get_context(request, *args, **kwargs)
        context["news"] = news_latest(limit=3)
        context["events"] = events_upcoming(limit=3)
        return context
