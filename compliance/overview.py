"""The region's overview: every school with its compliance figures from the ledger, in one query."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, F, FloatField, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from tenants.models import Domain, School

# Clause 3.1 sections that are complete and not stale, as a share of the mandatory ones.
_MANDATORY = Q(ledger_entries__mandatory=True)
_MANDATORY_OK = _MANDATORY & Q(ledger_entries__complete=True, ledger_entries__stale_since__isnull=True)

OVERVIEW_ORDERINGS = {
    "name": ("name_kk", "pk"),
    "-name": ("-name_kk", "-pk"),
    "score": (F("score").asc(nulls_first=True), "name_kk"),
    "-score": (F("score").desc(nulls_last=True), "name_kk"),
    "stale": ("-stale_sections", "name_kk"),
    "pending": ("-pending_reviews", "name_kk"),
    "district": ("district", "name_kk"),
    "created": ("-created_at", "pk"),
}


@dataclass(frozen=True)
class OverviewFilters:
    search: str = ""
    district: str = ""
    status: str = ""
    score_min: float | None = None
    score_max: float | None = None
    incomplete_only: bool = False
    stale_only: bool = False
    waiting_only: bool = False
    expired_licence_only: bool = False
    ordering: str = "created"


def school_overview(filters: OverviewFilters) -> QuerySet[School]:
    """Every school with its compliance figures from the ledger (compliance.LedgerEntry), filtered and sorted."""
    primary_host = Domain.objects.filter(tenant=OuterRef("pk"), is_primary=True).values("domain")[:1]
    schools = (
        School.objects.select_related("summary", "site_health")
        .annotate(
            primary_host=Subquery(primary_host),
            mandatory_total=Count("ledger_entries", filter=_MANDATORY),
            mandatory_ok=Count("ledger_entries", filter=_MANDATORY_OK),
            missing_items=Coalesce(Sum("ledger_entries__missing_count", filter=_MANDATORY), 0),
            stale_sections=Count("ledger_entries", filter=Q(ledger_entries__stale_since__isnull=False)),
            stale_since=Min("ledger_entries__stale_since"),
            pending_reviews=Coalesce(Sum("ledger_entries__pending_reviews"), 0),
            findings_waiting=Coalesce(Sum("ledger_entries__findings_waiting"), 0),
            last_update=Max("ledger_entries__last_updated"),
            scanned_at=Max("ledger_entries__scanned_at"),
        )
        .annotate(
            score=Case(
                When(mandatory_total=0, then=Value(None, output_field=FloatField())),
                default=100.0 * F("mandatory_ok") / F("mandatory_total"),
                output_field=FloatField(),
            )
        )
    )
    search = filters.search.strip()
    if search:
        schools = schools.filter(
            Q(name_kk__icontains=search)
            | Q(name_ru__icontains=search)
            | Q(name_en__icontains=search)
            | Q(short_name__icontains=search)
            | Q(bin__startswith=search)
        )
    if filters.district:
        schools = schools.filter(district=filters.district)
    if filters.status:
        schools = schools.filter(status=filters.status)
    if filters.score_min is not None:
        schools = schools.filter(score__gte=filters.score_min)
    if filters.score_max is not None:
        schools = schools.filter(score__lte=filters.score_max)
    if filters.incomplete_only:
        schools = schools.filter(missing_items__gt=0)
    if filters.stale_only:
        schools = schools.filter(stale_sections__gt=0)
    if filters.expired_licence_only:
        schools = schools.filter(summary__licence_expired=True)
    if filters.waiting_only:
        schools = schools.filter(Q(pending_reviews__gt=0) | Q(findings_waiting__gt=0))
    return schools.order_by(*OVERVIEW_ORDERINGS.get(filters.ordering, OVERVIEW_ORDERINGS["created"]))
