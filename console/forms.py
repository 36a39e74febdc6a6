"""Forms of the regional console; they parse input and leave the rules to the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from compliance.overview import OverviewFilters
from provisioning.services import SchoolDetails, school_details_clean
from tenants.models import School


class SchoolProvisionForm(forms.Form):
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=255)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=255)
    name_en = forms.CharField(label=_("Name in English"), max_length=255, required=False)
    short_name = forms.CharField(label=_("Short name"), max_length=100)
    bin = forms.CharField(label=_("BIN"), max_length=20, help_text=_("12 digits."))
    region = forms.CharField(label=_("Region"), max_length=150)
    district = forms.CharField(label=_("District"), max_length=150)
    address = forms.CharField(label=_("Address"), max_length=300)
    subdomain = forms.CharField(
        label=_("Subdomain"),
        max_length=63,
        help_text=_("Lowercase Latin letters, digits and hyphens, like school-7."),
    )
    head_full_name = forms.CharField(label=_("Head of school: full name"), max_length=150)
    head_email = forms.CharField(label=_("Head of school: e-mail"), max_length=254)
    administrator_full_name = forms.CharField(
        label=_("Site administrator: full name"),
        max_length=150,
        required=False,
        help_text=_("Leave empty if the head of school is also the site administrator."),
    )
    administrator_email = forms.CharField(label=_("Site administrator: e-mail"), max_length=254, required=False)

    def clean(self):
        data = super().clean()
        # Check with the service even when some fields failed here, so that every
        # problem shows at once; a field keeps only its first kind of error.
        details = SchoolDetails.from_columns(data)
        try:
            self.details = school_details_clean(details)
        except ValidationError as exc:
            self.add_service_errors(exc)
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's errors next to their fields; a field keeps its first kind of error."""
        for field_name, messages in error.message_dict.items():
            target = field_name if field_name in self.fields else None
            if target in self.errors:
                continue
            for message in messages:
                self.add_error(target, message)


class SchoolSearchForm(forms.Form):
    """The overview's search, filters and sorting (issue: regional console)."""

    q = forms.CharField(label=_("Search by name or BIN"), required=False, max_length=100)
    district = forms.ChoiceField(label=_("District"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *list(School.Status.choices)]
    )
    score_min = forms.FloatField(label=_("Score from (%)"), required=False, min_value=0, max_value=100)
    score_max = forms.FloatField(label=_("Score to (%)"), required=False, min_value=0, max_value=100)
    incomplete = forms.BooleanField(label=_("Mandatory items missing"), required=False)
    stale = forms.BooleanField(label=_("Stale sections"), required=False)
    waiting = forms.BooleanField(label=_("Submissions or findings waiting"), required=False)
    expired_licence = forms.BooleanField(label=_("Licence expired"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("created", _("Newest first")),
            ("name", _("School name")),
            ("score", _("Score, lowest first")),
            ("-score", _("Score, highest first")),
            ("stale", _("Most stale sections")),
            ("pending", _("Most submissions waiting")),
            ("district", _("District")),
        ],
    )

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("Any"))] + [(name, name) for name in districts]

    def clean(self):
        data = super().clean()
        low, high = data.get("score_min"), data.get("score_max")
        if low is not None and high is not None and low > high:
            self.add_error("score_max", _("The upper bound is below the lower one."))
        return data

    def filters(self) -> OverviewFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return OverviewFilters(
            search=data.get("q", ""),
            district=data.get("district", ""),
            status=data.get("status", ""),
            score_min=data.get("score_min"),
            score_max=data.get("score_max"),
            incomplete_only=bool(data.get("incomplete")),
            stale_only=bool(data.get("stale")),
            waiting_only=bool(data.get("waiting")),
            expired_licence_only=bool(data.get("expired_licence")),
            ordering=data.get("sort") or "created",
        )


class SiteStatusForm(forms.Form):
    """The reason for suspending a school's site or putting it back online: the action's own form and field,
    labelled with the action (``suspend-reason``, ``restore-reason``), so that nobody wonders which button a
    reason belongs to; a missing one is said by the field, in the action's words."""

    reason = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    LABELS = {
        "suspend": (
            _("Why the site is suspended"),
            _("Write why the site is suspended: the reason is kept with the action in the audit trail."),
        ),
        "restore": (
            _("Why the site is put back online"),
            _("Write why the site is put back online: the reason is kept with the action in the audit trail."),
        ),
    }

    def __init__(self, *args, action: str, **kwargs):
        # The field keeps the name "reason" (what the views read); its id is the action's own.
        super().__init__(*args, auto_id=f"{action}-%s", **kwargs)
        self.action = action
        label, required = self.LABELS[action]
        self.fields["reason"].label = label
        self.fields["reason"].help_text = _("Kept in the school's audit trail with your name.")
        self.fields["reason"].error_messages["required"] = required
