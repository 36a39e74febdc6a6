"""The floors above register with school_sections.hooks instead of being imported by it."""

import pytest
from django.core.exceptions import PermissionDenied

from school_sections.hooks import completeness_rules, publication_checks
from school_sections.models import NewsIndexPage, NewsPage
from school_sections.selectors import school_completeness
from workflows.archive import page_archive
from workflows.publication import publication_check, sections_without_responsible


def test_workflows_registered_its_checks_once():
    assert list(publication_checks()).count(publication_check) == 1
    assert list(completeness_rules()).count(sections_without_responsible) == 1


@pytest.mark.django_db
def test_the_completeness_rule_of_clause_5_4_reaches_the_sections_state(school_site, people):
    states = {state.section.code: state for state in school_completeness().sections}
    news = NewsIndexPage.objects.get()
    assert "nobody is responsible for this section" not in states[news.section_code].missing  # the teacher's
    unanswered = [state for state in states.values() if state.page is not None and state.page.pk != news.pk]
    assert unanswered and all("nobody is responsible for this section" in state.missing for state in unanswered)


@pytest.mark.django_db
def test_an_archived_page_is_refused_by_the_registered_check(school_site, people):
    news = NewsIndexPage.objects.get()
    item = news.add_child(instance=NewsPage(title="Old news", intro_en="<p>Last year's fair.</p>", live=False))
    revision = item.save_revision(user=people["administrator"])
    page_archive(page=item, user=people["administrator"], reason="Out of date.")
    with pytest.raises(PermissionDenied):
        revision.publish(user=people["administrator"])
