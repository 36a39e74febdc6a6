"""Clause 5.2: staff, parents and pupils sign in on their school's site and read what is meant for them.

A parents' page (restricted through the administrator's privacy dialog) and a document in the parents'
collection open to a parent who was invited or approved, and to nobody else: not a pupil, not an anonymous
visitor, not a parent of another school; a request waiting for the administrator grants nothing.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from accounts.models import ReaderRegistration
from accounts.readers import reader_collections, reader_groups, reader_invite
from regulation.roles import ReaderGroup, Role
from school_sections.models import NewsIndexPage, NewsPage
from tests.factories import login_verified

PASSWORD = "Correct-horse-battery-9"
PARENTS_TEXT = "The parents' meeting moves to Friday"
DOCUMENT_BYTES = b"%PDF-1.4 parents' minutes"


def _administrator():
    return get_user_model().objects.get(groups__name=Role.SITE_ADMINISTRATOR.value)


def _group_id(group: ReaderGroup) -> int:
    return next(found.pk for found in reader_groups() if found.name == group.value)


def restrict_through_the_privacy_dialog(client, schema_name: str, page, *groups: ReaderGroup) -> None:
    """The administrator's own way: Wagtail's privacy dialog, with our reader groups."""
    with schema_context(schema_name):
        group_ids = [_group_id(group) for group in groups]
    response = client.post(f"/admin/pages/{page.pk}/privacy/", {"restriction_type": "groups", "groups": group_ids})
    assert response.status_code == 200 and b"set_privacy_done" in response.content, response.content[:500]


def _set_password_from(client, url: str) -> None:
    """Follow an invitation link and set the password, as the person would."""
    path = re.sub(r"^https?://[^/]+", "", url)
    form = client.get(path, follow=True)
    response = client.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/", response.content[:300]
    client.post("/account/sign-out/")


@pytest.fixture
def parents_site(school, client_for):
    """School alpha with a page and a document for parents, restricted by its administrator."""
    admin_client = client_for(school.hostname)
    with schema_context(school.school.schema_name):
        administrator = _administrator()
        login_verified(admin_client, administrator)
        page = NewsIndexPage.objects.get().add_child(
            instance=NewsPage(title="For parents", title_en="For parents", body_en=f"<p>{PARENTS_TEXT}</p>")
        )
        page.save_revision().publish()
        document = Document(title="Minutes", collection=reader_collections()[ReaderGroup.PARENTS.value])
        document.file.save("minutes.pdf", ContentFile(DOCUMENT_BYTES), save=False)
        document.save()
        page_url, document_url = page.url, f"/files/{document.pk}/{document.filename}"
    restrict_through_the_privacy_dialog(admin_client, school.school.schema_name, page, ReaderGroup.PARENTS)
    return {"page": page_url, "document": document_url, "administrator": administrator, "admin": admin_client}


def _reader(school, client_for, email: str, group: ReaderGroup, by):
    client = client_for(school.hostname)
    with schema_context(school.school.schema_name):
        invitation = reader_invite(email=email, full_name=email.split("@", maxsplit=1)[0].title(), group=group, by=by)
    _set_password_from(client, invitation.url)
    return client


def _sign_in(client, email: str, next_path: str = ""):
    return client.post(f"/account/sign-in/?next={next_path}", {"username": email, "password": PASSWORD})


def test_5_2_an_invited_parent_signs_in_on_the_school_host_and_reads_the_parents_page_and_document(
    school, parents_site, client_for
):
    client = _reader(school, client_for, "mother@alpha.kz", ReaderGroup.PARENTS, parents_site["administrator"])
    response = _sign_in(client, "mother@alpha.kz", parents_site["page"])
    assert response.status_code == 302 and response["Location"] == parents_site["page"]
    page = client.get(parents_site["page"])
    assert page.status_code == 200 and PARENTS_TEXT in page.content.decode()
    assert "Signed in as Mother" in page.content.decode()
    document = client.get(parents_site["document"])
    assert document.status_code == 200 and b"".join(document.streaming_content) == DOCUMENT_BYTES
    client.post("/account/sign-out/")
    assert client.get(parents_site["page"]).status_code == 302  # signed out: the restriction holds again


def test_5_2_a_pupil_cannot_read_the_parents_page_or_document(school, parents_site, client_for):
    client = _reader(school, client_for, "pupil@alpha.kz", ReaderGroup.PUPILS, parents_site["administrator"])
    assert _sign_in(client, "pupil@alpha.kz").status_code == 302
    for path in (parents_site["page"], parents_site["document"]):
        response = client.get(path, follow=True)
        assert response.status_code == 403, path
        body = response.content.decode()
        assert "Not for your account" in body and PARENTS_TEXT not in body


def test_5_2_an_anonymous_visitor_is_sent_to_the_reader_sign_in(school, parents_site, client_for):
    client = client_for(school.hostname)
    for path in (parents_site["page"], parents_site["document"]):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/?next="), path
        sign_in = client.get(response["Location"])
        body = sign_in.content.decode()
        assert sign_in.status_code == 200 and PARENTS_TEXT not in body
        main = body[body.index("<main") :]
        assert "readers only" in main and 'name="password"' in main, main[:1500]  # ours, not Wagtail's


def test_5_2_a_parent_of_school_a_cannot_sign_in_on_school_b(school, other_school, parents_site, client_for):
    _reader(school, client_for, "father@alpha.kz", ReaderGroup.PARENTS, parents_site["administrator"])
    other = client_for(other_school.hostname)
    response = _sign_in(other, "father@alpha.kz")
    assert response.status_code == 200 and "do not match an account of this school" in response.content.decode()
    assert "Signed in as" not in other.get("/").content.decode()


def test_5_2_a_pending_registration_grants_nothing_until_the_administrator_approves(
    school, parents_site, client_for, django_capture_on_commit_callbacks
):
    client = client_for(school.hostname)
    response = client.post(
        "/account/register/",
        {"full_name": "Aigerim", "email": "aigerim@alpha.kz", "group": ReaderGroup.PARENTS.value, "note": "5 B"},
    )
    assert response.status_code == 200 and "will look at your request" in response.content.decode()
    registration = ReaderRegistration.objects.get(email="aigerim@alpha.kz")
    assert registration.school_id == school.school.pk and registration.status == "pending"
    with schema_context(school.school.schema_name):
        assert not get_user_model().objects.filter(email="aigerim@alpha.kz").exists()
    assert _sign_in(client, "aigerim@alpha.kz").status_code == 200  # the form again: no account
    assert client.get(parents_site["page"]).status_code == 302

    listing = parents_site["admin"].get("/admin/readers/")
    assert listing.status_code == 200 and "aigerim@alpha.kz" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        parents_site["admin"].post(f"/admin/readers/requests/{registration.pk}/approve/")
    registration.refresh_from_db()
    assert registration.status == "approved"
    (message,) = [message for message in mail.outbox if message.to == ["aigerim@alpha.kz"]]
    link = re.search(r"https?://\S+/invite/\S+", message.body).group(0)
    _set_password_from(client, link)
    _sign_in(client, "aigerim@alpha.kz")
    assert PARENTS_TEXT in client.get(parents_site["page"]).content.decode()


def test_5_2_a_declined_registration_opens_no_account(school, parents_site, client_for):
    client = client_for(school.hostname)
    client.post("/account/register/", {"full_name": "X", "email": "x@spam.kz", "group": ReaderGroup.PUPILS.value})
    registration = ReaderRegistration.objects.get(email="x@spam.kz")
    parents_site["admin"].post(f"/admin/readers/requests/{registration.pk}/decline/")
    registration.refresh_from_db()
    assert registration.status == "declined"
    with schema_context(school.school.schema_name):
        assert not get_user_model().objects.filter(email="x@spam.kz").exists()


def test_5_2_a_bad_registration_says_what_is_wrong_and_keeps_what_was_typed(school, client_for):
    client = client_for(school.hostname)
    response = client.post("/account/register/", {"full_name": "Dana", "email": "not-an-address", "group": "Director"})
    body = response.content.decode()
    assert response.status_code == 200 and 'value="Dana"' in body
    assert "Enter a valid email address." in body and "Select a valid choice" in body
    assert not ReaderRegistration.objects.filter(full_name="Dana").exists()


def test_5_2_registrations_from_one_network_are_limited(school, client_for):
    client = client_for(school.hostname)
    for number in range(6):
        response = client.post(
            "/account/register/",
            {"full_name": f"Bot {number}", "email": f"bot{number}@spam.kz", "group": ReaderGroup.PUPILS.value},
        )
    assert "Too many requests from your network" in response.content.decode()
    assert ReaderRegistration.objects.filter(email__startswith="bot").count() == 5


def test_5_2_the_response_to_a_signed_in_reader_is_private_and_unstored(school, parents_site, client_for):
    client = _reader(school, client_for, "aunt@alpha.kz", ReaderGroup.PARENTS, parents_site["administrator"])
    _sign_in(client, "aunt@alpha.kz")
    for path in (parents_site["page"], "/", "/news/"):
        cache_control = client.get(path)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control and "public" not in cache_control, path
    anonymous = client_for(school.hostname).get("/")
    assert "public" in anonymous["Cache-Control"] and "Sign in" in anonymous.content.decode()


def test_5_2_the_privacy_dialog_offers_the_reader_groups_not_the_editors_roles(school, parents_site):
    with schema_context(school.school.schema_name):
        page = NewsIndexPage.objects.get().get_children().first()
    body = parents_site["admin"].get(f"/admin/pages/{page.pk}/privacy/").content.decode()
    assert "Parents" in body and "Pupils" in body and "Teaching staff" in body
    assert Role.CHIEF_EDITOR.value not in body and Role.EDITORIAL_MEMBER.value not in body
    with schema_context(school.school.schema_name):
        assert PageViewRestriction.objects.get(page=page).groups.get().name == ReaderGroup.PARENTS.value


def test_5_2_readers_have_no_editor(school, parents_site, client_for):
    client = _reader(school, client_for, "staff@alpha.kz", ReaderGroup.STAFF, parents_site["administrator"])
    _sign_in(client, "staff@alpha.kz")
    assert client.get("/admin/").status_code == 302  # Wagtail sends them to its own sign-in: no access
    with schema_context(school.school.schema_name):
        reader = get_user_model().objects.get(email="staff@alpha.kz")
        assert not reader.has_perm("wagtailadmin.access_admin")
        assert [group.name for group in reader.groups.all()] == [ReaderGroup.STAFF.value]


def test_5_2_a_restricted_document_goes_out_private_and_unstored_and_a_public_one_keeps_its_headers(
    school, parents_site, client_for
):
    client = _reader(school, client_for, "granny@alpha.kz", ReaderGroup.PARENTS, parents_site["administrator"])
    _sign_in(client, "granny@alpha.kz")
    restricted = client.get(parents_site["document"])
    assert restricted.status_code == 200 and b"".join(restricted.streaming_content) == DOCUMENT_BYTES
    assert restricted["Cache-Control"] == "private, no-store"

    with schema_context(school.school.schema_name):
        public = Document(title="Timetable")  # the root collection: no restriction
        public.file.save("timetable.pdf", ContentFile(b"%PDF-1.4 timetable"), save=False)
        public.save()
        public_url = f"/files/{public.pk}/{public.filename}"
    for visitor in (client, client_for(school.hostname)):
        response = visitor.get(public_url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 timetable"
        assert "no-store" not in response.get("Cache-Control", "")


def test_5_2_an_editor_is_sent_from_the_readers_form_to_the_editors_sign_in(school, parents_site, client_for):
    with schema_context(school.school.schema_name):
        administrator = parents_site["administrator"]
        administrator.set_password(PASSWORD)
        administrator.save()
        restricted = NewsIndexPage.objects.get().add_child(
            instance=NewsPage(title="Signed in only", title_en="Signed in only", body_en="<p>For members</p>")
        )
        restricted.save_revision().publish()
        PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
        restricted_url = restricted.url
    client = client_for(school.hostname)
    response = _sign_in(client, administrator.email, restricted_url)
    body = response.content.decode()
    assert response.status_code == 200 and "works in the school" in body and "/admin/login/" in body
    assert client.get(restricted_url).status_code == 302  # not signed in: the second factor was never asked
    assert "Signed in as" not in client.get("/").content.decode()

    # A reader still signs in on the same form and reads what is for anyone signed in.
    reader = _reader(school, client_for, "neighbour@alpha.kz", ReaderGroup.STAFF, administrator)
    assert _sign_in(reader, "neighbour@alpha.kz").status_code == 302
    assert "For members" in reader.get(restricted_url).content.decode()
