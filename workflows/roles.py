"""The roles the regulation names, as groups in every school's schema.

Each role is a Django group created by this app's migrations, so every school
schema has them from the moment it exists. Group names are stored data (they
are the keys that code looks up); what a person sees is ``Role.label``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Clause 1.2 / 4.1: the head appoints the site administrator and answers for the site.
    DIRECTOR = "Director", _("Director (head of school)")
    # Clause 1.2 / 4.2 / 5.5: places and removes information; answers for what is published.
    SITE_ADMINISTRATOR = "Site administrator", _("Site administrator")
