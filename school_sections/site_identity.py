"""Reads of the school's identity for every page of its site: names, colour, emblem, photograph, footer.

Every page shows them, so they are read once and cached per school (the cache key carries the schema,
design.md) and per language; a change to the settings, the Contacts section or an image drops them.
Run inside the school's schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.signals import page_published, page_unpublished

from school_sections.models import ContactsPage, SchoolIdentity
from school_sections.models.identity import ACCENT_COLOURS, DEFAULT_ACCENT
from school_sections.templatetags.school_site import phone_display
from school_sections.translation import LANGUAGE_CODES, active_language

CACHE_SECONDS = 600
_CACHE_KEY = "site_identity:{language}"  # the cache's key function adds the schema (design.md)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class SiteIdentity:
    name: str
    short_name: str
    initials: str  # the default emblem's letters, before a logo is uploaded
    accent: str  # a key of ACCENT_COLOURS: the page's colour class
    logo_url: str = ""
    favicon_url: str = ""
    share_image_url: str = ""  # og:image
    photo_url: str = ""
    photo_srcset: str = ""
    photo_alt: str = ""
    legal_name: str = ""
    bin: str = ""
    address: str = ""
    hours: str = ""
    phones: list[Link] = field(default_factory=list)
    emails: list[Link] = field(default_factory=list)
    social_links: list[Link] = field(default_factory=list)


def site_identity(school) -> SiteIdentity:
    """The identity of ``school``'s site in the visitor's language (cached)."""
    key = _CACHE_KEY.format(language=active_language())
    identity = cache.get(key)
    if identity is None:
        identity = _site_identity_read(school)
        cache.set(key, identity, CACHE_SECONDS)
    return identity


def _initials(name: str) -> str:
    words = [word for word in name.replace("№", " ").split() if word[:1].isalpha()]
    return "".join(word[0] for word in words[:2]).upper() or "•"


def _site_identity_read(school) -> SiteIdentity:
    settings = SchoolIdentity.objects.select_related("logo", "photo").first() or SchoolIdentity()
    contacts = ContactsPage.objects.live().first()
    name = str(settings.translated("full_name")) or school.name
    short_name = str(settings.translated("short_name")) or school.short_name or name
    values: dict[str, Any] = {
        "name": name,
        "short_name": short_name,
        "initials": _initials(short_name),
        "accent": settings.accent if settings.accent in ACCENT_COLOURS else DEFAULT_ACCENT,
        "legal_name": str(settings.translated("legal_name")),
        "bin": settings.bin or school.bin,  # the registry's until the school gives its own
        "social_links": [Link(label, url) for label, url in settings.social_links],
    }
    if settings.logo is not None:
        values["logo_url"] = settings.logo.get_rendition("max-160x160|format-png").url
        values["favicon_url"] = settings.logo.get_rendition("fill-64x64|format-png").url
        values["share_image_url"] = settings.logo.get_rendition("max-600x600|format-png").url
    if settings.photo is not None:
        small = settings.photo.get_rendition("fill-800x450|format-jpeg|jpegquality-80")
        large = settings.photo.get_rendition("fill-1600x600|format-jpeg|jpegquality-80")
        values["photo_url"] = large.url
        values["photo_srcset"] = f"{small.url} 800w, {large.url} 1600w"
        values["photo_alt"] = str(settings.translated("photo_alt")) or settings.photo.description
        values["share_image_url"] = values.get("share_image_url") or small.url
    if contacts is not None:
        values["address"] = str(contacts.translated("legal_address")) or school.address
        values["hours"] = str(contacts.translated("reception_hours"))
        values["phones"] = [
            Link(phone_display(block.value["number"]), f"tel:{block.value['number']}") for block in contacts.phones
        ]
        values["emails"] = [
            Link(block.value["address"], f"mailto:{block.value['address']}") for block in contacts.emails
        ]
    else:
        values["address"] = school.address
    return SiteIdentity(**values)


def site_identity_cache_keys() -> list[str]:
    return [_CACHE_KEY.format(language=language) for language in LANGUAGE_CODES]


def site_identity_forget() -> None:
    """Drop this school's cached identity (all languages); the next page reads it again. Now, and again once
    the change commits: a page read in between would cache what the transaction had not committed yet."""
    keys = site_identity_cache_keys()
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


@receiver(post_save, sender=SchoolIdentity, dispatch_uid="school_sections.identity.saved")
def _identity_saved(sender, **kwargs):
    site_identity_forget()


@receiver(page_published, sender=ContactsPage, dispatch_uid="school_sections.identity.contacts_published")
@receiver(page_unpublished, sender=ContactsPage, dispatch_uid="school_sections.identity.contacts_unpublished")
def _contacts_changed(sender, **kwargs):
    site_identity_forget()


@receiver(post_save, sender=get_image_model(), dispatch_uid="school_sections.identity.image_saved")
@receiver(post_delete, sender=get_image_model(), dispatch_uid="school_sections.identity.image_deleted")
def _image_changed(sender, **kwargs):
    site_identity_forget()  # the emblem or the photograph may be this image (a new file, or gone)
