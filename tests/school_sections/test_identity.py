"""The school's identity on its site (issue 16): names, colour, emblem, photograph and official details,
with good defaults before anything is set; every accent colour readable."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context
from PIL import Image
from wagtail.images import get_image_model

from school_sections.models import ContactsPage, SchoolIdentity
from school_sections.models.identity import ACCENT_COLOURS
from school_sections.site_identity import site_identity_forget


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("key", list(ACCENT_COLOURS))
def test_every_accent_colour_carries_white_text_and_reads_as_a_link_on_white(key):
    colour = ACCENT_COLOURS[key][0]
    assert contrast(colour, "#ffffff") >= 4.5  # WCAG 2.1 AA 1.4.3
    assert f".accent-{key} {{ --accent: {colour}; }}" in Path("static/css/platform.css").read_text()


def _png() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "#1d6b38").save(out, format="PNG")
    return ContentFile(out.getvalue(), name="logo.png")


def test_defaults_before_anything_is_set(school, client_for):
    with schema_context(school.school.schema_name):
        SchoolIdentity.objects.all().delete()
        site_identity_forget()
    body = client_for(school.hostname).get("/").content.decode()
    assert f'<h1 id="school-name">{school.school.name_en or school.school.name_kk}</h1>' in body
    assert 'class="emblem emblem-default"' in body  # initials in the accent colour
    assert "accent-blue" in body
    assert f"BIN: {school.school.bin}" in body  # from the region's registry
    assert 'rel="icon" href="/static/' in body


def test_identity_set_by_the_administrator_shows_on_every_page(school, client_for):
    with schema_context(school.school.schema_name):
        image = get_image_model()(title="Logo", description="")
        image.file.save("logo.png", _png(), save=False)
        image.save()
        SchoolIdentity.objects.update_or_create(
            pk=SchoolIdentity.objects.first().pk if SchoolIdentity.objects.exists() else None,
            defaults={
                "full_name_en": "Riverside School",
                "short_name_en": "Riverside",
                "accent": "crimson",
                "logo": image,
                "legal_name_en": "Riverside School, a public institution",
                "instagram": "https://www.instagram.com/riverside",
            },
        )
        contacts = ContactsPage.objects.get()
        contacts.legal_address_en = "1 River Street"
        contacts.phones = [("phone", {"number": "+77222521234", "label_kk": "", "label_ru": "", "label_en": ""})]
        contacts.save_revision().publish()
    for path in ("/", "/contacts/"):
        body = client_for(school.hostname).get(path).content.decode()
        assert "accent-crimson" in body, path
        assert "Riverside School" in body and "Riverside</span>" in body, path
        assert "Riverside School, a public institution" in body, path  # the footer's official details
        assert "1 River Street" in body and 'href="tel:+77222521234"' in body, path  # from the Contacts section
        assert 'href="https://www.instagram.com/riverside"' in body, path
        assert 'rel="icon" href="/media/' in body and 'property="og:image"' in body, path  # from the logo
    assert "<title>Contact information — Riverside School</title>" in body


def test_a_bin_that_is_not_twelve_digits_is_refused():
    identity = SchoolIdentity(bin="12345")
    with pytest.raises(ValidationError) as error:
        identity.full_clean()
    assert "bin" in error.value.message_dict


def test_the_administrator_and_the_director_set_the_identity_under_settings_and_a_teacher_cannot(
    school_site, people, client_for
):
    from tests.factories import login_verified

    url = "/admin/settings/school_sections/schoolidentity/"
    for role in ("administrator", "director"):
        client = client_for(school_site.hostname)
        login_verified(client, people[role])
        form = client.get(url, follow=True)
        assert form.status_code == 200, role
        assert "Accent colour" in form.content.decode() or "accent colour" in form.content.decode(), role
        edit_url = form.redirect_chain[-1][0] if form.redirect_chain else url
        saved = client.post(
            edit_url,
            {"full_name_en": f"Set by the {role}", "accent": "purple", "bin": ""},
        )
        assert saved.status_code == 302, (role, saved.content.decode()[:500])
        assert SchoolIdentity.objects.get().full_name_en == f"Set by the {role}"
        refused = client.post(edit_url, {"accent": "purple", "bin": "12345"})
        assert "A BIN has exactly 12 digits." in refused.content.decode()
    assert "accent-purple" in client_for(school_site.hostname).get("/").content.decode()
    teacher = client_for(school_site.hostname)
    login_verified(teacher, people["teacher"])
    assert teacher.get(url).status_code in (302, 403)
