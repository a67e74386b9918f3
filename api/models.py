"""Per-user API tokens: only a hash of each secret is kept, and an administrator revokes them."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strategy_monitor.validators import validate_single_line

PREFIX_LENGTH = 12


def secret_hash(secret: str) -> str:
    """Return the SHA-256 hex digest of a token's secret, as it is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """Let one user read the API with `Authorization: Bearer <prefix>.<secret>`.

    The prefix is public and finds the row; the secret is shown once, when the token is
    created, and only its SHA-256 hash is stored.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100,
        validators=[validate_single_line],
        help_text=_("What the token is for, e.g. the system that reads with it."),
    )
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty for a token that does not expire.")
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["user", "-created_at"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, *, now=None) -> bool:
        """Return whether the token may still sign requests: not revoked, not expired."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now
