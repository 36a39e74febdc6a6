"""Accounts' tables, in the public schema only (accounts is a shared app): sign-in counters, reader requests."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from regulation.roles import ReaderGroup


class SignInCounter(models.Model):
    """How many sign-in attempts were made under one key until ``expires_at`` (accounts.sign_in).

    The key is a SHA-256 digest of what is counted (an account and a client, a client, an account;
    or an account's known client): no username or address is stored in the clear.
    """

    key = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key[:12]}…: {self.count} until {self.expires_at:%Y-%m-%d %H:%M}"


class ReaderRegistration(models.Model):
    """Someone asking a school for a reader's account (clause 5.2), until its site administrator decides.

    In the public schema, not the school's: a request is no account and grants nothing. Only approval opens
    an account, in the school's own schema, and e-mails the person a link to set their password. One table
    for the region, read by school (an index), not a table multiplied by the number of schools.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    school = models.ForeignKey("tenants.School", on_delete=models.CASCADE, related_name="reader_registrations")
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("name"), max_length=150)
    group = models.CharField(_("reads as"), max_length=40, choices=ReaderGroup.choices)
    note = models.CharField(_("who you are"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(
        max_length=254, blank=True
    )  # the administrator's e-mail: their account is the school's

    class Meta:
        indexes = [models.Index(fields=["school", "status", "created_at"], name="reader_registration_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "email"],
                condition=models.Q(status="pending"),
                name="reader_registration_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}> ({self.group}, {self.status})"
