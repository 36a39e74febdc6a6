"""Who answers for which section of the site (clause 5.4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
