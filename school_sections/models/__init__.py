"""Page types of a school's site (regulation clause 3)."""

from school_sections.models.home import SchoolHomePage
from school_sections.models.identity import SchoolIdentity
from school_sections.models.mandatory import (
    AchievementsPage,
    ActivitiesPage,
    AdministrationPage,
    AdmissionRulesPage,
    ContactsPage,
    DocumentsPage,
    EducationalProcessPage,
    StaffPage,
)
from school_sections.models.optional import EventIndexPage, EventPage, NewsIndexPage, NewsPage, OptionalSectionPage
from school_sections.models.search import SearchEntry

__all__ = [
    "AchievementsPage",
    "ActivitiesPage",
    "AdministrationPage",
    "AdmissionRulesPage",
    "ContactsPage",
    "DocumentsPage",
    "EducationalProcessPage",
    "EventIndexPage",
    "EventPage",
    "NewsIndexPage",
    "NewsPage",
    "OptionalSectionPage",
    "SchoolHomePage",
    "SchoolIdentity",
    "SearchEntry",
    "StaffPage",
]
