"""Hosts: the platform, a school, an unknown host and a suspended school."""

from tenants.models import School


def test_1_1_a_school_host_serves_its_home_page_to_anyone(school, client_for):
    response = client_for(school.hostname).get("/")
    assert response.status_code == 200
    assert school.school.name_en in response.content.decode()


def test_platform_domain_serves_the_regional_console(db, client_for):
    response = client_for("edu.test").get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert client_for("edu.test").get("/login/").status_code == 200


def test_school_host_does_not_serve_the_console(school, client_for):
    assert client_for(school.hostname).get("/login/").status_code == 404


def test_unknown_host_gets_a_friendly_404(db, client_for):
    response = client_for("no-such-school.edu.test").get("/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "No school site here" in body
    assert "no-such-school.edu.test" in body


def test_unknown_host_page_speaks_the_visitors_language(db, client_for):
    body = client_for("no-such-school.edu.test", language="ru").get("/").content.decode()
    assert 'lang="ru"' in body
    assert "No school site here" not in body


def test_unknown_host_and_suspended_school_pages_honour_the_lang_parameter(make_school, client_for):
    """?lang= wins over the browser's language on the platform's own error pages too, as on every page."""
    unknown = client_for("no-such-school.edu.test", language="en").get("/", {"lang": "kk"})
    assert 'lang="kk"' in unknown.content.decode() and "No school site here" not in unknown.content.decode()
    provisioned = make_school(subdomain="dozing")
    School.objects.filter(pk=provisioned.school.pk).update(status=School.Status.SUSPENDED)
    suspended = client_for("dozing.edu.test", language="kk").get("/", {"lang": "en"})
    assert suspended.status_code == 503
    assert 'lang="en"' in suspended.content.decode() and "This site is suspended" in suspended.content.decode()
    english = client_for("no-such-school.edu.test", language="ru").get("/", {"lang": "xx"})
    assert 'lang="ru"' in english.content.decode()  # an unknown code is ignored, not an error


def test_suspended_school_gets_a_503_that_says_so_at_once(make_school, client_for):
    provisioned = make_school(subdomain="sleepy")
    assert client_for("sleepy.edu.test").get("/").status_code == 200  # the host is now cached
    school = School.objects.get(pk=provisioned.school.pk)
    school.status = School.Status.SUSPENDED
    school.save()
    for path in ("/", "/admin/"):
        response = client_for("sleepy.edu.test").get(path)
        assert response.status_code == 503
        assert "This site is suspended" in response.content.decode()


def test_missing_page_on_a_school_site_is_a_friendly_404(school, client_for):
    response = client_for(school.hostname).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_renamed_domain_stops_answering_at_once(make_school, client_for):
    provisioned = make_school(subdomain="renamed")
    assert client_for("renamed.edu.test").get("/").status_code == 200  # cached
    domain = provisioned.school.domains.get()
    domain.domain = "new-name.edu.test"
    domain.save()
    assert client_for("renamed.edu.test").get("/").status_code == 404
    assert client_for("new-name.edu.test").get("/").status_code == 200
