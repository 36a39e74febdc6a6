"""Which documents a visitor may see named on a page (clause 5.2): a document filed in a collection with a
view restriction (Wagtail's ``CollectionViewRestriction``, e.g. the parents' documents) is listed only to
someone who passes every restriction on its collection and the collections above it.

Wagtail guards the file's own address; this keeps its title and link off the pages others read, and so out
of the shared cache (an anonymous visitor never passes a restriction, and a visitor with a session is never
served from the cache). Completeness counts only documents anyone can open.
"""

from __future__ import annotations

from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction

RestrictionsByCollection = dict[int, list[BaseViewRestriction]]


def collection_restrictions() -> RestrictionsByCollection:
    """For each collection under a view restriction, the restrictions that apply to it (its own and its
    ancestors'): two small queries per school, nothing when no collection is restricted."""
    restrictions = list(CollectionViewRestriction.objects.select_related("collection").prefetch_related("groups"))
    if not restrictions:
        return {}
    applying: RestrictionsByCollection = {}
    for collection_id, path in Collection.objects.values_list("id", "path"):
        found = [restriction for restriction in restrictions if path.startswith(restriction.collection.path)]
        if found:
            applying[collection_id] = found
    return applying


def request_restrictions(request) -> RestrictionsByCollection:
    """``collection_restrictions()`` once per request, however many documents a page shows."""
    if request is None:
        return collection_restrictions()
    cached = getattr(request, "_collection_restrictions", None)
    if cached is None:
        cached = request._collection_restrictions = collection_restrictions()
    return cached


def document_is_public(document, restrictions: RestrictionsByCollection) -> bool:
    return document is not None and document.collection_id not in restrictions


def document_visible_to(request, document) -> bool:
    """Whether ``request``'s visitor may see ``document`` named and linked on a page."""
    if document is None:
        return False
    applying = request_restrictions(request).get(document.collection_id)
    if not applying:
        return True
    return request is not None and all(restriction.accept_request(request) for restriction in applying)
