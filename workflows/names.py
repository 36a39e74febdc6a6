"""The names of the workflow and task the platform creates, in the editor's own language.

Wagtail keeps a workflow's and a task's name as text and shows ``.name`` on the editor's pages, its
reports and its e-mails. The platform's are stored under their English name (a gettext message id, the
same in every school) and shown translated: after an instance is read, its name is replaced by the
translation for the active language (the editor's), and before it is saved the translation goes back to
the stored name, so a school's database never holds one language's wording.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_init, pre_save
from django.utils.translation import gettext, gettext_noop, override

SITE_ADMINISTRATOR_APPROVAL = gettext_noop("Site administrator approval")
PLATFORM_NAMES = (SITE_ADMINISTRATOR_APPROVAL,)


def name_shown(sender, instance, **kwargs) -> None:
    # A name deferred by .only() is not loaded: reading it here would cost a query per instance.
    if "name" in instance.__dict__ and instance.name in PLATFORM_NAMES:
        # A plain string (not a lazy one): Wagtail puts names into JSON and e-mail subjects.
        instance.name = gettext(instance.name)


def name_stored(sender, instance, **kwargs) -> None:
    if "name" not in instance.__dict__ or instance.name in PLATFORM_NAMES:
        return
    for stored in PLATFORM_NAMES:
        for language, _label in settings.LANGUAGES:
            with override(language):
                if instance.name == gettext(stored):
                    instance.name = stored
                    return


def names_connect() -> None:
    from wagtail.models import GroupApprovalTask, Task, Workflow

    from workflows.models import ScreenedApprovalTask

    # post_init is sent with the instance's own class: each class that is read on its own is named.
    for model in (Workflow, Task, GroupApprovalTask, ScreenedApprovalTask):
        post_init.connect(name_shown, sender=model, dispatch_uid=f"workflows.name_shown.{model.__name__}")
        pre_save.connect(name_stored, sender=model, dispatch_uid=f"workflows.name_stored.{model.__name__}")
