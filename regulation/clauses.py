"""Every clause of the regulation (sections 1-5) and where the platform carries it out.

The map ``docs/regulation.md`` is generated from this list and from the tests' names (``regulation.traceability``):
a clause's tests are the test functions named after its code (``test_3_1_4_…`` for 3.1.4). Each rule is a
place in the code, ``path::name`` (a function, class or constant defined at the top of that file) or a data
file's path; the generator refuses a place that does not exist, so the map cannot point at removed code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Clause:
    code: str
    says: str  # the platform's reading of the clause, in English (regulation.md)
    rules: tuple[str, ...]  # where the platform carries it out; empty only where the clause asks nothing of software
    asks_software: bool = True


CLAUSES: tuple[Clause, ...] = (
    Clause("1.1", "The site is public: anyone may visit it, on the school's own subdomain.",
           ("tenants/middleware.py::SchoolTenantMiddleware", "school_sections/models/home.py::SchoolHomePage")),
    Clause("1.2", "The head appoints the site administrator, who removes outdated information; removal archives, "
                  "never destroys.",
           ("workflows/services.py::site_administrator_replace", "accounts/people.py::appointed_role_step_in",
            "workflows/archive.py::page_archive", "workflows/archive.py::document_archive",
            "workflows/views/images.py", "workflows/archive.py::archival_delete")),
    Clause("1.3", "Readable, accessible pages in Kazakh, Russian and English, with a low-vision mode.",
           ("school_sections/views/site.py::low_vision_toggle", "school_sections/translation.py::translated")),
    Clause("1.4", "The school council's decision approving the site's rules is recorded and shown.",
           ("school_sections/completeness.py::documents_missing", "school_sections/blocks.py::DOCUMENT_TYPES",
            "templates/school_sections/sections/documentspage.html")),
    Clause("2.1", "Purpose: develop the education system's information on the internet.", (), asks_software=False),
    Clause("2.2.1", "Open, accurate, systematic: public, structured and searchable sites.",
           ("school_sections/views/site.py::search_view", "regulation/catalogue.py::CATALOGUE")),
    Clause("2.2.2", "Relations between pupils, parents and teachers: news, events and contacts that reach parents.",
           ("school_sections/models/optional.py::NewsPage", "school_sections/models/optional.py::EventPage",
            "school_sections/feeds.py::NewsRssFeed", "school_sections/feeds.py::events_ical")),
    Clause("2.2.3", "Timely information: an update period per section, reminders on stale content.",
           ("compliance/freshness.py::school_freshness", "compliance/freshness.py::update_period_days")),
    Clause("2.2.4", "Pedagogical experience: sections for teachers' materials and experience.",
           ("regulation/catalogue.py::CATALOGUE", "school_sections/teaching_materials.py::teaching_materials")),
    Clause("2.2.5", "Organise education positively.", (), asks_software=False),
    Clause("2.2.6", "A regional layer over all school sites: overview and compliance across the region.",
           ("compliance/overview.py::school_overview", "console/views/console.py::school_list_view")),
    Clause("3.1.1", "Contact information: legal address, phone numbers, e-mail addresses.",
           ("school_sections/models/mandatory.py::ContactsPage", "school_sections/completeness.py::contacts_missing")),
    Clause("3.1.2", "Administration: the head and the deputies, with contact and reception hours.",
           ("school_sections/models/mandatory.py::AdministrationPage",
            "school_sections/completeness.py::administration_missing")),
    Clause("3.1.3", "Electronic documents: charter, licence, annual reports, other dated documents.",
           ("school_sections/models/mandatory.py::DocumentsPage",
            "school_sections/completeness.py::documents_missing")),
    Clause("3.1.4", "Admission rules.",
           ("school_sections/models/mandatory.py::AdmissionRulesPage",
            "school_sections/completeness.py::admission_missing")),
    Clause("3.1.5", "Organisation of the educational process: schedules, curricula, regulations.",
           ("school_sections/models/mandatory.py::EducationalProcessPage", "school_sections/completeness.py::RULES")),
    Clause("3.1.6", "Areas of activity: research work, olympiads, creative work.",
           ("school_sections/models/mandatory.py::ActivitiesPage", "school_sections/completeness.py::RULES")),
    Clause("3.1.7", "Teachers, staff and graduates: staff with education, length of service and attestation; "
                    "graduates by year.",
           ("school_sections/models/mandatory.py::StaffPage", "school_sections/completeness.py::staff_missing")),
    Clause("3.1.8", "Achievements.",
           ("school_sections/models/mandatory.py::AchievementsPage", "school_sections/completeness.py::RULES")),
    *(
        Clause(code, f"Optional section: {title}.",
               ("regulation/catalogue.py::CATALOGUE", "school_sections/models/optional.py::OptionalSectionPage",
                "school_sections/services.py::section_enable"))
        for code, title in (
            ("3.2.1", "extracurricular activities"),
            ("3.2.2", "school activities"),
            ("3.2.3", "the pedagogical team's experience"),
            ("3.2.4", "students' creative works"),
        )
    ),
    Clause("3.2.5", "Optional section: teachers' materials by subject and teacher, filterable.",
           ("school_sections/blocks.py::TeachingMaterialBlock",
            "school_sections/teaching_materials.py::teaching_materials",
            "school_sections/services.py::section_enable")),
    *(
        Clause(code, f"Optional section: {title}.",
               ("regulation/catalogue.py::CATALOGUE", "school_sections/models/optional.py::OptionalSectionPage",
                "school_sections/services.py::section_enable"))
        for code, title in (("3.2.6", "distance learning"), ("3.2.7", "graduates (alumni)"))
    ),
    *(
        Clause(code, f"Prohibited: {what}; screened before publication.",
               ("workflows/fixtures/screening_rules.json", "workflows/fixtures/screening_concepts",
                "workflows/screening/matcher.py::text_findings", "workflows/publication.py::publication_check"))
        for code, what in (
            ("3.3.1", "calls to violence, coercion, ethnic or religious hatred"),
            ("3.3.2", "what damages the honour and dignity of the school or its people"),
            ("3.3.4", "propaganda of violence, sex, drugs, anything dangerous to life"),
            ("3.3.5", "advertising of other organisations"),
            ("3.3.6", "information contrary to the law of Kazakhstan"),
        )
    ),
    Clause("4.1", "The head answers for the information: sees everything, receives escalations, every publication "
                  "records who approved it.",
           ("regulation/roles.py::Role", "compliance/escalation.py::escalate")),
    Clause("4.2", "The administrator answers for what is published: only they publish; an audit trail shows who "
                  "published what and when.",
           ("regulation/permissions.py::user_may", "workflows/audit.py::audit_entries")),
    Clause("5.1", "The editorial group: chief editor and members (teachers, pupils, parents) draft, never publish.",
           ("regulation/roles.py::Role",)),
    Clause("5.2", "Public reading for all; sign-in for staff, pupils and parents to read what is meant for them.",
           ("accounts/readers.py", "accounts/privacy.py", "accounts/views/readers_site.py")),
    Clause("5.3", "The head, the deputies and the methodological team leaders edit the sections they answer for.",
           ("regulation/roles.py::Role", "workflows/services.py::responsibility_set")),
    Clause("5.4", "Every section has named responsible people; reminders and escalations go to them.",
           ("workflows/services.py::responsibility_set", "workflows/publication.py::sections_without_responsible")),
    Clause("5.5", "Everything goes to the administrator, who places it: submit, review, publish; a rejection "
                  "carries a comment.",
           ("workflows/rejection.py",)),
    Clause("5.6", "Management supervises the site's technical state: broken links, missing files and content, "
                  "stale sections on the dashboards.",
           ("compliance/health/check.py", "school_sections/selectors.py::school_completeness")),
    Clause("5.7", "The update rules run periodically: stale content is found, reminded, then escalated.",
           ("compliance/tasks.py::scan_dispatch", "compliance/escalation.py::escalation_steps")),
)  # fmt: skip

CLAUSES_BY_CODE = {clause.code: clause for clause in CLAUSES}
