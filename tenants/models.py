"""The region's schools (one PostgreSQL schema each) and the hosts they answer on."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
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


class SchemaTemplate(models.Model):
    """The SQL that migrations run to build a school schema, replayed to provision a school.

    One row per migration state (``fingerprint``); see ``tenants.services.schema_template``.
    """

    fingerprint = models.CharField(max_length=64, unique=True)
    sql = models.TextField()
    statement_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"schema template {self.fingerprint[:12]} ({self.statement_count} statements)"


class RegionalScreeningRule(models.Model):
    """A screening rule the regional office adds for every school (clause 3.3); see workflows.screening.rules."""

    class Clause(models.TextChoices):
        VIOLENCE_HATRED = "3.3.1", _("3.3.1 Calls to violence, coercion, ethnic or religious hatred")
        HONOUR_DIGNITY = "3.3.2", _("3.3.2 Damage to the honour and dignity of the school or its people")
        DANGEROUS_PROPAGANDA = "3.3.4", _("3.3.4 Propaganda of violence, sex, drugs, danger to life")
        ADVERTISING = "3.3.5", _("3.3.5 Advertising of other organisations")
        UNLAWFUL = "3.3.6", _("3.3.6 Information contrary to the law of the Republic of Kazakhstan")

    clause = models.CharField(_("clause"), max_length=8, choices=Clause.choices)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    text = models.CharField(_("rule"), max_length=300)
    reason = models.CharField(_("why it was added"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.CharField(_("added by"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("regional screening rule")
        verbose_name_plural = _("regional screening rules")
        ordering = ["clause", "language", "text"]
        constraints = [models.UniqueConstraint(fields=["clause", "language", "text"], name="one_regional_rule")]

    def __str__(self) -> str:
        return f"{self.clause} {self.language}: {self.text}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from workflows.screening.rules import rule_pattern

        try:
            rule_pattern(self.text)
        except ValidationError as error:
            raise ValidationError({"text": error.messages}) from error


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
        OPEN = "open", _("opened a school site")
        IMPORT = "import", _("imported schools from a file")
        HEAD = "head", _("appointed the head of the school")
        RULE = "rule", _("changed a screening rule")
        PERIOD = "period", _("set the longest update period of a section")
        STAFF = "staff", _("changed a regional staff account")
        EXPORT = "export", _("exported data")

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

    # The words the console writes into ``data`` (tenants.staff, the exports, the screening rules).
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


class SchoolImport(models.Model):
    """A CSV of schools uploaded in the console: checked first (``preview``), then run in the background.

    The file's text is kept so that the background job reads exactly what was previewed; ``processed``
    moves as each row is done, for the progress bar; ``results`` says what became of every row.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", _("checked, not started")
        QUEUED = "queued", _("waiting for a worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    file_name = models.CharField(_("file"), max_length=255)
    language = models.CharField(max_length=8, blank=True)  # the uploader's, for the rows' problems
    content = models.TextField()
    uploaded_by = models.CharField(_("by"), max_length=254)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CHECKED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=list)  # [{"line", "subdomain", "bin", "name", "outcome", "problems"}]
    results = models.JSONField(default=list)  # the same, after the run, with "invitations"
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("school import")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 100

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    WORKER_PATIENCE = datetime.timedelta(minutes=1)

    @property
    def is_waiting_too_long(self) -> bool:
        """Queued for over a minute: no background worker is taking jobs."""
        return (
            self.status == self.Status.QUEUED
            and self.started_at is not None
            and timezone.now() - self.started_at > self.WORKER_PATIENCE
        )
