"""The school's identity on its site: names, emblem, colour, photograph and official details (issue 16).

One row per school schema, edited by its administrator under Settings (Wagtail's generic settings).
Address, phones, e-mails and reception hours are not here: the Contacts section (clause 3.1.1) holds
them and the footer shows them from there, so there is one place to keep them current.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from school_sections.translation import translated

# The accent colours a school may choose. Each one carries white text (buttons, the header band) and is
# used for links on white, so each has a contrast ratio of at least 4.5:1 with white (WCAG 2.1 AA,
# 1.4.3); tests/school_sections/test_identity.py computes it for every entry.
ACCENT_COLOURS = {
    "blue": ("#0b5cad", _("Blue")),
    "navy": ("#1f3a68", _("Navy")),
    "teal": ("#0b6466", _("Teal")),
    "green": ("#1d6b38", _("Green")),
    "purple": ("#5b3a8c", _("Purple")),
    "crimson": ("#a3262c", _("Crimson")),
    "brown": ("#7c4419", _("Brown")),
}
DEFAULT_ACCENT = "blue"
_bin_validator = RegexValidator(r"^\d{12}$", _("A BIN has exactly 12 digits."))


@register_setting(icon="site")
class SchoolIdentity(BaseGenericSetting):
    full_name_kk = models.CharField(_("full name in Kazakh"), max_length=255, blank=True)
    full_name_ru = models.CharField(_("full name in Russian"), max_length=255, blank=True)
    full_name_en = models.CharField(_("full name in English"), max_length=255, blank=True)
    short_name_kk = models.CharField(_("short name in Kazakh"), max_length=80, blank=True)
    short_name_ru = models.CharField(_("short name in Russian"), max_length=80, blank=True)
    short_name_en = models.CharField(_("short name in English"), max_length=80, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("emblem or logo"),
        help_text=_("A square picture works best; it also becomes the site's icon and its picture in shared links."),
    )
    accent = models.CharField(
        _("accent colour"),
        max_length=20,
        choices=[(key, label) for key, (_colour, label) in ACCENT_COLOURS.items()],
        default=DEFAULT_ACCENT,
        help_text=_("Every colour offered is dark enough for white text and for links on white."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("home page photograph"),
    )
    photo_alt_kk = models.CharField(_("what the photograph shows, in Kazakh"), max_length=255, blank=True)
    photo_alt_ru = models.CharField(_("what the photograph shows, in Russian"), max_length=255, blank=True)
    photo_alt_en = models.CharField(_("what the photograph shows, in English"), max_length=255, blank=True)
    legal_name_kk = models.CharField(_("legal name in Kazakh"), max_length=300, blank=True)
    legal_name_ru = models.CharField(_("legal name in Russian"), max_length=300, blank=True)
    legal_name_en = models.CharField(_("legal name in English"), max_length=300, blank=True)
    bin = models.CharField(_("BIN"), max_length=12, blank=True, validators=[_bin_validator])
    instagram = models.URLField(_("Instagram"), blank=True)
    facebook = models.URLField(_("Facebook"), blank=True)
    youtube = models.URLField(_("YouTube"), blank=True)
    telegram = models.URLField(_("Telegram"), blank=True)
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    MultiFieldPanel(
                        [FieldPanel("full_name_kk"), FieldPanel("full_name_ru"), FieldPanel("full_name_en")],
                        heading=_("Full name"),
                    ),
                    MultiFieldPanel(
                        [FieldPanel("short_name_kk"), FieldPanel("short_name_ru"), FieldPanel("short_name_en")],
                        heading=_("Short name (the header on phones)"),
                    ),
                    FieldPanel("logo"),
                    FieldPanel("accent"),
                ],
                heading=_("Name and look"),
            ),
            ObjectList(
                [
                    FieldPanel("photo"),
                    MultiFieldPanel(
                        [FieldPanel("photo_alt_kk"), FieldPanel("photo_alt_ru"), FieldPanel("photo_alt_en")],
                        heading=_("What the photograph shows (for people who cannot see it)"),
                    ),
                ],
                heading=_("Home page photograph"),
            ),
            ObjectList(
                [
                    HelpPanel(
                        content=_(
                            "The address, phone numbers, e-mail addresses and reception hours in the footer come "
                            "from the Contacts section: edit them there."
                        )
                    ),
                    MultiFieldPanel(
                        [FieldPanel("legal_name_kk"), FieldPanel("legal_name_ru"), FieldPanel("legal_name_en")],
                        heading=_("Legal name"),
                    ),
                    FieldPanel("bin"),
                    MultiFieldPanel(
                        [
                            FieldPanel("instagram"),
                            FieldPanel("facebook"),
                            FieldPanel("youtube"),
                            FieldPanel("telegram"),
                        ],
                        heading=_("Social networks"),
                    ),
                ],
                heading=_("Official details"),
            ),
        ]
    )

    class Meta:
        verbose_name = _("school identity")

    def translated(self, field: str):
        from school_sections.models.base import school_default_language

        return translated(self, field, default_language=school_default_language())

    @property
    def accent_colour(self) -> str:
        return ACCENT_COLOURS.get(self.accent, ACCENT_COLOURS[DEFAULT_ACCENT])[0]

    @property
    def social_links(self) -> list[tuple[str, str]]:
        return [
            (label, url)
            for label, url in (
                ("Instagram", self.instagram),
                ("Facebook", self.facebook),
                ("YouTube", self.youtube),
                ("Telegram", self.telegram),
            )
            if url
        ]
