"""The regulation's sections of a school site, as code: the one source for provisioning,
navigation, completeness and reminders.

Each entry is a clause of ``regulation.md`` (3.1.1-3.1.8 mandatory, 3.2.1-3.2.7
optional) plus the platform's news and events. The clause code is the stable key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Section:
    code: str  # the regulation's clause, e.g. "3.1.1"; "news" and "events" are the platform's own
    slug: str
    title: StrOrPromise  # lazily translated: kk, ru and en catalogues
    mandatory: bool
    order: int
    update_period_days: int  # how long content may go unchanged before it counts as stale (5.7)
    page_model: str  # "app_label.ModelName" of the section's page type
    complete_when: StrOrPromise  # what "complete" means, in plain words (shown to editors)

    @property
    def clause(self) -> str:
        """The clause number shown before the title ("3.1.1"); nothing for the platform's own sections."""
        return self.code if self.code[:1].isdigit() else ""


CATALOGUE: tuple[Section, ...] = (
    Section("3.1.1", "contacts", _("Contact information"), True, 10, 365,
            "school_sections.ContactsPage",
            _("A legal address, at least one phone number and at least one e-mail address.")),
    Section("3.1.2", "administration", _("Administration"), True, 20, 365,
            "school_sections.AdministrationPage",
            _("Exactly one head of school, with name and position.")),
    Section("3.1.3", "documents", _("Electronic documents"), True, 30, 365,
            "school_sections.DocumentsPage",
            _("The charter, the licence and the latest annual report.")),
    Section("3.1.4", "admission", _("Admission rules"), True, 40, 365,
            "school_sections.AdmissionRulesPage",
            _("The rules for admitting pupils, as text or a document.")),
    Section("3.1.5", "educational-process", _("Organisation of the educational process"), True, 50, 180,
            "school_sections.EducationalProcessPage",
            _("At least one schedule, curriculum or regulation.")),
    Section("3.1.6", "activities", _("Areas of activity"), True, 60, 180,
            "school_sections.ActivitiesPage",
            _("At least one dated entry: research work, an olympiad or creative work.")),
    Section("3.1.7", "staff", _("Teachers, staff and graduates"), True, 70, 365,
            "school_sections.StaffPage",
            _("At least one member of staff with their subjects.")),
    Section("3.1.8", "achievements", _("Achievements"), True, 80, 365,
            "school_sections.AchievementsPage",
            _("At least one dated achievement with its level.")),
    Section("3.2.1", "extracurricular", _("Extracurricular activities"), False, 110, 180,
            "school_sections.OptionalSectionPage", _("At least one dated entry.")),
    Section("3.2.2", "school-life", _("School activities"), False, 120, 180,
            "school_sections.OptionalSectionPage", _("At least one dated entry.")),
    Section("3.2.3", "pedagogical-experience", _("Pedagogical experience"), False, 130, 365,
            "school_sections.OptionalSectionPage", _("At least one dated entry.")),
    Section("3.2.4", "creative-works", _("Students' creative works"), False, 140, 365,
            "school_sections.OptionalSectionPage", _("At least one dated entry.")),
    Section("3.2.5", "teaching-materials", _("Teachers' materials by subject"), False, 150, 365,
            "school_sections.OptionalSectionPage", _("At least one dated entry.")),
    Section("3.2.6", "distance-learning", _("Distance learning"), False, 160, 180,
            "school_sections.OptionalSectionPage", _("At least one dated entry.")),
    Section("3.2.7", "alumni", _("Graduates"), False, 170, 365,
            "school_sections.OptionalSectionPage", _("At least one dated entry.")),
    Section("news", "news", _("News"), False, 200, 30,
            "school_sections.NewsIndexPage", _("At least one news item.")),
    Section("events", "events", _("Events"), False, 210, 30,
            "school_sections.EventIndexPage", _("At least one event.")),
)  # fmt: skip

SECTIONS_BY_CODE = {section.code: section for section in CATALOGUE}
# Created with every school: the regulation's mandatory sections, and news and events,
# which the home page shows (optional sections are enabled by the site administrator).
PROVISIONED = tuple(section for section in CATALOGUE if section.mandatory or section.code in {"news", "events"})
MANDATORY = tuple(section for section in CATALOGUE if section.mandatory)
OPTIONAL = tuple(section for section in CATALOGUE if not section.mandatory)


def section(code: str) -> Section:
    """The catalogue entry for a clause code; KeyError names an unknown code."""
    return SECTIONS_BY_CODE[code]
