"""The publishing part of the demo region (``demo_region``): a teacher's submission waiting for review
with a screening finding (clause 3.3), and an archived document to restore (clause 1.2)."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from regulation.roles import Role
from school_sections.models import NewsIndexPage, NewsPage
from workflows.archive import document_archive
from workflows.services import responsibility_set

DEMO_WORKFLOW = Path(__file__).resolve().parent / "fixtures" / "demo_workflow.json"


def demo_workflow_fill(*, hostname: str) -> None:
    """Once per school: a teacher responsible for news, their submitted news, an archived licence."""
    User = get_user_model()
    email = f"teacher@{hostname}"
    if User.objects.filter(email=email).exists():
        return
    data = json.loads(DEMO_WORKFLOW.read_text(encoding="utf-8"))
    administrator = User.objects.filter(groups__name=Role.SITE_ADMINISTRATOR.value).first()

    teacher = User.objects.create_user(email, email=email, first_name=data["teacher_name"])
    teacher.groups.add(Group.objects.get(name=Role.EDITORIAL_MEMBER.value))
    news = NewsIndexPage.objects.get()
    responsibility_set(
        section=news, people=set(User.objects.filter(responsibilities__section=news)) | {teacher}, by=administrator
    )
    draft = news.add_child(
        instance=NewsPage(
            title_kk=data["news_title_kk"],
            title_ru=data["news_title_ru"],
            body_kk=data["news_body_kk"],
            body_ru=data["news_body_ru"],
            live=False,
            owner=teacher,
        )
    )
    draft.save_revision(user=teacher)
    draft.get_workflow().start(draft, teacher)  # screened on submission; waits for the administrator

    document = get_document_model()(title=data["document_title"], uploaded_by_user=administrator)
    document.file.save("licence-2019.txt", ContentFile(data["document_text"].encode()), save=False)
    document.save()
    document_archive(document=document, user=administrator, reason=data["archive_reason"])
