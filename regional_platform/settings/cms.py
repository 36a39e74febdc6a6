"""Wagtail, which runs inside every school's schema."""

from django.conf.locale import LANG_INFO
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

WAGTAIL_SITE_NAME = _("Regional school sites")
# The editor's own language choice: the region's three, Kazakh first (not Wagtail's 35), each named in
# itself as Django names it.
WAGTAILADMIN_PERMITTED_LANGUAGES = [(code, LANG_INFO[code]["name_local"]) for code in ("kk", "ru", "en")]


def _admin_base_url() -> str:
    from tenants.hosts import admin_base_url  # at use, not at settings load

    return admin_base_url()


# Wagtail's notification e-mails link to this: evaluated each time, for the active school.
WAGTAILADMIN_BASE_URL = lazy(_admin_base_url, str)()
# PostgreSQL full text, per school (the index lives in the school's schema). The "simple"
# configuration: PostgreSQL has no Kazakh stemmer, and one configuration serves all languages.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}}
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "doc",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "xls",
    "zip",
    "jpg",
    "jpeg",
    "png",
]
# ...and the content must match the extension (school_sections/uploads.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "school_sections.uploads.CheckedDocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# ...and an image must decode whole: a broken one is refused with a form error (school_sections/uploads.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "school_sections.uploads.CheckedImageForm"
# Clause 5.2: a page restricted to readers sends a visitor to the readers' sign-in on the school's host
# (accounts.views.readers_site), not to Wagtail's untranslated one.
WAGTAIL_FRONTEND_LOGIN_URL = "/account/sign-in/"
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the servers do not reach the internet
WAGTAIL_I18N_ENABLED = False
# Wagtail's background tasks (django-tasks) carry no schema: run them immediately,
# inside the request's schema (design.md, "Wagtail's background tasks").
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Avatars from gravatar.com would leak staff e-mail hashes and fail on closed networks.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Wagtail's rich-text editor, its editable area named by the field's label (school_sections/widgets.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "school_sections.widgets.LabelledDraftailRichTextArea"}}
# Wagtail's "what's new" banner links to its English release notes on the internet; the editors' guide is
# the platform's own (Help → Editor's guide).
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
