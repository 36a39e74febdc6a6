"""Clause 5.2 with the editors' second factor: a restricted page or document opens to a director or an
administrator only once they have passed it, as the editor does."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.documents.models import Document
from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction, PageViewRestriction

from regulation.roles import Role
from school_sections.models import NewsIndexPage, NewsPage
from tests.factories import login_verified


@pytest.fixture
def restricted(make_school):
    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        news = NewsIndexPage.objects.get().add_child(
            instance=NewsPage(title="Staff meeting", title_en="Staff meeting", date=timezone.localdate())
        )
        news.save_revision().publish()
        PageViewRestriction.objects.create(page=news, restriction_type=BaseViewRestriction.LOGIN)
        collection = Collection.get_first_root_node().add_child(instance=Collection(name="Signed in only"))
        CollectionViewRestriction.objects.create(collection=collection, restriction_type=BaseViewRestriction.LOGIN)
        document = Document(title="Minutes", collection=collection)
        document.file.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes"), save=False)
        document.save()
        director = get_user_model().objects.get(groups__name=Role.DIRECTOR.value)
        yield provisioned, news.url, document.url, director


def test_5_2_a_director_who_typed_only_a_password_passes_the_second_factor_before_a_restricted_item(
    restricted, client_for
):
    provisioned, page_url, document_url, director = restricted
    client = client_for(provisioned.hostname)
    client.force_login(director)  # signed in, the second factor not passed
    for url in (page_url, document_url):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/second-factor/?next="), url
    login_verified(client, director)
    assert client.get(page_url).status_code == 200
    assert client.get(document_url).status_code == 200


def test_5_2_a_public_page_costs_a_signed_in_editor_no_second_factor(restricted, client_for):
    provisioned, _page_url, _document_url, director = restricted
    client = client_for(provisioned.hostname)
    client.force_login(director)
    assert client.get("/").status_code == 200
