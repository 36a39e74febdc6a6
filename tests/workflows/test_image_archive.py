"""Clause 1.2 for images: the editor's "Delete" archives an image (with a reason, its file kept); it is offered
nowhere and shown nowhere until the archive restores it."""

import io

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


def _image(title="Sports day 2019"):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, description="Pupils running on the school field", file=ImageFile(buffer, name="sports-day.png")
    )


def test_1_2_deleting_an_image_in_the_editor_archives_it_and_it_can_be_restored(school_site, people, client_for):
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

    response = client.post(f"/admin/images/{image.pk}/delete/", {"reason": "A photo of the old building"})
    assert response.status_code == 302
    image = get_image_model().objects.get(pk=image.pk)  # still there, with its file
    assert image.file.name == file_name and image.file.storage.exists(file_name)
    assert not image.renditions.exists()  # its thumbnails are no longer at their public addresses
    archival = archived(image)
    assert archival.reason == "A photo of the old building" and archival.archived_by == people["administrator"]

    # Offered nowhere: not in the image listing, not in the choosers; listed in the archive.
    assert "Sports day 2019" not in client.get("/admin/images/results/").content.decode()
    assert "Sports day 2019" not in client.get("/admin/images/chooser/").content.decode()
    assert "A photo of the old building" in client.get("/admin/archive/").content.decode()

    client.post(f"/admin/archive/{archival.pk}/restore/")
    assert archived(image) is None
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
