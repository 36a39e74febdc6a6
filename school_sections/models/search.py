"""The public search's index: one row per published page, its text in each language and their vectors."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """A published page as the visitors' search reads it; kept by ``school_sections.search.indexing``.

    Wagtail's own index has one text-search configuration for everything; a school writes in three
    languages, so each language is matched with its own: PostgreSQL's Russian and English stemming, and
    the Kazakh stemmer (``school_sections.search.kazakh``) whose keys go into a ``simple`` vector. The
    plain text is kept for the excerpts and for trigram matching of misspelt words.
    """

    class Kind(models.TextChoices):
        SECTION = "section", _("Section")
        NEWS = "news", _("News")
        EVENT = "event", _("Event")

    page = models.OneToOneField("wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    section_code = models.CharField(max_length=20)  # the page's section (a news item's: the news section's)
    date = models.DateField(null=True)  # a news item's date, an event's start, a section's last publication
    title_kk = models.TextField(blank=True)
    title_ru = models.TextField(blank=True)
    title_en = models.TextField(blank=True)
    text_kk = models.TextField(blank=True)
    text_ru = models.TextField(blank=True)
    text_en = models.TextField(blank=True)
    text_any = models.TextField(blank=True)  # names, numbers, titles written in no particular language
    vector_kk = SearchVectorField(null=True)
    vector_ru = SearchVectorField(null=True)
    vector_en = SearchVectorField(null=True)

    # No GIN index: a school has hundreds to a few thousand pages, which a scan matches in milliseconds,
    # and three more indexes in each of thousands of schemas would weigh on the catalogue and provisioning.

    def __str__(self) -> str:
        return self.title_kk or self.title_ru or self.title_en or str(self.page_id)
