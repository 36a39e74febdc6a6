"""Clause 1.2 for images: the editor's "Delete" archives an image (with a reason, its file kept); it is offered
nowhere and shown nowhere until the archive restores it."""

import io
from pathlib import PurePosixPath

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry

from tests.factories import login_verified
from tests.workflows.conftest import news_draft
from workflows.archive import archival_restore, archived, image_archive
from workflows.models import Archival
from workflows.publication import ArchivedPagePublication


def _image(title="Sports day 2019", name="sports-day.png"):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, description="Pupils running on the school field", file=ImageFile(buffer, name=name)
    )


def test_1_2_deleting_an_image_in_the_editor_archives_it_and_it_can_be_restored(
    school_site, people, client_for, django_capture_on_commit_callbacks
):
    image = _image()
    image.get_rendition("max-165x165")
    file_name = image.file.name
    client = client_for(school_site.hostname)
    login_verified(client, people["administrator"])
    assert "Sports day 2019" in client.get("/admin/images/results/").content.decode()
    assert "Sports day 2019" in client.get("/admin/images/chooser/").content.decode()

    confirm = client.get(f"/admin/images/{image.pk}/delete/")
    assert confirm.status_code == 200 and "Images are not deleted" in confirm.content.decode()
    refused = client.post(f"/admin/images/{image.pk}/delete/", {"reason": "  "})
    assert "This field is required" in refused.content.decode() and not Archival.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/images/{image.pk}/delete/", {"reason": "A photo of the old building"})
    assert response.status_code == 302
    image = get_image_model().objects.get(pk=image.pk)  # still there, its file kept where nobody is served it
    assert image.file.name.startswith(f"archived_images/{image.pk}/") and image.file.storage.exists(image.file.name)
    assert not image.file.storage.exists(file_name)
    assert not image.renditions.exists()  # its thumbnails are no longer at their public addresses
    archival = archived(image)
    assert archival.reason == "A photo of the old building" and archival.archived_by == people["administrator"]

    # Offered nowhere: not in the image listing, not in the choosers; listed in the archive.
    assert "Sports day 2019" not in client.get("/admin/images/results/").content.decode()
    assert "Sports day 2019" not in client.get("/admin/images/chooser/").content.decode()
    assert "A photo of the old building" in client.get("/admin/archive/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/archive/{archival.pk}/restore/")
    assert archived(image) is None
    image.refresh_from_db()
    assert image.file.name == file_name and image.file.storage.exists(file_name)
    assert "Sports day 2019" in client.get("/admin/images/chooser/").content.decode()
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(image.pk), content_type__model="image")
        .order_by("timestamp")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["workflows.archive", "workflows.restore"]


def test_1_2_an_image_a_published_page_shows_is_not_archived_until_the_page_stops_showing_it(people):
    image = _image("Choir")
    administrator = people["administrator"]
    page = news_draft(administrator, title="Choir won")
    page.image = image
    page.save_revision(user=administrator).publish(user=administrator)

    with pytest.raises(ValidationError) as refused:
        image_archive(image=image, user=administrator, reason="Outdated")
    assert "“Choir won”" in " ".join(refused.value.messages)
    assert not Archival.objects.exists()


def test_1_2_a_page_showing_an_archived_image_is_not_published(people):
    image = _image("Old gym")
    administrator = people["administrator"]
    archival = image_archive(image=image, user=administrator, reason="The gym was rebuilt")
    page = news_draft(administrator, title="Gym news")
    page.image = image
    revision = page.save_revision(user=administrator)
    with pytest.raises(ArchivedPagePublication) as refused:
        revision.publish(user=administrator)
    assert "Old gym" in str(refused.value)

    archival_restore(archival=archival, user=administrator)
    revision.publish(user=administrator)
    page.refresh_from_db()
    assert page.live


def test_1_2_only_the_administrator_archives_images_and_nobody_deletes_them_in_bulk(school_site, people, client_for):
    image = _image("Team photo")
    director = client_for(school_site.hostname)
    login_verified(director, people["director"])
    assert director.post(f"/admin/images/{image.pk}/delete/", {"reason": "Old"}).status_code in (302, 403)
    assert archived(image) is None

    administrator = client_for(school_site.hostname)
    login_verified(administrator, people["administrator"])
    response = administrator.post(f"/admin/bulk/wagtailimages/image/delete/?id={image.pk}", follow=True)
    assert "Images are not deleted" in response.content.decode()
    removal = administrator.post(f"/admin/images/multiple/{image.pk}/delete/")
    assert removal.json() == {"success": True, "image_id": image.pk}
    assert get_image_model().objects.filter(pk=image.pk).exists() and archived(image) is not None


def _get(client, url: str):
    response = client.get(url)
    if response.status_code == 200:
        b"".join(response.streaming_content)  # closes the file
    return response


def test_1_2_an_archived_images_original_and_thumbnails_are_served_to_nobody_until_it_is_restored(
    school_site, people, client_for, django_capture_on_commit_callbacks
):
    image = _image("Old building")
    original_url, rendition_url = image.file.url, image.get_rendition("max-165x165").url
    visitor, administrator = client_for(school_site.hostname), client_for(school_site.hostname)
    login_verified(administrator, people["administrator"])
    assert _get(visitor, original_url).status_code == 200 and _get(visitor, rendition_url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        archival = image_archive(image=image, user=people["administrator"], reason="The building was rebuilt")
    image.refresh_from_db()
    kept_url = image.file.url
    assert "/archived_images/" in kept_url
    for client in (visitor, administrator):  # for anyone, the editor's own people included
        for url in (original_url, rendition_url, kept_url):
            assert _get(client, url).status_code == 404, url
    # A thumbnail the editor makes while it is archived is not at an address derivable from the old ones.
    preview_url = image.get_rendition("max-165x165").url
    assert preview_url != rendition_url

    with django_capture_on_commit_callbacks(execute=True):
        archival_restore(archival=archival, user=people["administrator"])
    image.refresh_from_db()
    assert image.file.url == original_url and _get(visitor, original_url).status_code == 200
    assert _get(visitor, preview_url).status_code == 404  # the one made while archived is gone
    rendition = image.get_rendition("max-165x165")
    assert rendition.url == rendition_url and _get(visitor, rendition_url).status_code == 200


def test_1_2_a_restored_image_whose_old_address_was_taken_meanwhile_comes_back_next_to_it(
    people, django_capture_on_commit_callbacks
):
    image = _image("Gym")
    file_name = image.file.name
    with django_capture_on_commit_callbacks(execute=True):
        archival = image_archive(image=image, user=people["administrator"], reason="Rebuilt")
    newcomer = _image("New gym", name=PurePosixPath(file_name).name)  # its old address, now free, is taken
    assert newcomer.file.name == file_name

    with django_capture_on_commit_callbacks(execute=True):
        archival_restore(archival=archival, user=people["administrator"])
    image.refresh_from_db()
    assert image.file.name != file_name and image.file.storage.exists(image.file.name)
    newcomer.refresh_from_db()
    assert newcomer.file.name == file_name and newcomer.file.storage.exists(file_name)
    assert image.get_rendition("max-165x165").file
