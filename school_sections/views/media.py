"""On a school's host: its uploaded images, and nothing of any other school's.

Uploads live under MEDIA_ROOT/<schema>/ (django-tenants' TenantFileSystemStorage).
A plain web-server alias would serve every school's folder on every host and
let anyone fetch a document directly, past Wagtail's privacy checks; so the
application decides, and in production hands the sending to nginx
(X-Accel-Redirect, deploy/nginx.conf).
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.views.static import serve
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_document_serve

# Wagtail serves documents through its own view, which checks privacy settings; an archived image's original is
# kept under archived_images/ (workflows.archive, clause 1.2) and served to nobody.
_NOT_SERVED_DIRECTLY = {"documents", "archived_images"}


def school_media(request, path: str):
    parts = PurePosixPath(path).parts
    if (
        len(parts) < 2
        or parts[0] != connection.schema_name
        or parts[1] in _NOT_SERVED_DIRECTLY
        or any(part in {"..", "."} for part in parts)
    ):
        raise Http404
    if settings.MEDIA_X_ACCEL_REDIRECT:
        response = HttpResponse()
        response["X-Accel-Redirect"] = f"/protected-media/{path}"
        del response["Content-Type"]  # nginx sets it from the file
        return response
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def _document_restricted(document_id) -> bool:
    """Whether the document's collection, or one above it, lets only some people read it (clause 5.2)."""
    document = get_document_model().objects.select_related("collection").filter(pk=document_id).first()
    return document is not None and document.collection.get_view_restrictions().exists()


def document_serve(request, document_id, document_filename):
    """Wagtail's document view (privacy checks, types, If-Modified-Since), without the literal
    ``Content-Encoding: None`` it sends for every file whose name implies no encoding: its
    ``wagtail/utils/sendfile.py`` sets the header to ``encoding or guessed_encoding`` even when both are
    None, and a client may then refuse the download as an unknown coding.

    A restricted document (for staff, parents or pupils) goes out ``private, no-store``: without it a shared
    proxy may keep the copy a signed-in parent fetched and hand it to anyone (clause 5.2)."""
    response = wagtail_document_serve(request, document_id, document_filename)
    if response.get("Content-Encoding") == "None":
        del response["Content-Encoding"]
    if 200 <= response.status_code < 400 and _document_restricted(document_id):
        response["Cache-Control"] = "private, no-store"
    return response
