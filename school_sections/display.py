"""The visitor's display settings for people with low vision (clause 1.3), kept in two cookies.

The practice visitors know from state sites (GOST R 52872-2019): text size steps, colour schemes,
letter spacing and images on or off. All but images are one cookie value, ``<size>-<scheme>-<spacing>``,
so that the page cache's key (deploy/nginx.conf.template: the ``low_vision`` and ``low_vision_images``
cookies) keeps telling every variant of a page apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

LOW_VISION_COOKIE = "low_vision"
IMAGES_COOKIE = "low_vision_images"
SIZES = ("1", "2", "3")  # 1.25, 1.5 and 2 times the standard text (platform.css)
SCHEMES = ("white", "black", "blue", "beige")  # black on white, white on black, dark blue on blue, brown on beige
SPACINGS = ("0", "1", "2")
DEFAULT = ("2", "white", "0")
# What the panel offers, labelled in the visitor's language.
CHOICES = {
    "sizes": [("1", _("Large")), ("2", _("Larger")), ("3", _("Largest"))],
    "schemes": [
        ("white", _("Black on white")),
        ("black", _("White on black")),
        ("blue", _("Dark blue on light blue")),
        ("beige", _("Brown on beige")),
    ],
    "spacings": [("0", _("Standard")), ("1", _("Wide")), ("2", _("Widest"))],
}


@dataclass(frozen=True)
class DisplaySettings:
    low_vision: bool = False
    size: str = DEFAULT[0]
    scheme: str = DEFAULT[1]
    spacing: str = DEFAULT[2]
    images: bool = True

    @property
    def body_classes(self) -> str:
        if not self.low_vision:
            return ""
        classes = ["low-vision", f"lv-size-{self.size}", f"lv-scheme-{self.scheme}", f"lv-spacing-{self.spacing}"]
        if not self.images:
            classes.append("no-images")
        return " ".join(classes)

    @property
    def cookie_value(self) -> str:
        return f"{self.size}-{self.scheme}-{self.spacing}"


def display_settings(cookies) -> DisplaySettings:
    """The settings a visitor's cookies hold; anything unknown (an old ``1``, a forged value) is the default."""
    value = cookies.get(LOW_VISION_COOKIE, "")
    if not value:
        return DisplaySettings()
    size, scheme, spacing = _parsed(value)
    return DisplaySettings(True, size, scheme, spacing, images=cookies.get(IMAGES_COOKIE) != "0")


def _parsed(value: str) -> tuple[str, str, str]:
    parts = value.split("-")
    if len(parts) != 3:
        return DEFAULT
    size, scheme, spacing = parts
    return (
        size if size in SIZES else DEFAULT[0],
        scheme if scheme in SCHEMES else DEFAULT[1],
        spacing if spacing in SPACINGS else DEFAULT[2],
    )


def display_settings_chosen(form: dict, current: DisplaySettings) -> DisplaySettings:
    """The settings a submitted panel asks for: each choice that is one of ours, else the current one."""
    return DisplaySettings(
        low_vision=True,
        size=_one_of(form.get("size"), SIZES, current.size),
        scheme=_one_of(form.get("scheme"), SCHEMES, current.scheme),
        spacing=_one_of(form.get("spacing"), SPACINGS, current.spacing),
        images=form.get("images", "1" if current.images else "0") != "0",
    )


def _one_of(value, allowed: tuple[str, ...], fallback: str) -> str:
    return value if value in allowed else fallback
