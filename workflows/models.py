"""Who answers for which section (clause 5.4), what screening found (3.3) and the region's screening rules,
and what was archived (1.2)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask


class SectionResponsibility(models.Model):
    """A person responsible for a section: they edit it, are reminded about it, and answer for it."""

    section = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("section")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("person")
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("section responsibility")
        constraints = [models.UniqueConstraint(fields=["section", "person"], name="one_responsibility_per_person")]

    def __str__(self) -> str:
        return f"{self.person} → {self.section}"


class ScreeningReport(models.Model):
    """What screening found in one revision of a page (clause 3.3), and the override if any.

    A revision's content never changes, so its report is its own; a reviewer who edits
    makes a new revision, which is screened again.
    """

    revision = models.OneToOneField(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="screening_report", verbose_name=_("revision")
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="screening_reports", verbose_name=_("page")
    )
    findings = models.JSONField(_("findings"), default=list, blank=True)
    screened_at = models.DateTimeField(_("screened"))
    override_justification = models.TextField(_("justification"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(_("overridden"), null=True, blank=True)

    class Meta:
        verbose_name = _("screening report")

    def __str__(self) -> str:
        return f"screening of revision {self.revision_id}: {len(self.findings)} findings"

    @property
    def blocks_publication(self) -> bool:
        return bool(self.findings) and not self.override_justification

    @property
    def clauses(self) -> list[str]:
        return sorted({finding["clause"] for finding in self.findings})


# How long an archived item is kept before the regional office may delete it for good (clause 1.2: removal
# archives, history is kept). Three years is the general limitation period for claims in Kazakhstan (Civil
# Code, art. 178): a complaint or a dispute about what a school published can arise that long afterwards, and
# the school must still be able to show the material. It also spans three regional inspections, held yearly.
ARCHIVE_RETENTION = timedelta(days=3 * 365 + 1)


class Archival(models.Model):
    """A page, document or image taken down as outdated (clause 1.2): kept, findable and restorable.

    While the row exists the item is archived: an archived page is unpublished, an
    archived document is not served, an archived image is offered nowhere. Restoring
    deletes the row; the audit trail keeps the history.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=255)
    reason = models.TextField(_("reason"))
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField(_("archived"))
    # The revision that was live when the page was archived; restoring publishes it again.
    live_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("archived item")
        verbose_name_plural = _("archive")
        ordering = ["-archived_at"]
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="archived_once")]

    def __str__(self) -> str:
        return self.title

    @property
    def deletable_from(self):
        """When the regional office may delete it for good: after ``ARCHIVE_RETENTION``."""
        return self.archived_at + ARCHIVE_RETENTION


class ScreenedApprovalTask(AbstractGroupApprovalTask):
    """The administrator's approval step (clause 5.5), which cannot approve what screening blocks (3.3) and
    does not send a page back without saying what to change (5.5: rejections carry a comment).

    While the latest revision has findings that nobody overrode, the reviewers are
    offered "Request changes" only; the editor shows them the findings and the
    override form. (Publishing such a revision by any other route is refused too:
    see ``workflows.screening.services.publication_screen``.)
    """

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if actions:
            from workflows.screening.selectors import revision_blocks_publication  # it reads this module

            revision = obj.get_latest_revision()
            if revision is not None and revision_blocks_publication(revision):
                actions = [action for action in actions if action[0] != "approve"]
        return actions

    def get_form_for_action(self, action):
        if action == "reject":
            from workflows.rejection import RejectionForm  # it reads this module's neighbours, not this class

            return RejectionForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "reject":
            from workflows.rejection import rejection_comment_required

            kwargs["comment"] = rejection_comment_required(kwargs.get("comment"))
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve; screening findings must be resolved first (clause 3.3)")

    class Meta:
        verbose_name = _("screened group approval")
        verbose_name_plural = _("screened group approvals")


class SectionFreshness(models.Model):
    """How often a section must be updated in this school, and when someone last confirmed it (clause 5.7).

    ``period_days`` tightens the catalogue's period (it can only be shorter, and no longer
    than the regional office allows); "reviewed, still accurate" restarts the clock without
    an edit.
    """

    section = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="freshness", verbose_name=_("section")
    )
    period_days = models.PositiveIntegerField(_("update period (days)"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed, still accurate"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("section update period")

    def __str__(self) -> str:
        return f"{self.section_id}: {self.period_days or '-'} d"


class RegionalScreeningRule(models.Model):
    """A screening rule the regional office adds for every school (clause 3.3); see workflows.screening.rules.

    It lives in the public schema (the region's, shared by every school), unlike this module's other models."""

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
        app_label = "tenants"  # a public-schema table created by the tenants app: moving code moved no data
        verbose_name = _("regional screening rule")
        verbose_name_plural = _("regional screening rules")
        ordering = ["clause", "language", "text"]
        constraints = [models.UniqueConstraint(fields=["clause", "language", "text"], name="one_regional_rule")]

    def __str__(self) -> str:
        return f"{self.clause} {self.language}: {self.text}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from workflows.screening.rules import rule_pattern  # the rules' module reads this model

        try:
            rule_pattern(self.text)
        except ValidationError as error:
            raise ValidationError({"text": error.messages}) from error
