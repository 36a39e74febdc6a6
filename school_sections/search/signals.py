"""Keep the visitors' search index in step with what is published (connected in the app's ready())."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from school_sections.search.indexing import page_index, page_unindex


@receiver(page_published, dispatch_uid="school_sections.search.published")
def _page_published(sender, instance, **kwargs):
    page_index(instance)


@receiver(page_unpublished, dispatch_uid="school_sections.search.unpublished")
def _page_unpublished(sender, instance, **kwargs):
    page_unindex(instance.pk)
