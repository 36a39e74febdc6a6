"""school_provision: what it builds, what it refuses, and that a failure leaves nothing behind."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Page, Site

from provisioning import services as provisioning
from provisioning.outbox import provisioning_steps_job_send, provisioning_steps_run
from provisioning.services import Person, school_provision
from regulation.roles import Role
from school_sections.models import SchoolHomePage
from tenants.models import Domain, School
from tests.factories import school_details, valid_bin


def _errors(**overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        school_provision(details=school_details(**overrides))
    return error.value.message_dict


def test_provisioned_school_has_schema_domain_home_page_site_and_accounts(make_school):
    provisioned = make_school(subdomain="new-school", name_kk="Жаңа мектеп")
    school = provisioned.school

    assert school.schema_name == "school_new_school"
    assert schema_exists(school.schema_name)
    assert provisioned.hostname == "new-school.edu.test"
    assert Domain.objects.get(tenant=school).domain == "new-school.edu.test"
    with schema_context(school.schema_name):
        site = Site.objects.get()
        assert site.hostname == "new-school.edu.test"
        assert site.is_default_site
        home = site.root_page.specific
        assert isinstance(home, SchoolHomePage)
        assert home.title == "Жаңа мектеп"
        # Wagtail's "Welcome" page is gone: the root has one child, the school's home.
        assert [page.specific_class for page in Page.get_first_root_node().get_children()] == [SchoolHomePage]
        users = {
            user.email: set(user.groups.values_list("name", flat=True)) for user in get_user_model().objects.all()
        }
    head_email = provisioned.invitations[0].email
    assert users == {
        head_email: {Role.DIRECTOR.value},
        provisioned.invitations[1].email: {Role.SITE_ADMINISTRATOR.value},
    }


def test_head_without_administrator_gets_both_roles(make_school):
    provisioned = make_school(administrator=None)
    with schema_context(provisioned.school.schema_name):
        (user,) = get_user_model().objects.all()
        assert set(user.groups.values_list("name", flat=True)) == {Role.DIRECTOR.value, Role.SITE_ADMINISTRATOR.value}
        assert not user.has_usable_password()
    assert len(provisioned.invitations) == 1


def test_same_person_as_head_and_administrator_gets_one_account(make_school):
    head = Person("Aigerim Zhumabekova", "Director@School.kz")
    provisioned = make_school(head=head, administrator=Person("Aigerim Zhumabekova", "director@school.kz"))
    with schema_context(provisioned.school.schema_name):
        assert list(get_user_model().objects.values_list("email", flat=True)) == ["director@school.kz"]


def test_invitations_are_emailed_by_the_job_queued_on_commit_with_links_to_the_schools_own_host(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        provisioned = school_provision(details=school_details(subdomain="mail-school"))
    # One job for the school's after-steps (provisioning.outbox), queued once the school is committed.
    jobs = [callback.args for callback in queued if getattr(callback, "func", None) is provisioning_steps_job_send]
    assert jobs == [(provisioned.school.pk, True)]  # (interactive: the queue an officer waits on)
    assert mail.outbox == []
    assert provisioning_steps_run(provisioned.school.pk) == 3  # two invitations and the first scan
    assert sorted(message.to[0] for message in mail.outbox) == sorted(i.email for i in provisioned.invitations)
    for message in mail.outbox:
        assert re.search(r"http://mail-school\.edu\.test/invite/[\w-]+/[\w-]+/", message.body)


def test_invitation_link_sets_the_password_once(make_school, client_for):
    provisioned = make_school(subdomain="invite-school")
    invitation = provisioned.invitations[0]
    path = invitation.url.removeprefix("http://invite-school.edu.test")
    client = client_for("invite-school.edu.test")

    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "Correct-horse-7", "new_password2": "Correct-horse-7"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    with schema_context(provisioned.school.schema_name):
        assert get_user_model().objects.get(email=invitation.email).check_password("Correct-horse-7")

    again = client_for("invite-school.edu.test").get(path, follow=True)
    assert "no longer works" in again.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name_kk": ""}, "name_kk"),
        ({"name_ru": "  "}, "name_ru"),
        ({"short_name": ""}, "short_name"),
        ({"region": ""}, "region"),
        ({"district": ""}, "district"),
        ({"address": ""}, "address"),
        ({"bin": "12345"}, "bin"),
        ({"bin": "940140000386"}, "bin"),
        ({"subdomain": ""}, "subdomain"),
        ({"subdomain": "www"}, "subdomain"),
        ({"subdomain": "bad_label"}, "subdomain"),
        ({"subdomain": "-bad"}, "subdomain"),
        ({"subdomain": "x" * 51}, "subdomain"),
        ({"head": Person("", "head@example.kz")}, "head_full_name"),
        ({"head": Person("Head Person", "not-an-email")}, "head_email"),
        ({"administrator": Person("", "admin@example.kz")}, "administrator_full_name"),
        ({"administrator": Person("Admin Person", "admin@")}, "administrator_email"),
        ({"head": Person("Head Person", "h" * 140 + "@example.kz")}, "head_email"),  # sign-in names: 150 max
    ],
)
def test_each_bad_input_is_refused_naming_its_field(db, overrides, field):
    errors = _errors(**overrides)
    assert list(errors) == [field], errors
    assert all(message.strip() for message in errors[field])


def test_all_problems_are_reported_at_once(db):
    errors = _errors(bin="1", subdomain="WWW_", head=Person("", "nope"))
    assert {"bin", "subdomain", "head_full_name", "head_email"} <= set(errors)


def test_taken_bin_and_subdomain_are_refused(school):
    errors = _errors(bin=school.school.bin, subdomain="alpha")
    assert "bin" in errors
    assert errors["subdomain"] == ["The subdomain “alpha” is already taken."]


def test_subdomain_is_normalised_to_lowercase_before_checks(make_school):
    provisioned = make_school(subdomain="  Mixed-Case ")
    assert provisioned.hostname == "mixed-case.edu.test"


def test_refused_input_writes_nothing(db):
    schools_before = School.objects.count()
    _errors(subdomain="ok-subdomain", bin="000000000001")
    assert School.objects.count() == schools_before
    assert not schema_exists("school_ok_subdomain")


def test_failure_mid_way_leaves_no_schema_row_domain_or_user(db, monkeypatch):
    def fail_after_site_was_installed(**kwargs):
        raise RuntimeError("mail server exploded")

    monkeypatch.setattr(provisioning, "_accounts_create", fail_after_site_was_installed)
    details = school_details(subdomain="doomed", bin=valid_bin(9999))
    with pytest.raises(RuntimeError):
        school_provision(details=details)

    assert connection.schema_name == "public"
    assert not School.objects.filter(bin=details.bin).exists()
    assert not Domain.objects.filter(domain="doomed.edu.test").exists()
    assert not schema_exists("school_doomed")
    # The same details now go through: nothing was left to collide with.
    monkeypatch.undo()
    assert school_provision(details=details, send_invitations=False).school.bin == details.bin


def test_invitation_is_written_in_kazakh_and_russian(db):
    provisioned = school_provision(details=school_details(subdomain="bilingual", administrator=None))
    provisioning_steps_run(provisioned.school.pk)  # as the job queued on commit does
    (message,) = mail.outbox
    assert "Сәлеметсіз бе" in message.body  # Kazakh greeting
    assert "Здравствуйте" in message.body  # Russian greeting
    assert "Мектеп директоры" in message.body and "Директор школы" in message.body
    assert " / " in message.subject


@pytest.mark.parametrize("contested", ["subdomain", "bin"])
def test_a_school_opened_by_someone_else_meanwhile_is_reported_by_field(db, monkeypatch, contested):
    """Two offices submit the same school at once: the loser gets the field error, not a crash."""
    rival = school_details(subdomain="rival", bin=valid_bin(7777))
    ours = school_details(
        subdomain="rival" if contested == "subdomain" else "ours",
        bin=rival.bin if contested == "bin" else valid_bin(7778),
    )
    real_template_current = provisioning.schema_template_current

    def rival_wins_between_check_and_write():
        monkeypatch.setattr(provisioning, "schema_template_current", real_template_current)
        school_provision(details=rival, send_invitations=False)
        return real_template_current()

    monkeypatch.setattr(provisioning, "schema_template_current", rival_wins_between_check_and_write)
    with pytest.raises(ValidationError) as error:
        school_provision(details=ours)
    assert list(error.value.message_dict) == [contested]
    assert School.objects.filter(bin=rival.bin).count() == 1
    assert not schema_exists("school_ours")
