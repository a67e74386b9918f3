"""What engagement keeps about a user, for anonymising a departed user."""

from engagement.models import CalendarToken, Reminder
from strategy_monitor.personal_data import PersonTraces, admin_log_rename


def user_anonymise_engagement(*, traces: PersonTraces) -> None:
    """Delete the departed user's calendar feed token and the log of reminders sent to them.

    Neither is of use once the person has left, and neither is part of the change log.
    """
    for model in (CalendarToken, Reminder):
        rows = model.objects.filter(user_id=traces.user_id)
        admin_log_rename(model=model, object_ids=rows.values_list("pk", flat=True), traces=traces)
        rows.delete()
