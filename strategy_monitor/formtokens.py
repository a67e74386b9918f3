"""One-time form tokens: a rendered form can be sent once; sending it again shows the result.

Every form carries a fresh random token beside its CSRF token (`{% form_token %}`). The first
post of a token claims it by inserting a `FormSubmission` row; when its view answers with a
redirect, the row keeps where it led. A second post of the same token (a double click, a
reload that resends, five tabs at once) does not reach the view: it is sent to that same place,
or, while the first is still being handled, told to wait. An answer that is not a redirect (a
form shown again with its errors, a refusal) releases the token, so the corrected form can be
sent. Posts without a token are handled as before.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from strategy_monitor.models import FormSubmission

FORM_TOKEN_FIELD = "form_token"  # nosec B105: the name of a form field, not a secret
# Long enough to cover a form left open over a working day; older rows are deleted.
FORM_TOKEN_MAX_AGE = timedelta(days=1)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{16,64}")


@dataclass(frozen=True)
class EarlierSubmission:
    """What became of the first post of a token: where it led, or nothing yet."""

    location: str

    @property
    def in_flight(self) -> bool:
        """Return whether the first post is still being handled."""
        return not self.location


def form_token_new() -> str:
    """Return a fresh random token for one rendered form."""
    return secrets.token_urlsafe(24)


def form_token_is_well_formed(token: str) -> bool:
    """Return whether `token` looks like one this site hands out."""
    return bool(_WELL_FORMED.fullmatch(token or ""))


def form_token_claim(*, token: str) -> EarlierSubmission | None:
    """Claim `token` for the post being handled; return the earlier post if it was claimed."""
    form_tokens_clear_old()
    # A second try only when the earlier post released the token between insert and read.
    for _attempt in range(2):
        try:
            # Its own transaction (a savepoint inside another): a refused insert spoils nothing.
            with transaction.atomic():
                FormSubmission.objects.create(token=token)
        except IntegrityError:
            earlier = FormSubmission.objects.filter(token=token).values_list("location", flat=True)
            location = earlier.first()
            if location is not None:
                return EarlierSubmission(location=location)
        else:
            return None
    return EarlierSubmission(location="")


def form_token_finish(*, token: str, response: HttpResponse) -> None:
    """Keep where a successful post led, or release the token when the post did not succeed."""
    location = response.get("Location", "") if response.status_code in REDIRECT_STATUSES else ""
    if location:
        FormSubmission.objects.filter(token=token).update(location=location)
    else:
        FormSubmission.objects.filter(token=token, location="").delete()


def form_tokens_clear_old(*, now=None) -> int:
    """Delete the records of tokens older than FORM_TOKEN_MAX_AGE; return how many."""
    cutoff = (now or timezone.now()) - FORM_TOKEN_MAX_AGE
    deleted, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
