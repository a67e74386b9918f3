"""Where the strategies keep a person's name as text, for anonymising a departed user."""

import re

from priorities.models import Office, Organisation, Strategy, TeamMembership
from strategy_monitor.personal_data import PersonTraces, admin_log_rename, exact_names_replace


def user_anonymise_priorities(*, traces: PersonTraces) -> None:
    """Replace the departed user's name in the strategies, the partners and the team's log.

    Team memberships stay: they say who held which role when, and the change log's rows
    point at them; with the user anonymised they name "Former user <id>".
    """
    exact_names_replace(model=Strategy, fields=("desk_officer", "financial_officer"), traces=traces)
    exact_names_replace(model=Organisation, fields=("head_name",), traces=traces)
    exact_names_replace(model=Office, fields=("head", "covered_by"), traces=traces)
    # The team's change reasons name the member by user name ("Added … to the team").
    username = re.compile(rf"(?<![\w.@-]){re.escape(traces.username)}(?![\w.@-])")
    history = TeamMembership.history.model.objects.filter(user_id=traces.user_id)
    for row in history.exclude(history_change_reason=None).only(
        "history_id", "history_change_reason"
    ):
        reason = username.sub(traces.anonymous_username, row.history_change_reason)
        if reason != row.history_change_reason:
            history.filter(history_id=row.history_id).update(history_change_reason=reason)
    membership_ids = set(history.values_list("id", flat=True))
    admin_log_rename(model=TeamMembership, object_ids=membership_ids, traces=traces)
