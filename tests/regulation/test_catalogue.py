"""The section catalogue (clause 3): one entry per clause, and the page types it names exist."""

from django.apps import apps

from regulation import catalogue

MANDATORY_CODES = ["3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.1.5", "3.1.6", "3.1.7", "3.1.8"]
OPTIONAL_CODES = ["3.2.1", "3.2.2", "3.2.3", "3.2.4", "3.2.5", "3.2.6", "3.2.7"]


def test_every_clause_of_section_3_is_in_the_catalogue_once():
    codes = [entry.code for entry in catalogue.CATALOGUE]
    assert [code for code in codes if code.startswith("3.1.")] == MANDATORY_CODES
    assert [code for code in codes if code.startswith("3.2.")] == OPTIONAL_CODES
    assert len(codes) == len(set(codes))
    assert [entry.code for entry in catalogue.MANDATORY] == MANDATORY_CODES


def test_entries_are_ordered_unique_and_complete():
    orders = [entry.order for entry in catalogue.CATALOGUE]
    assert orders == sorted(orders)
    slugs = [entry.slug for entry in catalogue.CATALOGUE]
    assert len(slugs) == len(set(slugs))
    for entry in catalogue.CATALOGUE:
        assert entry.update_period_days > 0
        assert str(entry.title) and str(entry.complete_when)
        assert apps.get_model(entry.page_model)


def test_titles_exist_in_kazakh_russian_and_english():
    from django.utils import translation

    for entry in catalogue.MANDATORY:
        titles = set()
        for language in ("kk", "ru", "en"):
            with translation.override(language):
                titles.add(str(entry.title))
        assert len(titles) == 3, entry.code


def test_new_schools_get_the_mandatory_sections_news_and_events():
    assert [entry.code for entry in catalogue.PROVISIONED] == [*MANDATORY_CODES, "news", "events"]
