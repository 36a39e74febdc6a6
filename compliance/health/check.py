"""A school's site health check (clause 5.6), run in its schema: what its published site points at, looked up
all at once, and every problem found, each with the page where it is fixed.

Checked: links to pages, documents and paths of the site that no longer answer; external links (once a period for
the region, compliance.health.external); documents and images whose file is gone from storage; images the site
shows as content without a description (their alt text); files too big for a visitor on a phone.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.core.files.storage import default_storage
from django.db import connection
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_noop
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from compliance.health.external import BROKEN_AFTER_FAILED_CHECKS, external_links_check
from compliance.health.fetch import REFUSED_REASON, LinkChecker
from compliance.health.references import (
    TENANT_URLCONF,
    Reference,
    Source,
    identity_references,
    published_references,
)
from compliance.models import ExternalLinkCheck, SiteHealthFinding
from school_sections.uploads import image_is_decorative
from tenants.models import Domain

Kind = SiteHealthFinding.Kind
MB = 1024 * 1024
# A document over this takes a parent on a rural mobile connection (about 1.5 Mbit/s) a minute or more to
# open; a PDF this big is nearly always a scan at photo resolution, which a smaller scan or export fixes.
# (Uploads stop at 20 MB, WAGTAILDOCS_MAX_UPLOAD_SIZE: this is the lower line a reader feels.)
DOCUMENT_MAX_BYTES = 10 * MB
# The site shows images as renditions, but each is made from the original, in memory: an original over this
# is a camera's full-resolution photo that slows every new rendition; a 4000-pixel JPEG of good quality
# fits. (Uploads stop at 10 MB, WAGTAILIMAGES_MAX_UPLOAD_SIZE.)
IMAGE_MAX_BYTES = 3 * MB
# The longest one school's check spends fetching external addresses (a dead host costs a timeout per
# attempt): the rest wait for the next run. One address takes at most fetch.URL_DEADLINE_SECONDS, so a check ends
# by this plus that, well inside the broker's visibility timeout (600 s).
EXTERNAL_BUDGET_SECONDS = 240.0
_SKIPPED_SCHEMES = {"mailto", "tel", "sms", "javascript", "data", "callto", "geo"}

PAGE_GONE = gettext_noop("The linked page no longer exists.")
PAGE_UNPUBLISHED = gettext_noop("The linked page is not published: visitors get “page not found”.")
PATH_NOT_FOUND = gettext_noop("Nothing on this site answers at this address.")
DOCUMENT_GONE = gettext_noop("The linked document was deleted.")
IMAGE_GONE = gettext_noop("The image was deleted.")
EXTERNAL_ERROR = gettext_noop("The address answers with error %(code)s on %(checks)s checks a day apart.")
EXTERNAL_UNREACHABLE = gettext_noop("The site at this address could not be reached on %(checks)s checks a day apart.")
EXTERNAL_REFUSED = gettext_noop("The address is not on the public internet: visitors cannot open it.")
DOCUMENT_FILE_MISSING = gettext_noop("The document's file is missing from storage: upload it again.")
IMAGE_FILE_MISSING = gettext_noop("The image's file is missing from storage: upload it again.")
IMAGE_WITHOUT_ALT = gettext_noop(
    "The image does not say what it shows: describe it for people who cannot see it (its description)."
)
DOCUMENT_TOO_BIG = gettext_noop(
    "The file is %(size)s MB; a document over %(limit)s MB is slow to open on a phone. Scan or export it smaller."
)
IMAGE_TOO_BIG = gettext_noop(
    "The original is %(size)s MB; an image over %(limit)s MB is a full-size camera photo. Upload a smaller one."
)


@dataclass(frozen=True)
class HealthFinding:
    kind: str
    source: Source
    target: str
    detail: str
    values: dict = field(default_factory=dict)


@dataclass
class HealthReport:
    pages_checked: int = 0
    links_checked: int = 0
    links_waiting: int = 0  # external addresses failing once, or not fetched yet
    findings: list[HealthFinding] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for finding in self.findings if finding.kind == kind)


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}"


class _Collected:
    """Every reference of the site, by kind, with the first place each target is used."""

    def __init__(self) -> None:
        self.pages: dict[int, list[Source]] = {}
        self.documents: dict[int, list[Source]] = {}
        self.images: dict[int, list[tuple[Source, Reference]]] = {}
        self.site_paths: dict[str, list[tuple[Source, str]]] = {}  # path -> where (and the href as written)
        self.urls: dict[str, list[Source]] = {}
        self.sources = 0

    def add(self, source: Source, references: Iterable[Reference], own_hosts: set[str]) -> None:
        self.sources += 1
        for reference in references:
            if reference.kind == "page":
                self.pages.setdefault(int(reference.target), []).append(source)
            elif reference.kind == "document":
                self.documents.setdefault(int(reference.target), []).append(source)
            elif reference.kind == "image":
                self.images.setdefault(int(reference.target), []).append((source, reference))
            else:
                self._add_href(source, str(reference.target), own_hosts)

    def _add_href(self, source: Source, href: str, own_hosts: set[str]) -> None:
        try:
            parts = urlsplit(href)
        except ValueError:
            self.site_paths.setdefault(href, []).append((source, href))  # unreadable: reported as not found
            return
        if not href or href.startswith("#") or parts.scheme.lower() in _SKIPPED_SCHEMES:
            return
        if parts.scheme in ("http", "https") and (parts.hostname or "") not in own_hosts:
            self.urls.setdefault(href, []).append(source)
        elif parts.path.startswith("/") and (parts.scheme in ("http", "https") or not (parts.scheme or parts.netloc)):
            self.site_paths.setdefault(parts.path, []).append((source, href))


def _site_path_findings(collected: _Collected) -> list[HealthFinding]:
    """Links to the site's own paths: a page by its address, a document, an uploaded file, or any other view."""
    site = Site.objects.select_related("root_page").order_by("-is_default_site", "pk").first()
    root = site.root_page.url_path if site else "/"
    page_paths: dict[str, str] = {}
    problems: dict[str, str] = {}
    for path in collected.site_paths:
        # Written percent-encoded (/news/%D0%B0.../), served decoded: a page's url_path holds its Unicode slug.
        decoded = unquote(path)
        try:
            match = resolve(decoded, urlconf=TENANT_URLCONF)
        except Resolver404:
            problems[path] = PATH_NOT_FOUND
            continue
        if match.url_name == "wagtail_serve":
            page_paths[path] = root.rstrip("/") + "/" + decoded.strip("/") + ("/" if decoded.strip("/") else "")
        elif match.url_name == "wagtaildocs_serve" and str(match.args[0]).isdigit():
            for source, _href in collected.site_paths[path]:
                collected.documents.setdefault(int(match.args[0]), []).append(source)
        elif match.url_name == "school_media":
            parts = match.kwargs["path"].split("/", 1)
            schema = connection.schema_name  # type: ignore[attr-defined]  # django-tenants' backend adds it
            if len(parts) < 2 or parts[0] != schema or not default_storage.exists(parts[1]):
                problems[path] = PATH_NOT_FOUND
    live = dict(Page.objects.filter(url_path__in=set(page_paths.values())).values_list("url_path", "live"))
    for path, url_path in page_paths.items():
        if url_path not in live:
            problems[path] = PATH_NOT_FOUND
        elif not live[url_path]:
            problems[path] = PAGE_UNPUBLISHED
    return [
        HealthFinding(Kind.BROKEN_LINK, source, href, problem)
        for path, problem in problems.items()
        for source, href in collected.site_paths[path]
    ]


def _page_findings(collected: _Collected) -> list[HealthFinding]:
    pages = {row[0]: row for row in Page.objects.filter(pk__in=collected.pages).values_list("pk", "live", "title")}
    findings = []
    for page_id, sources in collected.pages.items():
        row = pages.get(page_id)
        if row is None or not row[1]:
            target, problem = (f"#{page_id}", PAGE_GONE) if row is None else (row[2], PAGE_UNPUBLISHED)
            findings += [HealthFinding(Kind.BROKEN_LINK, source, target, problem) for source in sources]
    return findings


def _file_state(stored_file) -> tuple[bool, int | None]:
    """Whether the file is in storage, and its size (None if unknown)."""
    if not stored_file or not stored_file.name or not stored_file.storage.exists(stored_file.name):
        return False, None
    return True, stored_file.storage.size(stored_file.name)


def _document_findings(collected: _Collected) -> list[HealthFinding]:
    documents = {document.pk: document for document in get_document_model().objects.filter(pk__in=collected.documents)}
    findings = []
    for document_id, sources in collected.documents.items():
        document = documents.get(document_id)
        if document is None:
            findings += [
                HealthFinding(Kind.BROKEN_LINK, source, f"#{document_id}", DOCUMENT_GONE) for source in sources
            ]
            continue
        present, size = _file_state(document.file)
        title = document.title[:255]
        if not present:
            findings.append(HealthFinding(Kind.MISSING_FILE, sources[0], title, DOCUMENT_FILE_MISSING))
        elif size is not None and size > DOCUMENT_MAX_BYTES:
            values = {"size": _megabytes(size), "limit": _megabytes(DOCUMENT_MAX_BYTES)}
            findings.append(HealthFinding(Kind.OVERSIZED_FILE, sources[0], title, DOCUMENT_TOO_BIG, values))
    return findings


def _image_findings(collected: _Collected) -> list[HealthFinding]:
    images = {
        image.pk: image for image in get_image_model().objects.filter(pk__in=collected.images).prefetch_related("tags")
    }
    findings = []
    for image_id, uses in collected.images.items():
        image = images.get(image_id)
        if image is None:
            findings += [HealthFinding(Kind.BROKEN_LINK, source, f"#{image_id}", IMAGE_GONE) for source, _ in uses]
            continue
        title = image.title[:255]
        present, size = _file_state(image.file)
        if not present:
            findings.append(HealthFinding(Kind.MISSING_FILE, uses[0][0], title, IMAGE_FILE_MISSING))
        elif size is not None and size > IMAGE_MAX_BYTES:
            values = {"size": _megabytes(size), "limit": _megabytes(IMAGE_MAX_BYTES)}
            findings.append(HealthFinding(Kind.OVERSIZED_FILE, uses[0][0], title, IMAGE_TOO_BIG, values))
        # An image its uploader marked decorative has an empty description on purpose (WCAG 1.1.1: alt="");
        # where the page gives its own alt text (a rich-text embed, the home photograph), that text decides.
        described = bool((getattr(image, "description", "") or "").strip()) or image_is_decorative(image)
        undescribed = {
            source
            for source, reference in uses
            if reference.alt_required and not (reference.alt.strip() if reference.alt is not None else described)
        }
        findings += [HealthFinding(Kind.IMAGE_WITHOUT_ALT, source, title, IMAGE_WITHOUT_ALT) for source in undescribed]
    return findings


def _external_findings(
    collected: _Collected, *, now: datetime.datetime, checker: LinkChecker, budget_seconds: float
) -> tuple[list[HealthFinding], int]:
    """Broken external links, and how many are not yet confirmed either way."""
    known = external_links_check(
        set(collected.urls), now=now, checker=checker, deadline=time.monotonic() + budget_seconds
    )
    findings, waiting = [], 0
    for url, sources in collected.urls.items():
        row = known.get(url)
        if row is None or row.state in ("", ExternalLinkCheck.State.FAILING):
            waiting += 1
            continue
        if row.state != ExternalLinkCheck.State.BROKEN:
            continue
        checks = str(max(row.failures, BROKEN_AFTER_FAILED_CHECKS))
        if row.reason.startswith(REFUSED_REASON):
            detail, values = EXTERNAL_REFUSED, {}
        elif row.status_code:
            detail, values = EXTERNAL_ERROR, {"code": str(row.status_code), "checks": checks}
        else:
            detail, values = EXTERNAL_UNREACHABLE, {"checks": checks}
        findings += [HealthFinding(Kind.BROKEN_LINK, source, url, detail, values) for source in sources]
    return findings, waiting


def school_health_check(
    *,
    school,
    now: datetime.datetime,
    checker: LinkChecker | None = None,
    budget_seconds: float = EXTERNAL_BUDGET_SECONDS,
) -> HealthReport:
    """Every problem of the active school's published site (run in its schema), deduplicated."""
    own_hosts = set(Domain.objects.filter(tenant=school).values_list("domain", flat=True))
    collected = _Collected()
    for source, references in published_references():
        collected.add(source, references, own_hosts)
    identity = identity_references()
    if identity is not None:
        collected.add(*identity, own_hosts)
    report = HealthReport(
        pages_checked=collected.sources - (identity is not None),
        links_checked=len(collected.pages)
        + len(collected.documents)
        + len(collected.site_paths)
        + len(collected.urls),
    )
    findings = _site_path_findings(collected)  # first: it adds the documents linked by their address
    findings += _page_findings(collected) + _document_findings(collected) + _image_findings(collected)
    external, report.links_waiting = _external_findings(
        collected, now=now, checker=checker or LinkChecker(), budget_seconds=budget_seconds
    )
    unique = {(item.kind, item.source, item.target, item.detail): item for item in findings + external}
    report.findings = list(unique.values())  # one finding per problem and place
    return report
