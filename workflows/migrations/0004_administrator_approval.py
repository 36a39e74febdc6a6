"""Clause 5.5: all material goes to the site administrator, who publishes it.

Wagtail's initial data made "Moderators" and "Editors" groups, with rights no clause
gives, and a "Moderators approval" workflow on the whole site. Here the workflow's
approval task goes to the Site administrator group, and the two groups go. The
administrator may edit workflows, so a school can add a second step (director sign-off).
"""

from django.db import migrations

APPROVAL = "Site administrator approval"


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": "Can " + codename.replace("_", " ")}
    )
    return permission


def administrator_approval(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    administrators = Group.objects.get(name="Site administrator")
    root = Page.objects.get(depth=1)
    link = WorkflowPage.objects.filter(page=root).first()
    if link is None:
        workflow = Workflow.objects.create(name=APPROVAL, active=True)
        WorkflowPage.objects.create(workflow=workflow, page=root)
    else:
        workflow = link.workflow
        workflow.name = APPROVAL
        workflow.save()
    tasks = GroupApprovalTask.objects.filter(task_ptr__workflow_tasks__workflow=workflow)
    if not tasks.exists():
        task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=APPROVAL, active=True, content_type=task_type)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        tasks = GroupApprovalTask.objects.filter(pk=task.pk)
    for task in tasks:
        task.name = APPROVAL
        task.save()
        task.groups.set([administrators])

    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()
    for codename in ("add_workflow", "change_workflow"):
        administrators.permissions.add(_permission(apps, "wagtailcore", "workflow", codename))
    for codename in ("add_task", "change_task"):
        administrators.permissions.add(_permission(apps, "wagtailcore", "task", codename))


class Migration(migrations.Migration):
    dependencies = [("workflows", "0003_section_responsibility"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(administrator_approval, migrations.RunPython.noop)]
