"""What engagement keeps about a user, for anonymising a departed user.

Meetings' records point at people as users, never by name: an action point's owner, a key
message's drafter (`KeyMessage.drafted_by`), the user of each change. Those links stay, so the
change log keeps its shape; with the user anonymised they name "Former user <id>". A name typed
into a key message, an answer or the minutes is replaced with every other free text.
"""

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
