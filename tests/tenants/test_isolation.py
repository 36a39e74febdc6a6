"""No school can see or reach another's data, cache entries or sessions (issue: no cross-school leaks)."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django_tenants.utils import schema_context
from wagtail.models import Site


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
        client.force_login(administrator)
    return client


def test_administrator_opens_their_own_editor(school, client_for):
    client = _signed_in_client(school, client_for)
    response = client.get("/admin/")
    assert response.status_code == 200


def test_session_of_school_a_is_not_accepted_at_school_b(school, other_school, client_for):
    client = _signed_in_client(school, client_for)
    session_cookie = client.cookies["sessionid"].value

    at_b = client_for(other_school.hostname)
    at_b.cookies["sessionid"] = session_cookie
    response = at_b.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_administrator_of_a_cannot_open_school_bs_pages_in_the_editor(school, other_school, client_for):
    client = _signed_in_client(school, client_for)
    with schema_context(other_school.school.schema_name):
        b_home_id = Site.objects.get().root_page_id
    # Same client, same cookies, B's host: B does not know this session.
    client.defaults["HTTP_HOST"] = other_school.hostname
    for path in (f"/admin/pages/{b_home_id}/", f"/admin/pages/{b_home_id}/edit/", "/admin/users/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/"), path
