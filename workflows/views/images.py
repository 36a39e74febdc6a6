"""Images in the school's editor (clause 1.2): Wagtail's "Delete" archives the image instead, with a reason,
and archived images are listed only in the archive.

These views answer at Wagtail's own image paths (mounted before Wagtail's, ``workflows.wagtail_hooks``), so
every "Delete" link and button of Wagtail's image screens leads here.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.images import get_image_model
from wagtail.images.views.images import IndexView

from regulation.permissions import Capability, user_may
from workflows.archive import image_archive, image_shown_on
from workflows.selectors import archived_ids
from workflows.views.archive import ReasonForm, _form_errors

# The reason recorded when an image is removed on the upload screen, right after it was uploaded.
REMOVED_AFTER_UPLOAD = gettext_lazy("Removed on the upload screen right after it was uploaded.")


def image_archive_view(request, image_id: int):
    """Wagtail's "Delete image", made "Archive image": the image and its file are kept and can be restored."""
    image = get_object_or_404(get_image_model(), pk=image_id)
    if not user_may(request.user, Capability.ARCHIVE):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            image_archive(image=image, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("“%(title)s” is archived; the archive can restore it.") % {"title": image.title}
            )
            return redirect("wagtailimages:index")
    return TemplateResponse(
        request,
        "workflows/admin/image_archive.html",
        {
            "image": image,
            "form": form,
            "shown_on": image_shown_on(image),
            "page_title": _("Archive: %(title)s") % {"title": image.title},
        },
    )


@require_POST
def image_upload_removal_view(request, image_id: int):
    """The upload screen's "Delete" of an image just uploaded: archived too, with the reason said for them."""
    image = get_object_or_404(get_image_model(), pk=image_id)
    if not user_may(request.user, Capability.ARCHIVE):
        return JsonResponse(
            {"success": False, "error_message": _("Only the site administrator can archive.")}, status=403
        )
    try:
        image_archive(image=image, user=request.user, reason=str(REMOVED_AFTER_UPLOAD))
    except ValidationError as error:
        return JsonResponse({"success": False, "error_message": " ".join(error.messages)}, status=400)
    return JsonResponse({"success": True, "image_id": image.pk})


class ImagesInUseView(IndexView):
    """Wagtail's image listing without the archived images (they are listed in the archive)."""

    def get_base_queryset(self):
        return super().get_base_queryset().exclude(pk__in=archived_ids(get_image_model()))


def refuse_image_bulk_deletion(request, action_type, objects, action_class_instance):
    """``before_bulk_action``: images are archived one by one, each with its reason, never deleted in bulk."""
    model = getattr(action_class_instance, "model", None)
    if action_type == "delete" and model is not None and issubclass(model, get_image_model()):
        messages.error(
            request,
            _("Images are not deleted: open an image and use “Delete” to archive it with a reason."),
        )
        return redirect("wagtailimages:index")
    return None
