"""Sign-in is throttled after repeated failures, per account and per school, with a plain message."""

from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from accounts.sign_in import MAX_FAILURES


def test_console_locks_an_account_after_repeated_failures(db, client_for):
    get_user_model().objects.create_user("locked-office", password="Right-pass-2026", is_staff=True)
    client = client_for("edu.test")
    for _ in range(MAX_FAILURES):
        client.post("/login/", {"username": "locked-office", "password": "wrong"})
    response = client.post("/login/", {"username": "locked-office", "password": "Right-pass-2026"})
    assert response.status_code == 200  # the right password no longer opens it
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(db, client_for):
    get_user_model().objects.create_user("office-2", password="Right-pass-2026", is_staff=True)
    client = client_for("edu.test")
    for _ in range(MAX_FAILURES - 1):
        client.post("/login/", {"username": "office-2", "password": "wrong"})
    assert client.post("/login/", {"username": "office-2", "password": "Right-pass-2026"}).status_code == 302
    client.post("/logout/")
    for _ in range(MAX_FAILURES - 1):
        client.post("/login/", {"username": "office-2", "password": "wrong"})
    assert client.post("/login/", {"username": "office-2", "password": "Right-pass-2026"}).status_code == 302


def test_the_school_editor_is_throttled_and_schools_are_counted_apart(make_school, client_for):
    first, second = make_school(), make_school()
    for provisioned in (first, second):
        with schema_context(provisioned.school.schema_name):
            user = get_user_model().objects.get(email=provisioned.invitations[-1].email)
            user.username = "same@example.kz"
            user.set_password("Right-pass-2026")
            user.save()
    client = client_for(first.hostname)
    for _ in range(MAX_FAILURES):
        client.post("/admin/login/", {"username": "same@example.kz", "password": "wrong"})
    locked = client.post("/admin/login/", {"username": "same@example.kz", "password": "Right-pass-2026"})
    assert "Too many failed sign-ins" in locked.content.decode()
    other = client_for(second.hostname).post(
        "/admin/login/", {"username": "same@example.kz", "password": "Right-pass-2026"}
    )
    assert other.status_code == 302  # another school's account is not locked
