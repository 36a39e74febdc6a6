"""Page types of a school's site. The home page is the root of every school's tree."""

from django.db import connection
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField
from wagtail.models import Page


class SchoolHomePage(Page):
    """The school's home page, created at provisioning on the school's own host (clause 1.1)."""

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, "introduction"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1  # one site per school schema

    class Meta:
        verbose_name = _("school home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["school"] = getattr(request, "tenant", None) or getattr(connection, "tenant", None)
        return context
