"""No school can see or reach another's data, cache entries or sessions (issue: no cross-school leaks)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django_tenants.utils import schema_context
from wagtail.models import Site

from tests.factories import login_verified


def _home_full_url(provisioned) -> str:
    with schema_context(provisioned.school.schema_name):
        return Site.objects.get().root_page.full_url


def test_identical_page_trees_each_link_to_their_own_host(school, other_school):
    # Wagtail caches the site root paths under one fixed key; filling the cache in
    # school A first must not make school B's links point at A's host.
    assert _home_full_url(school) == "http://alpha.edu.test/"
    assert _home_full_url(other_school) == "http://beta.edu.test/"
    assert _home_full_url(school) == "http://alpha.edu.test/"


def test_cache_entries_are_per_school(school, other_school):
    with schema_context(school.school.schema_name):
        cache.set("isolation-probe", "alpha")
    with schema_context(other_school.school.schema_name):
        assert cache.get("isolation-probe") is None
    with schema_context(school.school.schema_name):
        assert cache.get("isolation-probe") == "alpha"
        cache.delete("isolation-probe")


def _signed_in_client(provisioned, client_for):
    client = client_for(provisioned.hostname)
    with schema_context(provisioned.school.schema_name):
        administrator = get_user_model().objects.get(email=provisioned.invitations[-1].email)
        login_verified(client, administrator)
    return client


def test_administrator_opens_their_own_editor(school, client_for):
    client = _signed_in_client(school, client_for)
    response = client.get("/admin/")
    assert response.status_code == 200


def test_session_of_school_a_is_not_accepted_at_school_b(school, other_school, client_for):
    client = _signed_in_client(school, client_for)
    session_key = client.cookies["sessionid"].value
    with schema_context(school.school.schema_name):
        assert Session.objects.filter(pk=session_key).exists()
    with schema_context(other_school.school.schema_name):
        assert not Session.objects.filter(pk=session_key).exists()  # B has its own session table

    at_b = client_for(other_school.hostname)
    at_b.cookies["sessionid"] = session_key
    with schema_context(other_school.school.schema_name):
        b_home_id = Site.objects.get().root_page_id
    for path in ("/admin/", f"/admin/pages/{b_home_id}/edit/", "/admin/users/"):
        response = at_b.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/"), path


def test_administrator_of_a_cannot_sign_in_at_school_b(school, other_school, client_for):
    email = school.invitations[-1].email
    with schema_context(school.school.schema_name):
        user = get_user_model().objects.get(email=email)
        user.set_password("Alpha-only-pass-1")
        user.save()
    assert (
        client_for(school.hostname)
        .post("/admin/login/", {"username": email, "password": "Alpha-only-pass-1"})
        .status_code
        == 302
    )  # signed in at A
    response = client_for(other_school.hostname).post(
        "/admin/login/", {"username": email, "password": "Alpha-only-pass-1"}
    )
    assert response.status_code == 200  # the form again, with an error: B has no such person
    assert "_auth_user_id" not in response.client.session


@pytest.fixture
def uploaded(school, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / school.school.schema_name / "original_images"
    folder.mkdir(parents=True)
    (folder / "photo.png").write_bytes(b"\x89PNG alpha")
    documents = tmp_path / school.school.schema_name / "documents"
    documents.mkdir()
    (documents / "private.pdf").write_bytes(b"%PDF private")
    return f"/media/{school.school.schema_name}/"


def test_a_school_serves_its_own_images(uploaded, school, client_for):
    response = client_for(school.hostname).get(uploaded + "original_images/photo.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG alpha"


def test_a_school_never_serves_another_schools_uploads(uploaded, other_school, client_for):
    assert client_for(other_school.hostname).get(uploaded + "original_images/photo.png").status_code == 404
    traversal = f"/media/{other_school.school.schema_name}/../{uploaded.split('/')[2]}/original_images/photo.png"
    assert client_for(other_school.hostname).get(traversal).status_code == 404


def test_documents_are_not_served_past_wagtails_privacy_checks(uploaded, school, client_for):
    assert client_for(school.hostname).get(uploaded + "documents/private.pdf").status_code == 404


def test_production_hands_the_file_to_nginx(uploaded, school, client_for, settings):
    settings.MEDIA_X_ACCEL_REDIRECT = True
    response = client_for(school.hostname).get(uploaded + "original_images/photo.png")
    assert (
        response["X-Accel-Redirect"] == f"/protected-media/{uploaded.removeprefix('/media/')}original_images/photo.png"
    )
