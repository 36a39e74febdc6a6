"""Structured content of the sections, as StreamField blocks.

Blocks, not child tables: every table is multiplied by the number of schools
(design.md), while a block lives in its page's row. Translatable texts have one
sub-field per language (see ``translation``).
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from school_sections.translation import LANGUAGE_CODES

LANGUAGE_LABELS = {"kk": _("in Kazakh"), "ru": _("in Russian"), "en": _("in English")}


def normalise_phone(value: str) -> str:
    """A phone number in E.164 (+77001234567); numbers without a country code are Kazakh."""
    try:
        number = phonenumbers.parse(value, "KZ")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a phone number such as +7 701 234 5678 or 8 (7222) 12-34-56."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PhoneBlock(blocks.CharBlock):
    """A phone number, checked and stored in E.164."""

    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value) if value else value


class TranslatedStructBlock(blocks.StructBlock):
    """A struct whose translated sub-fields need at least one language filled in."""

    required_translations: tuple[str, ...] = ()

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        for name in self.required_translations:
            if not any(value.get(f"{name}_{language}") for language in LANGUAGE_CODES):
                errors[f"{name}_kk"] = ValidationError(_("Fill this in in at least one language."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class PhoneEntryBlock(blocks.StructBlock):
    number = PhoneBlock(label=_("Phone number"))
    label_kk = blocks.CharBlock(required=False, label=_("What it is for (in Kazakh)"))
    label_ru = blocks.CharBlock(required=False, label=_("What it is for (in Russian)"))
    label_en = blocks.CharBlock(required=False, label=_("What it is for (in English)"))


class EmailEntryBlock(blocks.StructBlock):
    address = blocks.EmailBlock(label=_("E-mail address"))
    label_kk = blocks.CharBlock(required=False, label=_("What it is for (in Kazakh)"))
    label_ru = blocks.CharBlock(required=False, label=_("What it is for (in Russian)"))
    label_en = blocks.CharBlock(required=False, label=_("What it is for (in English)"))


ADMINISTRATION_ROLES = [("head", _("Head of school")), ("deputy", _("Deputy head"))]


class AdministratorBlock(TranslatedStructBlock):
    """Clause 3.1.2: the head and the deputies."""

    required_translations = ("position",)
    full_name = blocks.CharBlock(label=_("Full name"))
    role = blocks.ChoiceBlock(choices=ADMINISTRATION_ROLES, label=_("Role"))
    position_kk = blocks.CharBlock(required=False, label=_("Position (in Kazakh)"))
    position_ru = blocks.CharBlock(required=False, label=_("Position (in Russian)"))
    position_en = blocks.CharBlock(required=False, label=_("Position (in English)"))
    photo = ImageChooserBlock(required=False, label=_("Photo"))
    phone = PhoneBlock(required=False, label=_("Phone number"))
    email = blocks.EmailBlock(required=False, label=_("E-mail address"))
    reception_hours_kk = blocks.CharBlock(required=False, label=_("Reception hours (in Kazakh)"))
    reception_hours_ru = blocks.CharBlock(required=False, label=_("Reception hours (in Russian)"))
    reception_hours_en = blocks.CharBlock(required=False, label=_("Reception hours (in English)"))


DOCUMENT_TYPES = [
    ("charter", _("Charter")),
    ("licence", _("Licence")),
    ("annual_report", _("Annual report")),
    ("council_decision", _("Council decision approving the site's rules")),  # clause 1.4
    ("other", _("Other document")),
]


class SchoolDocumentBlock(TranslatedStructBlock):
    """Clause 3.1.3: a typed document with its number and date."""

    required_translations = ("title",)
    document_type = blocks.ChoiceBlock(choices=DOCUMENT_TYPES, label=_("Type"))
    document = DocumentChooserBlock(label=_("File"))
    title_kk = blocks.CharBlock(required=False, label=_("Title (in Kazakh)"))
    title_ru = blocks.CharBlock(required=False, label=_("Title (in Russian)"))
    title_en = blocks.CharBlock(required=False, label=_("Title (in English)"))
    number = blocks.CharBlock(required=False, label=_("Number"))
    date = blocks.DateBlock(label=_("Date"))
    valid_until = blocks.DateBlock(required=False, label=_("Valid until"))


class DatedEntryBlock(TranslatedStructBlock):
    """A dated entry with a title, text and an optional document (clauses 3.1.5, 3.1.6, 3.2.x)."""

    required_translations = ("title",)
    date = blocks.DateBlock(label=_("Date"))
    title_kk = blocks.CharBlock(required=False, label=_("Title (in Kazakh)"))
    title_ru = blocks.CharBlock(required=False, label=_("Title (in Russian)"))
    title_en = blocks.CharBlock(required=False, label=_("Title (in English)"))
    text_kk = blocks.TextBlock(required=False, label=_("Text (in Kazakh)"))
    text_ru = blocks.TextBlock(required=False, label=_("Text (in Russian)"))
    text_en = blocks.TextBlock(required=False, label=_("Text (in English)"))
    document = DocumentChooserBlock(required=False, label=_("Document"))


ACTIVITY_KINDS = [("research", _("Research work")), ("olympiad", _("Olympiad")), ("creative", _("Creative work"))]
PROCESS_KINDS = [("schedule", _("Schedule")), ("curriculum", _("Curriculum")), ("regulation", _("Regulation"))]
ACHIEVEMENT_LEVELS = [
    ("school", _("School")),
    ("district", _("District")),
    ("region", _("Region")),
    ("national", _("National")),
    ("international", _("International")),
]


class ActivityEntryBlock(DatedEntryBlock):
    kind = blocks.ChoiceBlock(choices=ACTIVITY_KINDS, label=_("Kind"))


class ProcessEntryBlock(DatedEntryBlock):
    kind = blocks.ChoiceBlock(choices=PROCESS_KINDS, label=_("Kind"))


class AchievementBlock(DatedEntryBlock):
    level = blocks.ChoiceBlock(choices=ACHIEVEMENT_LEVELS, label=_("Level"))


QUALIFICATION_CATEGORIES = [
    ("none", _("No category")),
    ("moderator", _("Teacher-moderator")),
    ("expert", _("Teacher-expert")),
    ("researcher", _("Teacher-researcher")),
    ("master", _("Teacher-master")),
    ("second", _("Second category")),
    ("first", _("First category")),
    ("highest", _("Highest category")),
]


class StaffMemberBlock(TranslatedStructBlock):
    """Clause 3.1.7: a teacher or member of staff."""

    required_translations = ("position",)
    full_name = blocks.CharBlock(label=_("Full name"))
    position_kk = blocks.CharBlock(required=False, label=_("Position (in Kazakh)"))
    position_ru = blocks.CharBlock(required=False, label=_("Position (in Russian)"))
    position_en = blocks.CharBlock(required=False, label=_("Position (in English)"))
    subjects_kk = blocks.CharBlock(required=False, label=_("Subjects (in Kazakh)"))
    subjects_ru = blocks.CharBlock(required=False, label=_("Subjects (in Russian)"))
    subjects_en = blocks.CharBlock(required=False, label=_("Subjects (in English)"))
    qualification_category = blocks.ChoiceBlock(
        choices=QUALIFICATION_CATEGORIES, default="none", label=_("Qualification category")
    )
    education_kk = blocks.CharBlock(required=False, label=_("Education (in Kazakh)"))
    education_ru = blocks.CharBlock(required=False, label=_("Education (in Russian)"))
    education_en = blocks.CharBlock(required=False, label=_("Education (in English)"))
    # The year pedagogical work began, not a number of years: the length of service shown stays true.
    teaching_since = blocks.IntegerBlock(
        required=False, min_value=1940, max_value=2100, label=_("Teaching since (year)")
    )
    attestation_date = blocks.DateBlock(required=False, label=_("Date of the last attestation"))
    photo = ImageChooserBlock(required=False, label=_("Photo"))


class GraduatesBlock(blocks.StructBlock):
    """Clause 3.1.7: the graduates of one year."""

    year = blocks.IntegerBlock(min_value=1900, max_value=2100, label=_("Year"))
    text_kk = blocks.TextBlock(required=False, label=_("Text (in Kazakh)"))
    text_ru = blocks.TextBlock(required=False, label=_("Text (in Russian)"))
    text_en = blocks.TextBlock(required=False, label=_("Text (in English)"))
    document = DocumentChooserBlock(required=False, label=_("Document"))


class TeachingMaterialBlock(TranslatedStructBlock):
    """Clause 3.2.5: a teacher's material for a subject (a lesson plan, a worksheet, a presentation)."""

    required_translations = ("subject", "title")
    subject_kk = blocks.CharBlock(required=False, label=_("Subject (in Kazakh)"))
    subject_ru = blocks.CharBlock(required=False, label=_("Subject (in Russian)"))
    subject_en = blocks.CharBlock(required=False, label=_("Subject (in English)"))
    teacher = blocks.CharBlock(label=_("Teacher (full name)"))
    date = blocks.DateBlock(label=_("Date"))
    title_kk = blocks.CharBlock(required=False, label=_("Title (in Kazakh)"))
    title_ru = blocks.CharBlock(required=False, label=_("Title (in Russian)"))
    title_en = blocks.CharBlock(required=False, label=_("Title (in English)"))
    text_kk = blocks.TextBlock(required=False, label=_("Text (in Kazakh)"))
    text_ru = blocks.TextBlock(required=False, label=_("Text (in Russian)"))
    text_en = blocks.TextBlock(required=False, label=_("Text (in English)"))
    document = DocumentChooserBlock(required=False, label=_("Document"))
