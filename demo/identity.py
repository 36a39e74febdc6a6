"""The demo schools' identities (``make demo``): emblem, colour, photograph, official details, and a
picture for each news item. The texts are data (``fixtures/demo_identity.json``, keyed by the school's
row in examples/schools.csv); the pictures are drawn by ``demo.images``. Run inside the school's schema.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model

from demo.images import building_jpeg, emblem_png, illustration_jpeg
from school_sections.models import NewsPage, SchoolIdentity
from school_sections.models.identity import ACCENT_COLOURS

DEMO_IDENTITY = Path(__file__).resolve().parent / "fixtures" / "demo_identity.json"


def _image(title: str, file_name: str, content: bytes, description: str):
    # An ImageFile, so that the image's width and height are read from it.
    return get_image_model().objects.create(
        title=title, description=description, file=ImageFile(io.BytesIO(content), name=file_name)
    )


@transaction.atomic
def demo_identity_fill(number: int) -> SchoolIdentity:
    """Give the demo school of row ``number`` its identity, and its news items their pictures; once."""
    values = json.loads(DEMO_IDENTITY.read_text(encoding="utf-8"))[str(number)]
    identity = SchoolIdentity.objects.first() or SchoolIdentity()
    if identity.logo_id:
        return identity  # filled on an earlier run
    colour = ACCENT_COLOURS[values["accent"]][0]
    for name, value in values.items():
        setattr(identity, name, value)
    identity.logo = _image("Emblem", "emblem.png", emblem_png(colour), "")  # beside the name: decorative
    identity.photo = _image("Building", "building.jpg", building_jpeg(colour, seed=number), values["photo_alt_en"])
    identity.save()
    for index, news in enumerate(NewsPage.objects.filter(image__isnull=True).order_by("date")):
        news.image = _image(news.title, f"news-{index}.jpg", illustration_jpeg(colour, seed=number * 10 + index), "")
        news.save_revision().publish()
    return identity
