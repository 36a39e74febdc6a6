"""Fixtures for the publishing rules: a school in its schema, its people by role, drafts."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context

from regulation.roles import Role
from school_sections.models import NewsIndexPage, NewsPage
from workflows.screening.corpus import DEFAULT_CORPUS, corpus_examples


@pytest.fixture
def school_site(make_school):
    provisioned = make_school(subdomain="rules")
    with schema_context(provisioned.school.schema_name):
        yield provisioned


@pytest.fixture
def people(school_site):
    """The provisioned director and administrator, plus a teacher responsible for news and a chief editor."""
    from workflows.services import responsibility_set

    User = get_user_model()

    def person(email, role):
        user = User.objects.create_user(email, email=email, first_name=email.split("@")[0].title())
        user.groups.add(Group.objects.get(name=role.value))
        return user

    teacher = person("teacher@rules.kz", Role.EDITORIAL_MEMBER)
    responsibility_set(section=NewsIndexPage.objects.get(), people=[teacher])
    return {
        "director": User.objects.get(groups__name=Role.DIRECTOR.value),
        "administrator": User.objects.get(groups__name=Role.SITE_ADMINISTRATOR.value),
        "teacher": User.objects.get(pk=teacher.pk),
        "chief_editor": person("chief@rules.kz", Role.CHIEF_EDITOR),
    }


def prohibited_example(clause: str, language: str) -> str:
    return corpus_examples(DEFAULT_CORPUS / "prohibited" / f"{clause}.{language}.txt")[0]


def news_draft(author, *, title="School news", intro="<p>The school choir won the city contest.</p>"):
    """A news item drafted (not published) by ``author``, as the editor saves it."""
    index = NewsIndexPage.objects.get()
    page = index.add_child(instance=NewsPage(title=title, intro_en=intro, live=False, owner=author))
    page.save_revision(user=author)
    return page
