"""The section pages of a school read in one query (issue 14), each exactly as Django would load it."""

from django_tenants.utils import schema_context
from wagtail.models import Page

from regulation import catalogue
from school_sections.models import ContactsPage, SchoolHomePage
from school_sections.section_pages import section_pages
from school_sections.services import section_enable


def test_each_section_page_comes_as_its_own_type_with_every_field_as_django_loads_it(
    make_school, django_assert_num_queries
):
    provisioned = make_school(subdomain="onequery")
    with schema_context(provisioned.school.schema_name):
        optional = next(entry for entry in catalogue.OPTIONAL if entry.code.startswith("3.2."))
        section_enable(home=SchoolHomePage.objects.get(), code=optional.code)
        contacts = ContactsPage.objects.get()
        contacts.phones = [("phone", {"number": "+7 701 000 00 00", "label_kk": "", "label_ru": "", "label_en": ""})]
        contacts.save_revision().publish()

        with django_assert_num_queries(1):
            pages = section_pages()

        in_tree = {page.specific.section_code: page.specific for page in Page.objects.filter(depth=3)}
        assert set(pages) == set(in_tree) and optional.code in pages
        for code, page in pages.items():
            expected = in_tree[code]
            assert type(page) is type(expected)
            for field in type(page)._meta.concrete_fields:
                mine, django = (field.get_prep_value(getattr(each, field.attname)) for each in (page, expected))
                assert mine == django, (code, field.name)
        assert [block.value["number"] for block in pages["3.1.1"].phones] == ["+7 701 000 00 00"]
