"""The roles of clauses 1.2, 4, 5.1 and 5.3, each with the rights its clause gives.

The Director no longer publishes (clause 4.2: publishing is the administrator's);
deputies, methodological team leaders, the chief editor and editorial group
members are added. Page rights of deputies, team leaders and editorial members
come with the sections assigned to them, not from their role.
"""

from django.db import migrations

ROOT_PAGE_PERMISSIONS = {
    "Site administrator": ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    "Director": ("add_page", "change_page", "lock_page", "unlock_page"),
    "Chief editor": ("add_page", "change_page"),
}
ALL_ROLES = (
    "Site administrator",
    "Director",
    "Deputy director",
    "Methodological team leader",
    "Chief editor",
    "Editorial group member",
)
# Images and documents: everybody who edits may add and choose; only the administrator
# and the director change or delete what others uploaded.
CONTRIBUTOR_MEDIA = {
    "wagtailimages": ("add_image", "choose_image"),
    "wagtaildocs": ("add_document", "choose_document"),
}
MANAGER_MEDIA = {
    "wagtailimages": ("add_image", "change_image", "choose_image", "delete_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document", "delete_document"),
}


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": "Can " + codename.replace("_", " ")}
    )
    return permission


def roles_update(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")
    for name in ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        GroupPagePermission.objects.filter(group=group, page=root_page).delete()
        for codename in ROOT_PAGE_PERMISSIONS.get(name, ()):
            GroupPagePermission.objects.create(
                group=group, page=root_page, permission=_permission(apps, "wagtailcore", "page", codename)
            )
        GroupCollectionPermission.objects.filter(group=group, collection=root_collection).delete()
        media = MANAGER_MEDIA if name in ("Site administrator", "Director") else CONTRIBUTOR_MEDIA
        for app_label, codenames in media.items():
            model = "image" if app_label == "wagtailimages" else "document"
            for codename in codenames:
                GroupCollectionPermission.objects.create(
                    group=group, collection=root_collection, permission=_permission(apps, app_label, model, codename)
                )


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_roles")]

    operations = [migrations.RunPython(roles_update, migrations.RunPython.noop)]
