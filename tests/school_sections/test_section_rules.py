"""Each mandatory section's own rule (clauses 3.1.4-3.1.8) and the teachers' materials section (3.2.5):
what makes it complete, what does not, and what its public page shows."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page

from school_sections.models import (
    AchievementsPage,
    ActivitiesPage,
    AdmissionRulesPage,
    EducationalProcessPage,
    OptionalSectionPage,
    SchoolHomePage,
    StaffPage,
)
from school_sections.selectors import school_completeness
from school_sections.services import section_enable
from workflows.services import responsibility_set

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def site(make_school):
    """A new school whose administrator is responsible for every section (clause 5.4)."""
    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        administrator = get_user_model().objects.get(email=provisioned.invitations[-1].email)
        for section in Page.objects.filter(depth=3):
            responsibility_set(section=section, people=[administrator])
        yield provisioned


def _missing(code):
    (state,) = [state for state in school_completeness(today=TODAY).sections if state.section.code == code]
    return state.missing


def _public(site, client_for, path):
    response = client_for(site.hostname).get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _dated(title, **fields):
    return {"date": TODAY, "title_en": title, "text_en": "", "document": None, **fields}


def test_3_1_4_admission_rules_are_complete_with_rules_in_any_language(site, client_for):
    assert _missing("3.1.4") == ["admission rules missing"]
    page = AdmissionRulesPage.objects.get()
    page.rules_ru = "<p>Приём в 1 класс с 1 апреля по 31 августа.</p>"
    page.save_revision().publish()
    assert _missing("3.1.4") == []
    assert "Приём в 1 класс" in _public(site, client_for, "/admission/")


def test_3_1_5_the_educational_process_needs_a_schedule_curriculum_or_regulation(site, client_for):
    assert _missing("3.1.5") == ["no schedule, curriculum or regulation"]
    page = EducationalProcessPage.objects.get()
    page.items = [("item", _dated("Timetable for the second term", kind="schedule"))]
    page.save_revision().publish()
    assert _missing("3.1.5") == []
    assert "Timetable for the second term" in _public(site, client_for, "/educational-process/")


def test_3_1_6_areas_of_activity_need_a_dated_entry(site, client_for):
    assert _missing("3.1.6") == ["no entry on research work, olympiads or creative work"]
    page = ActivitiesPage.objects.get()
    page.entries = [("entry", _dated("Regional chemistry olympiad", kind="olympiad"))]
    page.save_revision().publish()
    assert _missing("3.1.6") == []
    assert "Regional chemistry olympiad" in _public(site, client_for, "/activities/")


def _teacher(**fields):
    return {
        "full_name": "Saparov Daniyar",
        "position_en": "Physics teacher",
        "subjects_en": "Physics",
        "qualification_category": "expert",
        "education_en": "Higher, Semey Pedagogical Institute, 2008",
        "teaching_since": 2008,
        "attestation_date": datetime.date(2024, 5, 20),
        "photo": None,
        **fields,
    }


def _set_staff(*members, graduates=(), no_graduates_yet=False):
    page = StaffPage.objects.get()
    page.staff = [("member", member) for member in members]
    page.graduates = [("year", {"year": year, "text_en": text, "document": None}) for year, text in graduates]
    page.no_graduates_yet = no_graduates_yet
    page.save()
    return page


def test_3_1_7_teachers_need_subjects_education_and_length_of_service(site):
    assert _missing("3.1.7") == [
        "no teachers or staff listed",
        "no graduates listed, and the school has not declared it has none yet",
    ]
    _set_staff(_teacher(subjects_en=""), no_graduates_yet=True)
    assert _missing("3.1.7") == ["no subjects given for the teachers"]
    _set_staff(_teacher(), _teacher(education_en="", teaching_since=None), no_graduates_yet=True)
    assert _missing("3.1.7") == ["education not given for a teacher", "length of service not given for a teacher"]
    # A librarian teaches no subject: no education or service is asked of them here.
    _set_staff(_teacher(), _teacher(subjects_en="", education_en="", teaching_since=None), no_graduates_yet=True)
    assert _missing("3.1.7") == []


def test_3_1_7_graduates_by_year_or_a_new_school_declares_it_has_none_yet(site, client_for):
    _set_staff(_teacher())
    assert _missing("3.1.7") == ["no graduates listed, and the school has not declared it has none yet"]
    page = _set_staff(_teacher(), no_graduates_yet=True)
    assert _missing("3.1.7") == []
    page.save_revision().publish()
    assert "The school has no graduates yet." in _public(site, client_for, "/staff/")
    page = _set_staff(_teacher(), graduates=[(2026, "46 graduates, 5 with the Altyn Belgi award")])
    assert _missing("3.1.7") == []
    page.save_revision().publish()
    body = _public(site, client_for, "/staff/")
    assert "46 graduates, 5 with the Altyn Belgi award" in body
    assert "The school has no graduates yet." not in body


def test_3_1_7_the_staff_page_shows_education_service_and_attestation(site, client_for):
    _set_staff(_teacher(), no_graduates_yet=True).save_revision().publish()
    body = _public(site, client_for, "/staff/")
    years = timezone.localdate().year - 2008
    assert "Education: Higher, Semey Pedagogical Institute, 2008" in body
    assert f"Length of service: {years} years" in body
    assert 'Last attestation: <time datetime="2024-05-20">' in body


def test_3_1_8_achievements_need_a_dated_entry_with_its_level(site, client_for):
    assert _missing("3.1.8") == ["no achievements listed"]
    page = AchievementsPage.objects.get()
    page.achievements = [("achievement", _dated("First place in the city robotics cup", level="district"))]
    page.save_revision().publish()
    assert _missing("3.1.8") == []
    body = _public(site, client_for, "/achievements/")
    assert "First place in the city robotics cup" in body and "District" in body


def _material(subject, teacher, title, day):
    return {
        "subject_en": subject,
        "teacher": teacher,
        "title_en": title,
        "date": datetime.date(2026, 10, day),
        "text_en": "",
        "document": None,
    }


@pytest.fixture
def materials_section(site):
    administrator = get_user_model().objects.get(email=site.invitations[-1].email)
    page = section_enable(home=SchoolHomePage.objects.get(), code="3.2.5", user=administrator)
    page = OptionalSectionPage.objects.get(pk=page.pk)
    page.materials = [
        ("material", _material("Physics", "Saparov Daniyar", "Newton's laws: worksheet", 3)),
        ("material", _material("Physics", "Kim Elena", "Optics: lab guide", 9)),
        ("material", _material("Mathematics", "Kim Elena", "Fractions: lesson plan", 5)),
    ]
    page.save_revision().publish()
    return page


def test_3_2_5_materials_are_shown_by_subject_and_filtered_by_subject_and_teacher(site, client_for, materials_section):
    url = materials_section.url
    body = _public(site, client_for, url)
    assert body.index("<h2>Mathematics</h2>") < body.index("<h2>Physics</h2>")  # subjects in alphabetical order
    assert body.index("Optics: lab guide") < body.index("Newton&#x27;s laws")  # newest first within a subject
    physics = _public(site, client_for, f"{url}?subject=physics")
    assert "Optics: lab guide" in physics and "Newton&#x27;s laws" in physics and "Fractions" not in physics
    kim = _public(site, client_for, f"{url}?teacher=Kim+Elena")
    assert "Optics: lab guide" in kim and "Fractions: lesson plan" in kim and "Newton&#x27;s laws" not in kim
    both = _public(site, client_for, f"{url}?subject=Physics&teacher=Kim+Elena")
    assert "Optics: lab guide" in both and "Fractions" not in both and "Newton&#x27;s laws" not in both
    nothing = _public(site, client_for, f"{url}?subject=Chemistry")
    assert "No materials match this choice." in nothing and "Optics" not in nothing


def test_3_2_5_only_the_materials_section_offers_materials_to_its_editor(site, materials_section):
    from school_sections.page_forms import OptionalSectionPageForm

    form_class = OptionalSectionPage.get_edit_handler().get_form_class()
    assert issubclass(form_class, OptionalSectionPageForm)
    assert "materials" in form_class(instance=materials_section, for_user=None).fields
    administrator = get_user_model().objects.get(email=site.invitations[-1].email)
    alumni = OptionalSectionPage.objects.get(
        pk=section_enable(home=SchoolHomePage.objects.get(), code="3.2.7", user=administrator).pk
    )
    assert "materials" not in form_class(instance=alumni, for_user=None).fields


def _optional_section_shows_its_entry(site, client_for, code: str, title: str) -> None:
    """An optional section (3.2) is off until the administrator enables it; then it is in the menu and its
    dated entries are on its page; it never counts towards the mandatory sections."""
    administrator = get_user_model().objects.get(email=site.invitations[-1].email)
    assert code not in {state.section.code for state in school_completeness(today=TODAY).sections}
    page = OptionalSectionPage.objects.get(
        pk=section_enable(home=SchoolHomePage.objects.get(), code=code, user=administrator).pk
    )
    page.entries = [("entry", _dated(title))]
    page.save_revision().publish()
    body = _public(site, client_for, page.url)
    assert title in body
    assert f'href="{page.url}"' in _public(site, client_for, "/")  # the site's menu leads to it
    assert school_completeness(today=TODAY).mandatory_complete == 0  # optional: not one of the eight


def test_3_2_1_extracurricular_activities_are_enabled_and_show_their_entries(site, client_for):
    _optional_section_shows_its_entry(site, client_for, "3.2.1", "Nauryz concert in the assembly hall")


def test_3_2_2_school_activities_are_enabled_and_show_their_entries(site, client_for):
    _optional_section_shows_its_entry(site, client_for, "3.2.2", "The school newspaper, issue 4")


def test_3_2_3_pedagogical_experience_is_enabled_and_shows_its_entries(site, client_for):
    _optional_section_shows_its_entry(site, client_for, "3.2.3", "Criteria-based assessment in grade 5")


def test_3_2_4_students_creative_works_are_enabled_and_shown(site, client_for):
    _optional_section_shows_its_entry(site, client_for, "3.2.4", "Poems of grade 7 about the steppe")


def test_3_2_6_distance_learning_is_enabled_and_shows_its_entries(site, client_for):
    _optional_section_shows_its_entry(site, client_for, "3.2.6", "Online lessons during the cold days")


def test_3_2_7_the_graduates_section_is_enabled_and_shows_its_entries(site, client_for):
    _optional_section_shows_its_entry(site, client_for, "3.2.7", "Alumni meeting of the class of 2006")


def test_2_2_4_teachers_share_their_experience_and_materials_on_the_site(site, client_for, materials_section):
    """Clause 2.2.4 through its two sections: pedagogical experience (3.2.3) and materials by subject (3.2.5)."""
    _optional_section_shows_its_entry(site, client_for, "3.2.3", "Lesson study in the maths department")
    home = _public(site, client_for, "/")
    assert f'href="{materials_section.url}"' in home
    assert "Fractions: lesson plan" in _public(site, client_for, f"{materials_section.url}?teacher=Kim+Elena")


def test_3_2_5_a_subject_link_means_the_same_subject_in_every_language(site, client_for):
    administrator = get_user_model().objects.get(email=site.invitations[-1].email)
    page = OptionalSectionPage.objects.get(
        pk=section_enable(home=SchoolHomePage.objects.get(), code="3.2.5", user=administrator).pk
    )
    physics = {**_material("", "Saparov Daniyar", "Optics: lab guide", 9), "subject_kk": "Физика"}
    page.materials = [
        ("material", {**physics, "subject_en": "Physics"}),
        ("material", {**physics, "title_en": "Newton's laws: worksheet"}),  # its English name left out
        (
            "material",
            {**_material("Mathematics", "Kim Elena", "Fractions: lesson plan", 5), "subject_kk": "Математика"},
        ),
    ]
    page.save_revision().publish()
    english = _public(site, client_for, page.url)
    assert english.count("<h2>Physics</h2>") == 1  # one subject, though one item names it only in Kazakh
    assert '<option value="Физика">Physics</option>' in english
    for language in ("en", "ru", "kk"):
        chosen = client_for(site.hostname, language).get(page.url, {"subject": "Физика"}).content.decode()
        assert "Optics: lab guide" in chosen and "Newton" in chosen and "Fractions" not in chosen, language


def test_5_2_a_document_filed_for_readers_is_not_listed_to_others_nor_counted_as_published(site, client_for):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction

    from school_sections.models import DocumentsPage

    staff_only = Collection.get_first_root_node().add_child(instance=Collection(name="For staff"))
    CollectionViewRestriction.objects.create(collection=staff_only, restriction_type=BaseViewRestriction.LOGIN)

    def document(name, collection=None):
        made = Document(title=name, collection=collection or Collection.get_first_root_node())
        made.file.save(f"{name}.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        made.save()
        return made

    def entry(kind, made):
        return {"document_type": kind, "document": made, "title_en": made.title, "number": "1", "date": TODAY}

    page = DocumentsPage.objects.get()
    page.documents = [
        ("document", entry("charter", document("Charter"))),
        ("document", entry("licence", document("Licence"))),
        ("document", entry("annual_report", document("Report"))),
        ("document", entry("council_decision", document("Staff-only decision", staff_only))),
        ("document", entry("other", document("Staff salaries", staff_only))),
    ]
    page.save_revision().publish()
    assert _missing("3.1.3") == ["no decision of the school council approving the rules of the site (clause 1.4)"]
    anonymous = _public(site, client_for, "/documents/")
    assert "Charter" in anonymous
    assert "Staff salaries" not in anonymous and "Staff-only decision" not in anonymous
    assert "approved by the school council" not in anonymous
    signed_in = client_for(site.hostname)
    signed_in.force_login(get_user_model().objects.get(email=site.invitations[-1].email))
    body = signed_in.get("/documents/").content.decode()
    assert "Staff salaries" in body and "approved by the school council" in body
