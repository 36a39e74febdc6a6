"""Create the Director and Site administrator groups with access to the editor.

Clauses 1.2, 4.1 and 4.2: both may edit and publish every page of their site
and manage its images and documents; the administrator also manages users.
Finer roles (clause 5) build on these.
"""

from django.db import migrations

ROLES = ("Director", "Site administrator")
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image", "delete_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document", "delete_document"),
}
ADMINISTRATOR_EXTRA = {"auth": {"user": ("add_user", "change_user", "view_user")}}


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": "Can " + codename.replace("_", " ")}
    )
    return permission


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_permission(apps, "wagtailcore", "page", codename)
            )
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            model = "image" if app_label == "wagtailimages" else "document"
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(apps, app_label, model, codename),
                )
    administrators = Group.objects.get(name="Site administrator")
    for app_label, models in ADMINISTRATOR_EXTRA.items():
        for model, codenames in models.items():
            for codename in codenames:
                administrators.permissions.add(_permission(apps, app_label, model, codename))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
