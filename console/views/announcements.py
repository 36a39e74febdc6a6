"""The regional office's announcements in the console (issue: regional console)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from console.services.announcements import announcement_end, announcement_publish
from console.views.access import regional_administrator_required, regional_staff_required
from tenants.models import Announcement
from tenants.selectors import districts

_REACH = datetime.timedelta(days=3652)  # how far from today an announcement may start or end
_WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_TEXT = forms.Textarea(attrs={"rows": 2})


class AnnouncementForm(forms.Form):
    text_kk = forms.CharField(
        label=gettext_lazy("Text in Kazakh"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    text_ru = forms.CharField(
        label=gettext_lazy("Text in Russian"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    text_en = forms.CharField(label=gettext_lazy("Text in English"), max_length=500, required=False, widget=_TEXT)
    districts = forms.MultipleChoiceField(
        label=gettext_lazy("Districts (none chosen: the whole region)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = forms.DateTimeField(label=gettext_lazy("Shown from"), widget=_WHEN)
    ends_at = forms.DateTimeField(label=gettext_lazy("Shown until"), widget=_WHEN)
    # Announcements are screened like any publication (clause 3.3); this is asked only when screening finds something.
    screening_reason = forms.CharField(
        label=gettext_lazy("If screening finds something: why it may be published anyway"),
        max_length=1000,
        required=False,
        widget=_TEXT,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].choices = [(name, name) for name in districts()]

    def _within_reach(self, name: str):
        # A year like 0001 is a valid date, but PostgreSQL would keep it as a date BC (Almaty is ahead of UTC)
        # that Python cannot read back: the announcements page would fail for everyone from then on.
        moment = self.cleaned_data[name]
        now = timezone.now()
        if not now - _REACH <= moment <= now + _REACH:
            raise forms.ValidationError(_("Choose a date within ten years of today."))
        return moment

    def clean_starts_at(self):
        return self._within_reach("starts_at")

    def clean_ends_at(self):
        return self._within_reach("ends_at")


@regional_staff_required
@require_http_methods(["GET", "POST"])
def announcements_view(request):
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {"starts_at": now, "ends_at": now + timezone.timedelta(days=1)}
    form = AnnouncementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            announcement_publish(**form.cleaned_data, actor=request.user.get_username())
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("The announcement is published on the chosen schools' sites."))
            return redirect("console:announcements")
    current = Announcement.objects.filter(ends_at__gt=timezone.now())
    past = Announcement.objects.filter(ends_at__lte=timezone.now())[:20]
    return render(request, "console/announcements.html", {"form": form, "current": current, "past": past})


@regional_administrator_required
@require_POST
def announcement_end_view(request, announcement_id: int):
    announcement_end(
        announcement=get_object_or_404(Announcement, pk=announcement_id), actor=request.user.get_username()
    )
    messages.success(request, _("The announcement is taken down."))
    return redirect("console:announcements")
