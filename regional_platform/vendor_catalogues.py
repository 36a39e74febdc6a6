"""Catalogues for the libraries the editors meet: Wagtail, taggit and Django, where they leave gaps.

Wagtail ships no Kazakh and Django's Kazakh is partial, so a Kazakh-speaking teacher would meet English on every
editor page; Wagtail's Russian lags its code by a few dozen messages. The translations live in
`locale_vendor/<language>/LC_MESSAGES/` (in LOCALE_PATHS after the project's own `locale/`, so a project string
still wins): for Kazakh every message of the installed libraries, for Russian the ones they leave untranslated.

    python -m regional_platform.vendor_catalogues          # refresh after upgrading Wagtail or Django
    python -m regional_platform.vendor_catalogues --check  # exit 1 while a message lacks a translation

Refreshing adds the messages a new version brings (empty, with Wagtail's Russian as a hint for the translator),
drops the ones it no longer has and keeps every translation already made. `make messages` runs it and compiles.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib

VENDOR_LOCALE = Path(__file__).resolve().parent.parent / "locale_vendor"
# Kazakh nouns stay singular after a number ("5 бет"), so both forms are usually the same word; each formula is
# Django's own for the language, which keeps Django's catalogue merging on one plural function per language.
PLURAL_FORMS = {
    "kk": "nplurals=2; plural=(n!=1);",
    "ru": "nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : "
    "n%10==0 || (n%10>=5 && n%10<=9) || (n%100>=11 && n%100<=14)? 2 : 3);",
}
# Kazakh: everything the libraries say, except where Django itself has Kazakh. Russian: only the gaps.
TAKE_ALL = {"kk": {"wagtail", "taggit"}, "ru": set()}
HINT_LANGUAGE = {"kk": "ru", "ru": "uk"}  # the closest translation the library has, for the translator


@dataclass(frozen=True)
class Source:
    """A library's catalogue whose messages the editors can meet."""

    package: str
    folder: str  # inside the package
    domain: str = "django"


# The Wagtail apps in INSTALLED_APPS, the tag widget, and the parts of Django an editor's form errors and
# password pages come from. Wagtail's contrib apps the platform does not install are left out.
SOURCES = (
    Source("wagtail", "locale"),
    Source("wagtail", "admin/locale"),
    Source("wagtail", "admin/locale", domain="djangojs"),
    Source("wagtail", "documents/locale"),
    Source("wagtail", "images/locale"),
    Source("wagtail", "search/locale"),
    Source("wagtail", "sites/locale"),
    Source("wagtail", "snippets/locale"),
    Source("wagtail", "users/locale"),
    Source("wagtail", "contrib/settings/locale"),
    Source("taggit", "locale"),
    Source("django", "conf/locale"),
    Source("django", "contrib/auth/locale"),
)


def package_folder(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise SystemExit(f"{package} is not installed")
    return Path(spec.origin).parent


def catalogue_path(folder: Path, language: str, domain: str) -> Path:
    return folder / language / "LC_MESSAGES" / f"{domain}.po"


def source_entries(source: Source, language: str) -> Iterator[tuple[polib.POEntry, str]]:
    """The library's messages (with a neighbouring language's translation as a hint) that ``language`` needs."""
    folder = package_folder(source.package) / source.folder
    english = catalogue_path(folder, "en", source.domain)
    hint_catalogue = catalogue_path(folder, HINT_LANGUAGE[language], source.domain)
    own = catalogue_path(folder, language, source.domain)
    if not english.exists():
        raise SystemExit(f"{english} is missing: has the library moved its catalogues?")
    hints = {}
    if hint_catalogue.exists():
        hints = {
            (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0, "") for e in polib.pofile(str(hint_catalogue))
        }
    translated_already: set[tuple[str | None, str]] = set()
    if source.package not in TAKE_ALL[language] and own.exists():
        translated_already = {
            (e.msgctxt, e.msgid)
            for e in polib.pofile(str(own))
            if e.translated() and "fuzzy" not in e.flags and not e.obsolete
        }
    for entry in polib.pofile(str(english)):
        key = (entry.msgctxt, entry.msgid)
        if entry.obsolete or not entry.msgid or key in translated_already:
            continue
        yield entry, hints.get(key, "")


def refreshed(language: str, domain: str, existing: polib.POFile | None) -> polib.POFile:
    kept = {(e.msgctxt, e.msgid): e for e in existing or [] if not e.obsolete}
    catalogue = polib.POFile(wrapwidth=120)
    catalogue.metadata = {
        "Project-Id-Version": "regional-platform vendor catalogue",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS[language],
    }
    seen: set[tuple[str | None, str]] = set()
    for source in SOURCES:
        if source.domain != domain:
            continue
        for entry, hint in source_entries(source, language):
            key = (entry.msgctxt, entry.msgid)
            if key in seen:  # the same message in two Wagtail apps gets one translation
                continue
            seen.add(key)
            old = kept.get(key)
            fresh = polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                flags=[flag for flag in entry.flags if flag != "fuzzy"],
                comment=f"{source.package}: {source.folder}"
                + (f"\n{HINT_LANGUAGE[language]}: {hint}" if hint else ""),
            )
            if entry.msgid_plural:
                forms = int(PLURAL_FORMS[language].split("nplurals=")[1].split(";")[0])
                fresh.msgstr_plural = (
                    dict(old.msgstr_plural) if old and old.msgstr_plural else dict.fromkeys(range(forms), "")
                )
            else:
                fresh.msgstr = old.msgstr if old else ""
            catalogue.append(fresh)
    return catalogue


def untranslated(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [e for e in catalogue if not e.translated() or "fuzzy" in e.flags]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; fail while a message is untranslated")
    arguments = parser.parse_args(argv)
    missing = 0
    for language, domain in ((language, domain) for language in PLURAL_FORMS for domain in ("django", "djangojs")):
        path = catalogue_path(VENDOR_LOCALE, language, domain)
        existing = polib.pofile(str(path)) if path.exists() else None
        catalogue = refreshed(language, domain, existing)
        if not len(catalogue):  # nothing the libraries leave untranslated
            if not arguments.check:
                path.unlink(missing_ok=True)
            continue
        gaps = untranslated(catalogue)
        missing += len(gaps)
        print(f"{path.relative_to(VENDOR_LOCALE.parent)}: {len(catalogue)} messages, {len(gaps)} untranslated")
        for entry in gaps[:20]:
            print(f"  {entry.msgid[:100]!r}")
        if not arguments.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogue.save(str(path))
    return 1 if arguments.check and missing else 0


if __name__ == "__main__":
    sys.exit(main())
