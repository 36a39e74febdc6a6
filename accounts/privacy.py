"""The editor's privacy choice in the school's words (clause 5.2): public, or for some of its readers.

Wagtail's privacy dialogs (a page's, a collection of documents') list every group of the schema, which in
a school are the editor's roles ("Chief editor", "Editorial group member"): choosing one of them hides a
page from the parents it was meant for. These forms offer the reader groups alone, named in the
administrator's language; the restriction saved is Wagtail's own, which its page and document views
enforce. Mounted over Wagtail's addresses in ``regional_platform.urls_tenants``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.collections import CollectionViewRestrictionForm
from wagtail.admin.forms.pages import PageViewRestrictionForm
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views.page_privacy import SetPrivacyView
from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction
from wagtail.permissions import policy_registry

from accounts.readers import reader_groups
from regulation.roles import ReaderGroup

CHOICE_LABELS = {
    BaseViewRestriction.NONE: _("Public: anyone may read it"),
    BaseViewRestriction.LOGIN: _("Anyone signed in to this school's site"),
    BaseViewRestriction.GROUPS: _("Only these readers of the school, once signed in:"),
}


class ReaderRestrictionMixin:
    """Reader groups only, by their labels; the choices said in the school's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        field = self.fields["groups"]  # type: ignore[attr-defined]
        field.queryset = field.queryset.model.objects.filter(pk__in=[group.pk for group in reader_groups()])
        field.label = _("Readers")
        field.label_from_instance = lambda group: ReaderGroup(group.name).label
        choices = self.fields["restriction_type"]  # type: ignore[attr-defined]
        choices.choices = [(value, CHOICE_LABELS.get(value, label)) for value, label in choices.choices]


class ReaderPageViewRestrictionForm(ReaderRestrictionMixin, PageViewRestrictionForm):
    pass


class ReaderCollectionViewRestrictionForm(ReaderRestrictionMixin, CollectionViewRestrictionForm):
    pass


class ReaderPagePrivacyView(SetPrivacyView):
    """Wagtail's page privacy dialog (its permission test: ``can_set_view_restrictions``), our form."""

    form_class = ReaderPageViewRestrictionForm


page_privacy_view = ReaderPagePrivacyView.as_view()


def collection_privacy_view(request, collection_id: int):
    """Wagtail's collection privacy dialog (wagtail.admin.views.collection_privacy), with our form."""
    collection = get_object_or_404(Collection, id=collection_id)
    if not policy_registry.get_by_type(Collection).user_has_permission_for_instance(
        request.user, "change", collection
    ):
        raise PermissionDenied
    restrictions = collection.get_view_restrictions().order_by("collection__depth")
    restriction = restrictions[0] if restrictions else None
    if restriction is not None and restriction.collection != collection:
        return render_modal_workflow(
            request,
            "wagtailadmin/collection_privacy/ancestor_privacy.html",
            None,
            {"collection_with_restriction": restriction.collection},
        )
    if request.method == "POST":
        form = ReaderCollectionViewRestrictionForm(request.POST, instance=restriction)
        if form.is_valid():
            if form.cleaned_data["restriction_type"] == CollectionViewRestriction.NONE:
                if restriction is not None:
                    restriction.delete()
            else:
                restriction = form.save(commit=False)
                restriction.collection = collection
                restriction.save()
                form.save_m2m()
            return render_modal_workflow(
                request,
                None,
                None,
                None,
                json_data={"step": "set_privacy_done", "is_public": form.cleaned_data["restriction_type"] == "none"},
            )
    elif restriction is not None:
        form = ReaderCollectionViewRestrictionForm(instance=restriction)
    else:
        form = ReaderCollectionViewRestrictionForm(initial={"restriction_type": CollectionViewRestriction.NONE})
    return render_modal_workflow(
        request,
        "wagtailadmin/shared/set_privacy.html",
        None,
        {
            "action_url": reverse("wagtailadmin_collections:set_privacy", args=(collection.pk,)),
            "object": collection,
            "form": form,
        },
        json_data={"step": "set_privacy"},
    )
