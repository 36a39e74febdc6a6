"""Month names in dates ("26 November 2026"), marked here so that our catalogues carry them.

Django's own Kazakh catalogue capitalises them, which Kazakh does not do inside a date;
our kk catalogue, read first (LOCALE_PATHS), gives the lowercase forms. Never imported: only
makemessages reads this file.
"""

from django.utils.translation import pgettext_lazy

MONTHS_IN_DATES = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]
