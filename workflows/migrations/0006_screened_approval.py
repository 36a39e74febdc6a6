"""Clause 3.3 and 1.2 in every school's rights.

The administrator's approval step becomes a screened one (it cannot approve what
screening blocks), and nobody in a school deletes documents any more: outdated
ones are archived, and only the regional office deletes for good.
"""

from django.db import migrations

APPROVAL = "Site administrator approval"


def screened_approval(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ScreenedApprovalTask = apps.get_model("workflows", "ScreenedApprovalTask")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")

    task_type, _ = ContentType.objects.get_or_create(app_label="workflows", model="screenedapprovaltask")
    for old in GroupApprovalTask.objects.filter(name=APPROVAL):
        new = ScreenedApprovalTask.objects.create(name=APPROVAL, active=True, content_type=task_type)
        new.groups.set(old.groups.all())
        WorkflowTask.objects.filter(task_id=old.pk).update(task_id=new.pk)
        old.active = False
        old.name = f"{APPROVAL} (before screening)"
        old.save()
    if not ScreenedApprovalTask.objects.exists():
        # A school whose approval step was renamed or removed keeps its own arrangement;
        # the task still exists for the administrator to add.
        task = ScreenedApprovalTask.objects.create(name=APPROVAL, active=True, content_type=task_type)
        task.groups.set(Group.objects.filter(name="Site administrator"))

    GroupCollectionPermission.objects.filter(permission__codename="delete_document").delete()


class Migration(migrations.Migration):
    dependencies = [("workflows", "0005_screening_and_archive")]

    operations = [migrations.RunPython(screened_approval, migrations.RunPython.noop)]
