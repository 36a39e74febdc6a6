"""A page's address from its title: Kazakh and Russian letters written in Latin, so a link survives e-mail,
messengers and print (`/zhanalyqtar/ata-analar-zhinalysy/`, not percent-encoded Cyrillic)."""

from __future__ import annotations

from django.utils.text import slugify

# Kazakh's letters as the 2021 Latin alphabet writes them without its diacritics (ә a, ғ g, қ q, ң ng, ө o,
# ұ u, ү u, і i, һ h), and Russian's as passports write them (ж zh, х kh, ц ts, ч ch, ш sh, щ shch, ю yu, я ya).
_LATIN = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ng", "о": "o",
    "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh",
    "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}  # fmt: skip
ADDRESS_MAX_LENGTH = 80  # Wagtail allows 255; a link people can read in full


def _latin_letter(letter: str) -> str:
    lower = letter.lower()
    if lower not in _LATIN:
        return letter
    written = _LATIN[lower]
    return written.capitalize() if letter != lower else written


def latin(text: str) -> str:
    """``text`` with its Cyrillic letters written in Latin ones; everything else as it was."""
    return "".join(_latin_letter(letter) for letter in text)


def address_from_title(title: str) -> str:
    """The last part of a page's address for ``title``: lowercase ASCII words joined by hyphens, or ""."""
    slug = slugify(latin(title.lower()))
    if len(slug) > ADDRESS_MAX_LENGTH:
        slug = slug[:ADDRESS_MAX_LENGTH].rsplit("-", 1)[0]
    return slug
