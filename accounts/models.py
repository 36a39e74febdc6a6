"""Accounts' one table, in the public schema only (accounts is a shared app): sign-in counters."""

from django.db import models


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
