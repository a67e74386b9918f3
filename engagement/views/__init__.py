"""Pages for meetings, action points, milestones, the list of what is due, and calendar feeds."""

from .actionpoints import (
    ActionPointCloseView,
    ActionPointCreateView,
    ActionPointListView,
    ActionPointObjectMixin,
    ActionPointUpdateView,
)
from .base import EngagementListMixin, TeamWriteMixin
from .feeds import (
    CalendarRenewView,
    CalendarView,
    FeedMixin,
    StrategyCalendarFeedView,
    UserCalendarFeedView,
    calendar_user_for,
    feed_urls,
)
from .keymessages import KeyMessageActionPointView, KeyMessageListView, KeyMessageOutcomeView
from .meetings import (
    MeetingCreateView,
    MeetingDetailView,
    MeetingListView,
    MeetingUpdateView,
    MinutesDownloadView,
)
from .milestones import (
    MidTermReviewReportView,
    MidTermReviewUpdateView,
    MilestoneCreateView,
    MilestoneDeleteView,
    MilestoneDoneView,
    MilestoneGenerateView,
    MilestoneListView,
    MilestoneObjectMixin,
    MilestoneUpdateView,
)
from .setup import RhythmSetupView

__all__ = [
    "RhythmSetupView",
    "ActionPointCloseView",
    "ActionPointCreateView",
    "ActionPointListView",
    "ActionPointObjectMixin",
    "ActionPointUpdateView",
    "CalendarRenewView",
    "CalendarView",
    "EngagementListMixin",
    "FeedMixin",
    "KeyMessageActionPointView",
    "KeyMessageListView",
    "KeyMessageOutcomeView",
    "MeetingCreateView",
    "MeetingDetailView",
    "MeetingListView",
    "MeetingUpdateView",
    "MinutesDownloadView",
    "MidTermReviewReportView",
    "MidTermReviewUpdateView",
    "MilestoneCreateView",
    "MilestoneDeleteView",
    "MilestoneDoneView",
    "MilestoneGenerateView",
    "MilestoneListView",
    "MilestoneObjectMixin",
    "MilestoneUpdateView",
    "StrategyCalendarFeedView",
    "TeamWriteMixin",
    "UserCalendarFeedView",
    "calendar_user_for",
    "feed_urls",
]
