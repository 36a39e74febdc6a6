"""What each mandatory section of clause 3.1 must hold to be complete: one rule per clause code.

Each rule reads one published section page and returns what it still lacks, in plain words (the
active language; the compliance scan runs them in English so the ledger keeps source messages).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from school_sections.document_access import RestrictionsByCollection, collection_restrictions, document_is_public

Rule = Callable[..., list[str]]


def section_missing(page, today: datetime.date, *, restrictions: RestrictionsByCollection | None = None) -> list[str]:
    """What the section ``page`` still lacks under its clause (nothing for a section without a rule);
    ``restrictions``: the document collections' view restrictions when the caller has read them already."""
    if page.section_code == DOCUMENTS_CODE:
        return documents_missing(page, today, restrictions=restrictions)
    return RULES.get(page.section_code, _no_rule)(page, today)


def _no_rule(page, today) -> list[str]:
    return []


def _any_language(obj, name: str) -> bool:
    get = obj.get if isinstance(obj, dict) else lambda key: getattr(obj, key, "")
    return any((get(f"{name}_{language}") or "").strip() for language in ("kk", "ru", "en"))


def _blocks(stream) -> list[dict]:
    return [child.value for child in stream]


def contacts_missing(page, today) -> list[str]:
    """Clause 3.1.1: a legal address, a phone number and an e-mail address."""
    missing = []
    if not _any_language(page, "legal_address"):
        missing.append(_("legal address missing"))
    if not len(page.phones):
        missing.append(_("phone number missing"))
    if not len(page.emails):
        missing.append(_("e-mail address missing"))
    return missing


def _reachable(person: dict) -> bool:
    return bool((person.get("phone") or "").strip() or (person.get("email") or "").strip())


def administration_missing(page, today) -> list[str]:
    """Clause 3.1.2: exactly one head, and the deputies (or the school's word that it has none), each with
    a way to reach them and their reception hours."""
    people = _blocks(page.people)
    heads = [person for person in people if person["role"] == "head"]
    deputies = [person for person in people if person["role"] == "deputy"]
    missing = []
    if not heads:
        missing.append(_("no head of school"))
    elif len(heads) > 1:
        missing.append(_("more than one head of school"))
    else:
        if not _reachable(heads[0]):
            missing.append(_("no phone number or e-mail address for the head of school"))
        if not _any_language(heads[0], "reception_hours"):
            missing.append(_("no reception hours for the head of school"))
    if not deputies and not page.no_deputies:
        missing.append(_("no deputy heads listed, and the school has not declared it has none"))
    if deputies and not all(_reachable(deputy) for deputy in deputies):
        missing.append(_("a deputy head has no phone number or e-mail address"))
    if deputies and not all(_any_language(deputy, "reception_hours") for deputy in deputies):
        missing.append(_("a deputy head has no reception hours"))
    return missing


def annual_report_required_since(today: datetime.date) -> datetime.date:
    """The annual report is due each year by settings.ANNUAL_REPORT_DUE (month, day; 1 September by
    default): once that day has passed, a report dated within the school year before it must be there."""
    month, day = settings.ANNUAL_REPORT_DUE
    last_due = datetime.date(today.year, month, day)
    if last_due > today:
        last_due = last_due.replace(year=today.year - 1)
    return last_due.replace(year=last_due.year - 1)


DOCUMENTS_CODE = "3.1.3"


def downloadable_documents(page, restrictions: RestrictionsByCollection | None = None) -> list[dict]:
    """The documents section's entries anyone can download: a block whose file was deleted from the library
    has nothing to download, and one filed for readers (clause 5.2) is not published for everyone."""
    entries = _blocks(page.documents)
    if restrictions is None:
        restrictions = collection_restrictions() if entries else {}
    return [document for document in entries if document_is_public(document["document"], restrictions)]


def documents_licence_expired(
    page, today: datetime.date, restrictions: RestrictionsByCollection | None = None
) -> bool:
    """Clause 3.1.3: the documents section has licences and every one of them is past its end date (the
    daily scan tells the region, compliance.freshness)."""
    documents = downloadable_documents(page, restrictions)
    licences = [document for document in documents if document["document_type"] == "licence"]
    return bool(licences) and all(document["valid_until"] and document["valid_until"] < today for document in licences)


def documents_missing(page, today, restrictions: RestrictionsByCollection | None = None) -> list[str]:
    """Clause 3.1.3: the charter, a valid licence and last school year's report; clause 1.4: the council's
    decision that approved the site's rules, which the documents page shows first."""
    if restrictions is None:
        restrictions = collection_restrictions()
    documents = downloadable_documents(page, restrictions)
    kinds = {document["document_type"] for document in documents}
    missing = []
    if "charter" not in kinds:
        missing.append(_("charter document missing"))
    if "licence" not in kinds:
        missing.append(_("licence document missing"))
    elif documents_licence_expired(page, today, restrictions):
        missing.append(_("the licence has expired"))
    reports = [document["date"] for document in documents if document["document_type"] == "annual_report"]
    if not reports:
        missing.append(_("annual report missing"))
    elif max(reports) < annual_report_required_since(today):
        missing.append(_("no annual report for the last school year"))
    if "council_decision" not in kinds:
        missing.append(_("no decision of the school council approving the rules of the site (clause 1.4)"))
    return missing


def admission_missing(page, today) -> list[str]:
    """Clause 3.1.4: the rules for admitting pupils, as text in any language or as a document."""
    if _any_language(page, "rules") or len(page.documents):
        return []
    return [_("admission rules missing")]


def staff_missing(page, today) -> list[str]:
    """Clause 3.1.7: the teachers with their subjects, education and length of service; the graduates by
    year (or the school's word that it has none yet)."""
    staff = _blocks(page.staff)
    teachers = [member for member in staff if _any_language(member, "subjects")]
    missing = []
    if not staff:
        missing.append(_("no teachers or staff listed"))
    elif not teachers:
        missing.append(_("no subjects given for the teachers"))
    if any(not _any_language(teacher, "education") for teacher in teachers):
        missing.append(_("education not given for a teacher"))
    if any(not teacher.get("teaching_since") for teacher in teachers):
        missing.append(_("length of service not given for a teacher"))
    if not len(page.graduates) and not page.no_graduates_yet:
        missing.append(_("no graduates listed, and the school has not declared it has none yet"))
    return missing


def _stream_not_empty(attribute: str, message: str) -> Rule:
    def rule(page, today) -> list[str]:
        return [] if len(getattr(page, attribute)) else [_(message)]

    return rule


RULES: dict[str, Rule] = {
    "3.1.1": contacts_missing,
    "3.1.2": administration_missing,
    "3.1.3": documents_missing,
    "3.1.4": admission_missing,
    "3.1.5": _stream_not_empty("items", gettext_noop("no schedule, curriculum or regulation")),
    "3.1.6": _stream_not_empty("entries", gettext_noop("no entry on research work, olympiads or creative work")),
    "3.1.7": staff_missing,
    "3.1.8": _stream_not_empty("achievements", gettext_noop("no achievements listed")),
}
