"""Cell values safe to hand to a spreadsheet: every export of the platform (the console's, a school's audit trail)
goes through here."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that a spreadsheet would run as a formula (a school's name from an uploaded file, say) is kept as
    text, with the apostrophe spreadsheets themselves use for that (OWASP: CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
