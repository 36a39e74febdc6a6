"""Reads of the visitors' search: the pages matching a query in any of the three languages, ranked, with
a highlighted excerpt, paged. Run inside the school's schema.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.paginator import Page as ListPage
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat, Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from regulation import catalogue
from school_sections.models import SearchEntry
from school_sections.search import kazakh
from school_sections.search.text import HIGHLIGHT_START, HIGHLIGHT_STOP, LANGUAGES

RESULTS_PER_PAGE = 10
# A Kazakh query word of at least this many letters also finds longer keys that start with it: the
# stemmer leaves some rarer endings on, and a prefix still finds them; shorter ones would find too much.
PREFIX_MIN_LENGTH = 4
# Misspelt words: when nothing matches, pages with a word this similar to the query (pg_trgm's
# word_similarity, 0..1; one wrong letter in a ten-letter word gives 0.7-0.8).
SIMILAR_MIN = 0.5
EXCERPT_WORDS = 30
_LEXEME = re.compile(r"\w+")
_CONFIGS = {"kk": "simple", "ru": "russian", "en": "english"}


@dataclass
class SearchResult:
    url: str
    title: str
    kind: str
    section: str
    date: datetime.date | None
    excerpt: SafeString


@dataclass
class SearchResults:
    query: str
    page: ListPage | None  # the page of results shown (its paginator knows the count)
    results: list[SearchResult]
    similar: bool = False  # nothing matched the words: these have similar words (a misspelling)

    @property
    def count(self) -> int:
        return self.page.paginator.count if self.page is not None else 0


def _kazakh_keys(query: str) -> list[str]:
    return [key for key in kazakh.stems(query) if _LEXEME.fullmatch(key)]


def _ts_queries(query: str) -> dict[str, SearchQuery] | None:
    keys = _kazakh_keys(query)
    if not keys:
        return None  # punctuation only
    kazakh_query = " & ".join(f"'{key}':*" if len(key) >= PREFIX_MIN_LENGTH else f"'{key}'" for key in keys)
    return {
        "kk": SearchQuery(kazakh_query, config="simple", search_type="raw"),
        "ru": SearchQuery(query, config="russian", search_type="plain"),
        "en": SearchQuery(query, config="english", search_type="plain"),
    }


def _public_entries() -> QuerySet[SearchEntry]:
    # Public pages only: a page behind a password or a sign-in must not show its title or words.
    return SearchEntry.objects.filter(page__in=Page.objects.live().public().values("pk"))


def site_search(query: str, *, page_number=None, language: str = "kk") -> SearchResults:
    """The published public pages matching ``query``; ``language`` is the visitor's (titles, excerpts)."""
    query = " ".join(query.split())
    queries = _ts_queries(query) if query else None
    if queries is None:
        return SearchResults(query=query, page=None, results=[])
    matching = _public_entries().filter(
        Q(vector_kk=queries["kk"]) | Q(vector_ru=queries["ru"]) | Q(vector_en=queries["en"])
    )
    ranked: QuerySet[SearchEntry] = matching.annotate(
        rank=Greatest(*(SearchRank(F(f"vector_{code}"), queries[code]) for code in LANGUAGES))
    ).order_by("-rank", F("date").desc(nulls_last=True), "page_id")
    similar = False
    if not ranked.exists():
        similar = True
        ranked = (
            _public_entries()
            .annotate(similarity=TrigramWordSimilarity(query, _all_text()))
            .filter(similarity__gte=SIMILAR_MIN)
            .order_by("-similarity", F("date").desc(nulls_last=True), "page_id")
        )
    listed = Paginator(ranked.only("page_id"), RESULTS_PER_PAGE).get_page(page_number)
    ids = [entry.page_id for entry in listed]
    results = _results(ids, queries, language, _kazakh_keys(query))
    return SearchResults(query=query, page=listed, results=results, similar=similar)


def _all_text():
    fields = [f"{name}_{code}" for name in ("title", "text") for code in LANGUAGES] + ["text_any"]
    parts = []
    for name in fields:
        parts += [F(name), Value(" ")]
    return Concat(*parts[:-1], output_field=TextField())


def _results(ids: list[int], queries: dict[str, SearchQuery], language: str, keys: list[str]) -> list[SearchResult]:
    if not ids:
        return []
    hits = {
        f"hit_{code}": ExpressionWrapper(Q(**{f"vector_{code}": queries[code]}), BooleanField()) for code in LANGUAGES
    }
    headlines = {
        f"headline_{code}": SearchHeadline(
            Concat(F(f"text_{code}"), Value("\n"), F("text_any"), output_field=TextField()),
            queries[code],
            config=_CONFIGS[code],
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            max_words=EXCERPT_WORDS,
            min_words=EXCERPT_WORDS // 2,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        for code in ("ru", "en")
    }
    entries = {
        entry.page_id: entry for entry in SearchEntry.objects.filter(page_id__in=ids).annotate(**hits, **headlines)
    }
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids)}
    order = [language, *(code for code in LANGUAGES if code != language)]
    results = []
    for page_id in ids:
        entry, page = entries[page_id], pages[page_id]
        results.append(
            SearchResult(
                url=page.url,
                title=next(
                    (getattr(entry, f"title_{code}") for code in order if getattr(entry, f"title_{code}")), page.title
                ),
                kind=str(SearchEntry.Kind(entry.kind).label),
                section=_section_title(entry.section_code),
                date=entry.date,
                excerpt=_excerpt(entry, order, keys),
            )
        )
    return results


def _section_title(code: str) -> str:
    try:
        return str(catalogue.section(code).title)
    except KeyError:  # a section the catalogue no longer has
        return ""


def _excerpt(entry: SearchEntry, order: list[str], kazakh_keys: list[str]) -> SafeString:
    """From the first language, the visitor's first, in which the page matched; words found marked."""
    for code in order:
        if not getattr(entry, f"hit_{code}"):
            continue
        if code == "kk":
            return _kazakh_excerpt(f"{entry.text_kk}\n{entry.text_any}", kazakh_keys)
        headline = getattr(entry, f"headline_{code}")
        if HIGHLIGHT_START in headline:
            marked = escape(headline).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
            return mark_safe(marked)  # noqa: S308 - escaped; only the markers become tags
    for code in order:  # found by a similar word, or only in a title: the text's beginning
        text = getattr(entry, f"text_{code}") or entry.text_any
        if text:
            return escape(" ".join(text.split()[:EXCERPT_WORDS]))
    return mark_safe("")


def _matches(key: str, query_keys: list[str]) -> bool:
    return any(key == wanted or (len(wanted) >= PREFIX_MIN_LENGTH and key.startswith(wanted)) for wanted in query_keys)


def _kazakh_excerpt(text: str, query_keys: list[str]) -> SafeString:
    words = list(kazakh.WORD_PATTERN.finditer(text))
    if not words:
        return mark_safe("")
    found = {index for index, word in enumerate(words) if _matches(kazakh.stem(word.group()), query_keys)}
    first = max(0, min(found) - EXCERPT_WORDS // 3) if found else 0
    shown = words[first : first + EXCERPT_WORDS]
    parts: list[str] = []
    position = shown[0].start()
    for index, word in enumerate(shown, start=first):
        parts.append(escape(text[position : word.start()]))
        parts.append(f"<mark>{escape(word.group())}</mark>" if index in found else escape(word.group()))
        position = word.end()
    prefix = "… " if first else ""
    suffix = " …" if first + EXCERPT_WORDS < len(words) else ""
    return mark_safe(prefix + " ".join("".join(parts).split()) + suffix)  # noqa: S308 - every part escaped
