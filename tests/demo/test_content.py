"""The demo fills every mandatory section, so that two demo schools are complete."""

from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context
from wagtail.models import Page

from demo.content import demo_content_fill
from school_sections.models import ContactsPage, NewsPage
from school_sections.selectors import school_completeness
from workflows.services import responsibility_set


def test_demo_content_makes_a_school_complete(make_school):
    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        demo_content_fill()
        administrator = get_user_model().objects.get(email=provisioned.invitations[-1].email)
        for section in Page.objects.filter(depth=3):
            responsibility_set(section=section, people=[administrator])
        completeness = school_completeness()
        assert completeness.missing == []
        assert completeness.is_complete
        assert ContactsPage.objects.get().phones[0].value["number"] == "+77222521234"  # stored in E.164
        assert NewsPage.objects.live().count() == 3


def test_every_document_of_the_demo_downloads(make_school, client_for):
    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        demo_content_fill()
    client = client_for(provisioned.hostname)
    body = client.get("/documents/").content.decode()
    assert "PDF" in body
    links = [part.split('"')[0] for part in body.split('href="')[1:] if part.startswith("/files/")]
    assert len(links) == 4
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert b"".join(response.streaming_content).startswith(b"%PDF")
