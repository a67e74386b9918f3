"""Render milestones, meetings and action points as an iCalendar (RFC 5545) feed.

Every item is an all-day event on its date, with a UID that never changes (so a calendar
program updates the event when a date moves instead of adding a second one), DTSTAMP and
LAST-MODIFIED from the item's last change, and a link back to the page where it is handled.
Deadlines are marked transparent, so they do not show the owner as busy.
"""

import datetime
from collections.abc import Callable

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event

from engagement.choices import ActionStatus
from engagement.models import ActionPoint, Meeting, Milestone
from engagement.selectors import FeedItems
from strategy_monitor.formats import person_name

PRODID = "-//Ministry of Foreign Affairs of Denmark//Strategy Monitor//EN"
UID_DOMAIN = "strategy-monitor"
REFRESH = datetime.timedelta(hours=1)
SUMMARY_LENGTH = 120
NO_OWNER = gettext_lazy("no owner yet")


def _shorten(text: str, length: int = SUMMARY_LENGTH) -> str:
    line = " ".join(text.split())
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


def _stamp(value: datetime.datetime | None) -> datetime.datetime:
    return (value or timezone.now()).astimezone(datetime.UTC).replace(microsecond=0)


def _event(
    *,
    uid: str,
    day: datetime.date,
    summary: str,
    description: str,
    url: str,
    changed: datetime.datetime | None,
    categories: str,
    location: str = "",
    busy: bool = False,
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", _stamp(changed))
    event.add("last-modified", _stamp(changed))
    event.add("dtstart", day)
    # An all-day event without an end lasts its day (RFC 5545); the last day a date can hold
    # has no next day to end on, so a stray stored date still gives a valid feed.
    if day < datetime.date.max:
        event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("categories", [categories])
    event.add("transp", "OPAQUE" if busy else "TRANSPARENT")
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    return event


def milestone_event(milestone: Milestone, url: str) -> Event:
    """Return the event of a milestone on its due date."""
    lines = [
        f"{milestone.kind_label} · {milestone.strategy.title}",
        _("Owner: %(owner)s") % {"owner": person_name(milestone.owner, default=NO_OWNER)},
    ]
    if milestone.fulfilment is not None:
        lines.append(
            _("Done: %(label)s %(date)s.")
            % {
                "label": milestone.fulfilment.label,
                "date": date_format(milestone.closed_on, "DATE_FORMAT"),
            }
        )
    elif milestone.done_on:
        lines.append(
            _("Done on %(date)s.") % {"date": date_format(milestone.done_on, "DATE_FORMAT")}
        )
    if milestone.note:
        lines.append(milestone.note)
    if milestone.is_illustrative:
        lines.append(_("Illustrative demo data, not a recorded fact."))
    summary = milestone.title + (" " + _("(done)") if milestone.is_done else "")
    return _event(
        uid=f"milestone-{milestone.pk}",
        day=milestone.due_on,
        summary=summary,
        description="\n".join(lines),
        url=url,
        changed=milestone.updated_at,
        categories=_("Milestone"),
    )


def meeting_event(meeting: Meeting, url: str) -> Event:
    """Return the event of a meeting on the day it was held."""
    lines = [f"{meeting.kind_label} · {meeting.strategy.title}"]
    if meeting.participants:
        lines.append(_("Participants: %(participants)s") % {"participants": meeting.participants})
    if meeting.summary:
        lines.append(meeting.summary)
    if meeting.is_illustrative:
        lines.append(_("Illustrative demo data, not a recorded fact."))
    return _event(
        uid=f"meeting-{meeting.pk}",
        day=meeting.held_on,
        summary=meeting.title,
        description="\n".join(lines),
        url=url,
        changed=meeting.updated_at,
        categories=_("Meeting"),
        location=meeting.location,
        busy=True,
    )


def actionpoint_event(action_point: ActionPoint, url: str) -> Event:
    """Return the event of an action point on its due date."""
    lines = [
        action_point.text,
        _("Owner: %(owner)s") % {"owner": person_name(action_point.owner, default=NO_OWNER)},
    ]
    if action_point.meeting_id:
        lines.append(_("Agreed at: %(meeting)s") % {"meeting": action_point.meeting.title})
    lines.append(_("Strategy: %(strategy)s") % {"strategy": action_point.strategy.title})
    if action_point.status != ActionStatus.OPEN:
        lines.append(f"{action_point.get_status_display()}: {action_point.closing_note}")
    if action_point.is_illustrative:
        lines.append(_("Illustrative demo data, not a recorded fact."))
    return _event(
        uid=f"action-point-{action_point.pk}",
        day=action_point.due_on,
        summary=_("Action point due: %(text)s") % {"text": _shorten(action_point.text)},
        description="\n".join(lines),
        url=url,
        changed=action_point.updated_at,
        categories=_("Action point"),
    )


def calendar_render(
    *,
    name: str,
    description: str,
    items: FeedItems,
    milestone_url: Callable[[Milestone], str],
    meeting_url: Callable[[Meeting], str],
    actionpoint_url: Callable[[ActionPoint], str],
) -> bytes:
    """Return the iCalendar text of a feed holding `items`."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for milestone in items.milestones:
        calendar.add_component(milestone_event(milestone, milestone_url(milestone)))
    for meeting in items.meetings:
        calendar.add_component(meeting_event(meeting, meeting_url(meeting)))
    for action_point in items.action_points:
        calendar.add_component(actionpoint_event(action_point, actionpoint_url(action_point)))
    return calendar.to_ical()
