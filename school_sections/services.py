"""Writes on a school's section tree: create the provisioned sections, enable and disable optional ones.

Run inside the school's schema (``schema_context``).
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.utils import translation
from wagtail.models import Page, Site

from regulation import catalogue
from school_sections.models import OptionalSectionPage, SchoolHomePage
from school_sections.search.indexing import page_index


def _page_class(entry: catalogue.Section):
    return apps.get_model(entry.page_model)


def _existing_codes(home: SchoolHomePage) -> dict[str, Page]:
    pages = {}
    for page in home.get_children().specific():
        code = getattr(page, "section_code", "")
        if code:
            pages[code] = page
    return pages


def _create(home: SchoolHomePage, entry: catalogue.Section) -> Page:
    with translation.override("kk"):  # the stored title, for editors; visitors see the catalogue's
        title = str(entry.title)
    fields = {"title": title, "slug": entry.slug}
    if _page_class(entry) is OptionalSectionPage:
        fields["section_code"] = entry.code
    page = home.add_child(instance=_page_class(entry)(**fields))
    page_index(page)  # created live, without a publication that would index it
    return page


SEED_HOSTNAME = "school.invalid"  # replaced by the school's host at provisioning


@transaction.atomic
def school_site_seed() -> SchoolHomePage:
    """Turn a freshly migrated schema into a school site: a home page and its provisioned sections.

    Replaces Wagtail's default Site(localhost) and "Welcome" page. The same for every
    school, so it is recorded into the provisioning template with the migrations
    (provisioning.schema_template); provisioning then names the home page and
    the site after the school.
    """
    Site.objects.all().delete()
    root = Page.get_first_root_node()
    for page in root.get_children():
        page.delete()
    root.refresh_from_db()
    home = root.add_child(instance=SchoolHomePage(title="Home", slug="home"))
    sections_create_provisioned(home=home)  # clause 3.1: every mandatory section from the start
    Site.objects.create(hostname=SEED_HOSTNAME, port=80, root_page=home, is_default_site=True)
    return home


@transaction.atomic
def sections_create_provisioned(*, home: SchoolHomePage) -> list[Page]:
    """Create every section a new school starts with (mandatory, news, events), in catalogue order.

    Idempotent: sections that exist are left alone, so it also repairs an older site.
    """
    existing = _existing_codes(home)
    created = []
    for entry in catalogue.PROVISIONED:
        if entry.code not in existing:
            created.append(_create(home, entry))
            home.refresh_from_db()  # treebeard keeps the child count on the parent
    if created and existing:
        _order_children(home)  # an older site: put the new sections in their places
    return created


@transaction.atomic
def section_enable(*, home: SchoolHomePage, code: str, user=None) -> Page:
    """Switch on an optional section: restore it if it was disabled, else create it in its place."""
    entry, page = _optional_section(home, code)
    if page is None:
        page = _create(home, entry)
    elif not page.live:
        page.save_revision(user=user).publish(user=user)  # the audit log names who (clause 4.2)
    _order_children(home)
    return type(page).objects.get(pk=page.pk)  # moving it changed its path


@transaction.atomic
def section_disable(*, home: SchoolHomePage, code: str, user=None) -> Page:
    """Switch off an optional section: unpublish it, keeping it and its content to restore later."""
    _, page = _optional_section(home, code)
    if page is None:
        raise ValueError(f"Section {code} was never enabled.")
    if page.live:
        page.unpublish(user=user)
    return page


def _optional_section(home: SchoolHomePage, code: str) -> tuple[catalogue.Section, Page | None]:
    """The catalogue entry of an optional section and its page, if it was ever enabled."""
    entry = catalogue.section(code)
    if entry.mandatory:
        raise ValueError(f"Section {code} is mandatory (clause 3.1): it is always there.")
    return entry, _existing_codes(home).get(code)


def _order_children(home: SchoolHomePage) -> None:
    """Keep the sections in catalogue order, whatever order they were enabled in."""
    order = {entry.code: entry.order for entry in catalogue.CATALOGUE}
    children = sorted(_existing_codes(home).values(), key=lambda page: order[page.section_code])
    for position, page in enumerate(children):
        current = home.get_children()[position]
        if current.pk != page.pk:
            page.move(current, pos="left")
