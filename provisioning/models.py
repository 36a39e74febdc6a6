"""What provisioning keeps in the public schema: the recorded school template and the bulk imports.

Both tables were created by the tenants app and keep its label, so moving the code here moved no data.
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class SchemaTemplate(models.Model):
    """The SQL that migrations run to build a school schema, replayed to provision a school.

    One row per schema version (``schema_version``, the tenant migrations it holds): the newest
    (``fingerprint``, which also covers the seeded site and the libraries); see
    ``provisioning.schema_template``. Older versions' rows are what a fleet migration starts from.
    """

    fingerprint = models.CharField(max_length=64, unique=True)
    schema_version = models.CharField(max_length=64, default="", db_index=True)
    sql = models.TextField()
    statement_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "tenants"  # its table predates the provisioning app: moving code moves no data

    def __str__(self) -> str:
        return f"schema template {self.fingerprint[:12]} ({self.statement_count} statements)"


class SchoolImport(models.Model):
    """A CSV of schools uploaded in the console: checked first (``preview``), then run in the background.

    The file's text is kept so that the background job reads exactly what was previewed; ``processed``
    moves as each row is done, for the progress bar; ``results`` says what became of every row.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("checking the file")
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
        app_label = "tenants"  # its table predates the provisioning app: moving code moves no data
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

    @property
    def is_in_progress(self) -> bool:
        """A background job is checking or importing it: its page shows the progress bar."""
        return self.status in (self.Status.CHECKING, self.Status.QUEUED, self.Status.RUNNING)

    WORKER_PATIENCE = datetime.timedelta(minutes=1)

    @property
    def is_waiting_too_long(self) -> bool:
        """Queued (or waiting to be checked) for over a minute: no background worker is taking jobs."""
        waiting_since = {self.Status.QUEUED: self.started_at, self.Status.CHECKING: self.uploaded_at}.get(self.status)
        if self.status == self.Status.CHECKING and self.processed:
            return False
        return waiting_since is not None and timezone.now() - waiting_since > self.WORKER_PATIENCE


class SchoolOpening(models.Model):
    """One school opened from the console's form, provisioned by a background job.

    Provisioning replays the school template (seconds; minutes when the template is rebuilt after an
    update), too long for a web request; the officer's page polls this row and shows the result.
    The form's details are kept so that a refused opening can be corrected without typing anything again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        PREPARING = "preparing", _("preparing new schools' sites after an update")
        RUNNING = "running", _("creating the site")
        DONE = "done", pgettext_lazy("school opening", "open")
        REFUSED = "refused", pgettext_lazy("school opening", "refused")
        FAILED = "failed", _("failed")

    details = models.JSONField()  # the form's fields, named as the CSV columns (SchoolDetails.from_columns)
    language = models.CharField(max_length=8, blank=True)  # the officer's, for problems and e-mails
    opened_by = models.CharField(_("by"), max_length=254)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    school = models.ForeignKey("tenants.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # [{"email", "full_name", "roles": [role values], "url"}]; "url" only where SHOW_INVITATION_LINKS (development):
    # a one-time link is as good as a password until it is used, so production keeps it only in the e-mail.
    invitations = models.JSONField(default=list)
    problems = models.JSONField(default=list)  # why it was refused, one line per problem
    error = models.TextField(blank=True)

    class Meta:
        app_label = "tenants"  # beside SchoolImport, whose table the tenants app created
        ordering = ["-queued_at"]
        indexes = [models.Index(fields=["status"], name="school_opening_status")]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    PENDING = (Status.QUEUED, Status.PREPARING, Status.RUNNING)
    WORKER_PATIENCE = SchoolImport.WORKER_PATIENCE

    @property
    def name(self) -> str:
        """The school's name in the active language, falling back to Kazakh (as ``School.name``)."""
        language = (get_language() or "kk")[:2]
        return self.details.get(f"name_{language}") or self.details.get("name_kk") or self.details.get("subdomain", "")

    @property
    def is_in_progress(self) -> bool:
        return self.status in self.PENDING

    @property
    def is_finished(self) -> bool:
        return not self.is_in_progress

    @property
    def is_waiting_too_long(self) -> bool:
        """Queued over a minute ago and no worker took it (the broker or the workers are down)."""
        return self.status == self.Status.QUEUED and timezone.now() - self.queued_at > self.WORKER_PATIENCE


class ProvisioningStep(models.Model):
    """One thing to do once a new school has committed: e-mail one invitation, or queue the first scan.

    Written in the same transaction as the school (an outbox), so a process killed right after the commit
    leaves the steps to be done instead of nothing; ``provisioning.outbox`` does them, each claimed with
    a lease and marked done right after its own action, and retries the failed ones with a growing delay.
    An invitation's payload names the person (``user_id`` in the school's schema, ``email``, ``full_name``,
    ``roles``), never the link: a one-time link is as good as a password, so it is made afresh when sent.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("invitation e-mail")
        FIRST_SCAN = "first_scan", _("first scan")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        DONE = "done", pgettext_lazy("provisioning step", "sent")
        FAILED = "failed", pgettext_lazy("provisioning step", "failed")
        SKIPPED = "skipped", _("no longer needed")

    school = models.ForeignKey("tenants.School", on_delete=models.CASCADE, related_name="provisioning_steps")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When it is due (again); None once the retries are exhausted: only the office's "send again" revives it.
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    leased_until = models.DateTimeField(null=True, blank=True)  # claimed by a run until then
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "tenants"  # beside SchoolOpening and SchoolImport
        ordering = ["school_id", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="provisioning_step_due")]

    def __str__(self) -> str:
        return f"{self.kind} of school {self.school_id} ({self.status})"

    OPEN = (Status.PENDING, Status.FAILED)

    @property
    def is_leased(self) -> bool:
        return self.leased_until is not None and self.leased_until > timezone.now()

    @property
    def gave_up(self) -> bool:
        return self.status == self.Status.FAILED and self.next_attempt_at is None


class FleetMigrationFailure(models.Model):
    """A school that a fleet migration could not bring to ``target_version`` (a lock it waited for, an SQL error).

    Written by ``provisioning.fleet_migration`` in its own transaction, so it outlives the school's rolled-back
    one; deleted when a later run migrates the school. A re-run of ``migrate_schemas`` retries every school
    that is still behind, so these rows are the report of what is left, not a queue.
    """

    school = models.ForeignKey("tenants.School", on_delete=models.CASCADE, related_name="+")
    target_version = models.CharField(max_length=64)
    error = models.TextField()
    failed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "tenants"  # beside School and SchemaTemplate in the public schema
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"school {self.school_id} to {self.target_version[:12]}: {self.error[:60]}"
