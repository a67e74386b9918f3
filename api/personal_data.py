"""What the API keeps about a user, for anonymising a departed user."""

from django.utils import timezone

from api.models import ApiToken
from strategy_monitor.personal_data import PersonTraces


def user_anonymise_api(*, traces: PersonTraces) -> None:
    """Revoke the departed user's API tokens; their rows stay, as records of who could read."""
    ApiToken.objects.filter(user_id=traces.user_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
