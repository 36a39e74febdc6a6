"""Clause 5.5: the administrator is told of a submission and the author of a rejection, by e-mail with
links to the school's own host (not a global one)."""

from django.core import mail

from tests.workflows.conftest import news_draft


def test_a_submission_mails_the_administrator_with_a_link_to_the_school(people, django_capture_on_commit_callbacks):
    teacher, administrator = people["teacher"], people["administrator"]
    page = news_draft(teacher, title="Olympiad results")
    with django_capture_on_commit_callbacks(execute=True):
        page.get_workflow().start(page, teacher)
    to_administrator = [message for message in mail.outbox if administrator.email in message.to]
    assert to_administrator, [message.to for message in mail.outbox]
    body = to_administrator[0].body
    assert "Olympiad results" in body and f"http://rules.edu.test/admin/pages/{page.pk}/" in body
    assert teacher.email not in {address for message in to_administrator for address in message.to}


def test_a_rejection_mails_the_author_with_the_comment(people, django_capture_on_commit_callbacks):
    teacher, administrator = people["teacher"], people["administrator"]
    page = news_draft(teacher, title="Sports day")
    state = page.get_workflow().start(page, teacher)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        state.current_task_state.task.specific.on_action(
            state.current_task_state, administrator, "reject", comment="Add the date, please."
        )
    (message,) = [message for message in mail.outbox if teacher.email in message.to]
    assert "Sports day" in message.subject + message.body
    assert "http://rules.edu.test/admin/" in message.body
    assert "Add the date, please." in message.body
