"""Kazakh date and number formats, which Django does not ship (it would show 11/26/2026).

As in Kazakhstan's official documents: 26.11.2026, and the long form day, month, year followed by the
abbreviation of "year" (tests/test_translations.py shows it); that abbreviation is written as an escape
so that this module stays ASCII like the rest of the code.
"""

DATE_FORMAT = "j E Y \u0436."
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "j E Y \u0436. G:i"
YEAR_MONTH_FORMAT = "F Y \u0436."
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S.%f", "%d.%m.%Y %H:%M", "%d.%m.%y %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # a no-break space
NUMBER_GROUPING = 3
