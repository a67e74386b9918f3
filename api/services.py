"""Issuing, revoking and checking API tokens."""

import datetime
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import PREFIX_LENGTH, ApiToken, secret_hash

# A token's use is written down at most this often, so reading does not write on every request.
LAST_USED_INTERVAL = datetime.timedelta(minutes=1)
SEPARATOR = "."


def api_token_create(
    *, user, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a token for `user`; return it and the full token text, which is never stored."""
    secret = secrets.token_urlsafe(32)
    while True:
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    token = ApiToken(
        user=user, name=name, prefix=prefix, secret_hash=secret_hash(secret), expires_at=expires_at
    )
    token.full_clean()
    token.save()
    return token, f"{prefix}{SEPARATOR}{secret}"


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke `token` from now on; revoking it again keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_check(*, text: str) -> ApiToken | None:
    """Return the usable token that `text` spells, of an active user, or None."""
    prefix, separator, secret = text.partition(SEPARATOR)
    if not separator or len(prefix) != PREFIX_LENGTH or not secret:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, secret_hash(secret)):
        return None
    if not token.is_usable() or not token.user.is_active:
        return None
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record that `token` was used, unless that was recorded less than a minute ago."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_INTERVAL:
        return
    # The condition in the update keeps simultaneous requests from writing twice.
    stale = ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - LAST_USED_INTERVAL)
    stale.update(last_used_at=now)
    token.last_used_at = now
