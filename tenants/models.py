"""The region's schools (one PostgreSQL schema each) and the hosts they answer on."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from .validators import validate_bin


class School(TenantMixin):
    """A school of the region and its website; its schema holds the site's content and people."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    name_kk = models.CharField(_("name in Kazakh"), max_length=255)
    name_ru = models.CharField(_("name in Russian"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=100)
    bin = models.CharField(_("BIN"), max_length=12, unique=True, validators=[validate_bin])
    region = models.CharField(_("region"), max_length=150)
    district = models.CharField(_("district"), max_length=150)
    address = models.CharField(_("address"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # The language a visitor sees when a page has no text in theirs (issue: languages).
    default_language = models.CharField(_("default language"), max_length=2, choices=settings.LANGUAGES, default="kk")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The tenant migrations its schema holds (provisioning.schema_template.tenant_schema_version), so that one
    # query finds the schools a deploy must migrate; empty for a school whose version is not known yet.
    schema_version = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)

    # school_provision builds the schema from the template; never by migrations on save.
    auto_create_schema = False
    # Deleting a row must never destroy a school's content by accident.
    auto_drop_schema = False

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name_kk"]
        indexes = [models.Index(fields=["region", "district"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The school's name in the active language, falling back to Kazakh."""
        language = (get_language() or "kk")[:2]
        return getattr(self, f"name_{language}", "") or self.name_kk

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED


class Domain(DomainMixin):
    """A host name of a school: its platform subdomain (primary) or a custom domain."""

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class RegionalAction(models.Model):
    """What the regional office did, by whom and why (public schema): every change made from the console,
    and every export of the region's data."""

    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="regional_actions"
    )
    actor = models.CharField(_("by"), max_length=254)

    class Action(models.TextChoices):
        SUSPEND = "suspend", _("suspended the site")
        RESTORE = "restore", _("put the site back online")
        REMIND = "remind", _("reminded the responsible people")
        ADMINISTRATOR = "administrator", _("appointed the site administrator")
        ANNOUNCE = "announce", _("published an announcement")
        ANNOUNCE_END = "announce_end", _("ended an announcement")
        DELETE = "delete", _("deleted an archived item for good")
        OPEN = "open", _("added a school")
        IMPORT = "import", _("imported schools from a file")
        HEAD = "head", _("appointed the head of the school")
        RULE = "rule", _("changed a screening rule")
        PERIOD = "period", _("set the longest update period of a section")
        STAFF = "staff", _("changed a regional staff account")
        EXPORT = "export", _("exported data")
        INVITE = "invite", _("sent an invitation again")

    action = models.CharField(_("action"), max_length=64, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("regional action")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    DETAIL_LABELS = {
        "account": _("account"),
        "change": _("change"),
        "clause": _("clause"),
        "district": _("district"),
        "districts": _("districts"),
        "email": _("e-mail"),
        "file": _("file"),
        "filters": _("filters"),
        "format": _("format"),
        "host": _("host"),
        "language": _("language"),
        "max_days": _("days"),
        "role": _("role"),
        "rows": _("lines"),
        "rule": _("rule"),
        "section": _("section"),
        "title": _("title"),
        "what": _("what"),
    }

    # The words the console writes into ``data`` (console.staff, the exports, the screening rules).
    VALUE_LABELS = {
        "add": _("account added"),
        "role": _("role changed"),
        "deactivate": _("deactivated"),
        "reactivate": _("reactivated"),
        "reset": _("password and second factor reset"),
        "on": _("switched on"),
        "off": _("switched off"),
        "overview": _("overview of the schools"),
        "school state": _("the school's state"),
        "audit trail": _("the school's audit trail"),
        "office audit trail": _("the office's audit trail"),
        "report": _("printable report"),
        "regional administrator": _("Office administrator"),
        "regional inspector": _("Inspector (read only)"),
    }

    @property
    def details(self) -> list[tuple[str, str]]:
        """The action's data as labelled pairs in the reader's language, empty values left out."""
        pairs = []
        for key, value in self.data.items():
            if value in ("", None, [], {}):
                continue
            values = value if isinstance(value, list) else [value]
            shown = ", ".join(str(self.VALUE_LABELS.get(item, item)) for item in values)
            pairs.append((str(self.DETAIL_LABELS.get(key, key)), shown))
        return pairs


class Announcement(models.Model):
    """A notice of the regional office shown as a banner on every school site, or on chosen districts'."""

    text_kk = models.CharField(_("text in Kazakh"), max_length=500)
    text_ru = models.CharField(_("text in Russian"), max_length=500)
    text_en = models.CharField(_("text in English"), max_length=500, blank=True)
    districts = models.JSONField(_("districts"), default=list, blank=True)  # empty: the whole region
    starts_at = models.DateTimeField(_("shown from"))
    ends_at = models.DateTimeField(_("shown until"))
    created_by = models.CharField(_("by"), max_length=254)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["ends_at"])]

    def __str__(self) -> str:
        return self.text_kk[:60]

    def text(self, language: str) -> str:
        return getattr(self, f"text_{language}", "") or self.text_kk
