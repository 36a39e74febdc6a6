"""The region's view of every school's sections (public schema): the compliance ledger, the reminders
sent while a section is stale, and the last run of each background job.

Per-school jobs write here so that a question about all schools is one query, never a loop over
schemas (clauses 2.2.3, 5.7: regular updates; 1.2: outdated information removed; 5.4: every section
in someone's hands).
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from regulation import catalogue


class LedgerEntry(models.Model):
    """One school's section as the last scan saw it."""

    school = models.ForeignKey("tenants.School", on_delete=models.CASCADE, related_name="ledger_entries")
    section_code = models.CharField(_("section"), max_length=16)
    mandatory = models.BooleanField(_("mandatory"))
    complete = models.BooleanField(_("complete"))
    missing_count = models.PositiveSmallIntegerField(_("items missing"), default=0)
    # What the section lacks, as the source (English) messages of school_sections.selectors and its rules, so
    # that the console names each item in the visitor's language (LedgerEntry.missing_items); the scan
    # writes them (compliance.freshness), older rows have none until the next scan.
    missing = models.JSONField(_("missing items"), default=list, db_default=[], blank=True)
    last_updated = models.DateTimeField(_("last updated"), null=True, blank=True)
    stale_since = models.DateTimeField(_("stale since"), null=True, blank=True)
    period_days = models.PositiveIntegerField(_("update period (days)"))
    responsible_count = models.PositiveSmallIntegerField(_("responsible people"), default=0)
    pending_reviews = models.PositiveIntegerField(_("submissions waiting for review"), default=0)
    findings_waiting = models.PositiveIntegerField(_("screening findings waiting for a decision"), default=0)
    page_id = models.PositiveIntegerField(null=True, blank=True)  # the section page in the school's schema
    scanned_at = models.DateTimeField(_("scanned"))

    class Meta:
        verbose_name = _("compliance ledger entry")
        verbose_name_plural = _("compliance ledger")
        constraints = [models.UniqueConstraint(fields=["school", "section_code"], name="one_ledger_entry")]
        indexes = [models.Index(fields=["stale_since"], condition=models.Q(stale_since__isnull=False), name="stale")]

    def __str__(self) -> str:
        return f"{self.school_id} {self.section_code}"

    @property
    def missing_items(self) -> list[str]:
        """The missing items in the active language."""
        return [gettext(item) for item in self.missing]


class Reminder(models.Model):
    """A reminder step of one stale episode of a section: claimed once, then sent.

    The unique constraint makes each (school, section, step, episode) happen once whatever runs
    twice; ``sent_at`` stays empty while it is being sent, and ``recipients`` grows by each address as soon
    as its e-mail has gone, so a run that takes over a killed one's rows skips them (compliance.letters).
    """

    school = models.ForeignKey("tenants.School", on_delete=models.CASCADE, related_name="reminders")
    section_code = models.CharField(max_length=16)
    step = models.CharField(max_length=32)
    episode = models.DateTimeField()  # the moment the section went stale
    claimed_at = models.DateTimeField()
    claim = models.UUIDField(null=True)  # the run that holds it; a run finds its own claims by this
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True)  # written to so far

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "section_code", "step", "episode"], name="one_reminder_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.section_code} {self.step} {self.episode:%Y-%m-%d}"

    STEP_LABELS = {
        "responsible": _("the responsible people"),
        "administrator": _("the site administrator"),
        "director": _("the director"),
        "region": _("the regional office"),
    }

    @property
    def recipient_count(self) -> int:
        return len([address for address in self.recipients.split(",") if address.strip()])

    @property
    def step_label(self) -> str:
        return str(self.STEP_LABELS.get(self.step, self.step))

    @property
    def section_name(self) -> str:
        """The section's clause and title in the active language (the code of one the catalogue no longer has)."""
        entry = catalogue.SECTIONS_BY_CODE.get(self.section_code)
        return f"{entry.clause} {entry.title}".strip() if entry else self.section_code


class RemindNowRequest(models.Model):
    """The regional office's "remind now" for one school: recorded when asked, claimed by the job that sends
    it, sent once every letter it needs has been handed to the mail server (compliance.remind).

    Recorded in the office's own transaction, so that the request outlives a job system that is down: the
    job queued after the commit, or the sweep (``pending_reminders_sweep``), sends it once the broker is back.
    """

    school = models.ForeignKey("tenants.School", on_delete=models.CASCADE, related_name="remind_now_requests")
    requested_by = models.CharField(max_length=150)
    requested_at = models.DateTimeField()
    claim = models.UUIDField(null=True)  # the run that is sending it
    claimed_at = models.DateTimeField(null=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True)  # written to so far: a run taken over skips them

    class Meta:
        indexes = [
            models.Index(fields=["school"], condition=models.Q(sent_at__isnull=True), name="remind_now_pending")
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def recipient_count(self) -> int:
        return len([address for address in self.recipients.split(",") if address.strip()])


class DigestDelivery(models.Model):
    """One digest to one person for one period, claimed before it is sent and marked sent right after: two
    runs of the same digest (two beats, a retry, a scan run twice) find the claim and send nothing.

    In the public schema, the school's digests keyed by school (the regional one without): a per-school table
    would be multiplied by every school (design.md), and the region's reminders already live here.
    """

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("weekly digest")
        REGIONAL = "regional", _("regional digest")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    school = models.ForeignKey("tenants.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recipient = models.EmailField()
    period = models.CharField(max_length=16)  # the day (regional) or ISO week (weekly) it covers
    claim = models.UUIDField()
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "school", "recipient", "period"], name="one_school_digest"),
            models.UniqueConstraint(
                fields=["kind", "recipient", "period"],
                condition=models.Q(school__isnull=True),
                name="one_regional_digest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.school_id} {self.recipient} {self.period}"


class RegionalUpdatePeriod(models.Model):
    """The longest update period the regional office allows for a section; schools may only tighten it."""

    section_code = models.CharField(_("section"), max_length=16, unique=True)
    max_days = models.PositiveIntegerField(_("longest update period (days)"))

    def __str__(self) -> str:
        return f"{self.section_code} ≤ {self.max_days} d"


class JobRun(models.Model):
    """The last run of a background job for a school (or for the region, school empty)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    job = models.CharField(max_length=64)
    school = models.ForeignKey("tenants.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    error = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0)  # in a row; reset by a successful run

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "school"], name="one_run_per_job_and_school"),
            models.UniqueConstraint(
                fields=["job"], condition=models.Q(school__isnull=True), name="one_run_per_regional_job"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.school_id}: {self.status}"

    @property
    def duration(self):
        return self.finished_at - self.started_at if self.finished_at else None


class SchoolSummary(models.Model):
    """What the region needs to know of a school's people, from its last scan: who administers the site
    and whether they have signed in (names only; the accounts stay in the school's schema)."""

    school = models.OneToOneField("tenants.School", on_delete=models.CASCADE, related_name="summary")
    administrators = models.CharField(_("site administrator"), max_length=500, blank=True)
    administrator_last_login = models.DateTimeField(_("administrator's last sign-in"), null=True, blank=True)
    licence_expired = models.BooleanField(_("licence expired"), default=False)
    scanned_at = models.DateTimeField(_("scanned"))

    def __str__(self) -> str:
        return f"{self.school_id}: {self.administrators}"


class ComplianceSnapshot(models.Model):
    """The region's compliance on one day, for the whole region (district empty) and per district:
    taken from the ledger after the daily scan, so that the console can draw it over time."""

    date = models.DateField(_("date"))
    district = models.CharField(_("district"), max_length=150, blank=True)  # empty: the whole region
    schools = models.PositiveIntegerField(_("schools"))
    average_score = models.FloatField(_("average score (%)"), null=True)  # None: no school scanned yet
    complete_schools = models.PositiveIntegerField(_("schools with every mandatory section complete and fresh"))
    stale_schools = models.PositiveIntegerField(_("schools with a stale section"))
    expired_licences = models.PositiveIntegerField(_("schools whose licence has expired"), default=0)

    class Meta:
        verbose_name = _("compliance snapshot")
        constraints = [models.UniqueConstraint(fields=["date", "district"], name="one_snapshot_per_day_and_district")]
        ordering = ["date", "district"]

    def __str__(self) -> str:
        return f"{self.date} {self.district or 'region'}: {self.average_score}"


class ExternalLinkCheck(models.Model):
    """What the region knows of one external address (clause 5.6), shared by every school that links to it:
    an address is fetched once a period for the whole region, however many schools link to it
    (compliance.health.external). Keyed by a digest of the address, which may be longer than an index allows.
    """

    class State(models.TextChoices):
        OK = "ok", _("works")
        FAILING = "failing", _("failed, to be checked again")
        BROKEN = "broken", _("broken")

    url_digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the address, hex
    url = models.TextField()
    host = models.CharField(max_length=255)
    state = models.CharField(max_length=16, choices=State.choices, blank=True)  # empty: never checked yet
    failures = models.PositiveSmallIntegerField(default=0)  # failed checks in a row, each with its own retries
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)  # the last answer's, if any
    reason = models.CharField(max_length=300, blank=True)  # the last failure, in English (for operators)
    checked_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # a worker fetching it now

    def __str__(self) -> str:
        return f"{self.url}: {self.state or 'unchecked'}"


class SiteHealthSummary(models.Model):
    """One school's technical health from its last check (clause 5.6): what the console's list shows."""

    school = models.OneToOneField("tenants.School", on_delete=models.CASCADE, related_name="site_health")
    checked_at = models.DateTimeField(_("checked"))
    pages_checked = models.PositiveIntegerField(_("pages checked"), default=0)
    links_checked = models.PositiveIntegerField(_("links checked"), default=0)
    broken_links = models.PositiveIntegerField(_("broken links"), default=0)
    missing_files = models.PositiveIntegerField(_("missing files"), default=0)
    images_without_alt = models.PositiveIntegerField(_("images without alt text"), default=0)
    oversized_files = models.PositiveIntegerField(_("oversized files"), default=0)
    links_waiting = models.PositiveIntegerField(_("external links not yet confirmed"), default=0)

    def __str__(self) -> str:
        return f"{self.school_id}: {self.problems} problems"

    @property
    def problems(self) -> int:
        return self.broken_links + self.missing_files + self.images_without_alt + self.oversized_files


class SiteHealthFinding(models.Model):
    """One problem the last health check found on a school's published site, with where to fix it."""

    class Kind(models.TextChoices):
        BROKEN_LINK = "broken_link", _("broken link")
        MISSING_FILE = "missing_file", _("missing file")
        IMAGE_WITHOUT_ALT = "image_without_alt", _("image without alt text")
        OVERSIZED_FILE = "oversized_file", _("oversized file")

    school = models.ForeignKey("tenants.School", on_delete=models.CASCADE, related_name="site_health_findings")
    kind = models.CharField(_("problem"), max_length=32, choices=Kind.choices)
    page_id = models.PositiveIntegerField(null=True, blank=True)  # the page in the school's schema, if any
    page_title = models.CharField(_("page"), max_length=255, blank=True)
    edit_path = models.CharField(max_length=255, blank=True)  # where to fix it, on the school's host
    target = models.TextField(_("what"), blank=True)  # the address, or the file's title
    # Why, as a source (English) message with its values, named in the reader's language when shown.
    detail = models.CharField(max_length=300, blank=True)
    detail_values = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school", "kind"], name="site_health_finding_school")]

    def __str__(self) -> str:
        return f"{self.school_id} {self.kind} {self.target}"

    @property
    def where(self) -> str:
        """The page's title, or the name of the settings screen (a source message) in the active language."""
        return self.page_title if self.page_id is not None else gettext(self.page_title)

    @property
    def detail_text(self) -> str:
        """Why, in the active language."""
        return gettext(self.detail) % self.detail_values if self.detail else ""
