from django.urls import path

from engagement import views

app_name = "engagement"
urlpatterns = [
    path("my/calendar/", views.CalendarView.as_view(), name="calendar"),
    path("my/calendar/renew/", views.CalendarRenewView.as_view(), name="calendar_renew"),
    path("calendar/<slug:token>.ics", views.UserCalendarFeedView.as_view(), name="user_calendar"),
    path(
        "strategies/<slug:slug>/calendar/<slug:token>.ics",
        views.StrategyCalendarFeedView.as_view(),
        name="strategy_calendar",
    ),
    path(
        "strategies/<slug:slug>/setup/rhythm/",
        views.RhythmSetupView.as_view(),
        name="rhythm_setup",
    ),
    path("strategies/<slug:slug>/meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path(
        "strategies/<slug:slug>/meetings/new/",
        views.MeetingCreateView.as_view(),
        name="meeting_create",
    ),
    path(
        "strategies/<slug:slug>/meetings/<int:pk>/",
        views.MeetingDetailView.as_view(),
        name="meeting_detail",
    ),
    path(
        "strategies/<slug:slug>/meetings/<int:pk>/edit/",
        views.MeetingUpdateView.as_view(),
        name="meeting_update",
    ),
    path(
        "strategies/<slug:slug>/meetings/<int:pk>/minutes/",
        views.MinutesDownloadView.as_view(),
        name="meeting_minutes",
    ),
    path(
        "strategies/<slug:slug>/meetings/<int:pk>/key-messages/",
        views.KeyMessageListView.as_view(),
        name="keymessage_list",
    ),
    path(
        "strategies/<slug:slug>/meetings/<int:pk>/key-messages/outcome/",
        views.KeyMessageOutcomeView.as_view(),
        name="keymessage_outcome",
    ),
    path(
        "strategies/<slug:slug>/key-messages/<int:pk>/action-point/",
        views.KeyMessageActionPointView.as_view(),
        name="keymessage_actionpoint",
    ),
    path(
        "strategies/<slug:slug>/meetings/<int:pk>/action-points/new/",
        views.ActionPointCreateView.as_view(),
        name="actionpoint_create",
    ),
    path(
        "strategies/<slug:slug>/action-points/",
        views.ActionPointListView.as_view(),
        name="actionpoint_list",
    ),
    path(
        "strategies/<slug:slug>/action-points/<int:pk>/edit/",
        views.ActionPointUpdateView.as_view(),
        name="actionpoint_update",
    ),
    path(
        "strategies/<slug:slug>/action-points/<int:pk>/close/",
        views.ActionPointCloseView.as_view(),
        name="actionpoint_close",
    ),
    path(
        "strategies/<slug:slug>/milestones/",
        views.MilestoneListView.as_view(),
        name="milestone_list",
    ),
    path(
        # Named as the milestones' pages, whose tab they belong to.
        "strategies/<slug:slug>/milestones/mid-term-review/",
        views.MidTermReviewUpdateView.as_view(),
        name="milestone_review",
    ),
    path(
        "strategies/<slug:slug>/milestones/mid-term-review/report/",
        views.MidTermReviewReportView.as_view(),
        name="milestone_review_report",
    ),
    path(
        "strategies/<slug:slug>/milestones/new/",
        views.MilestoneCreateView.as_view(),
        name="milestone_create",
    ),
    path(
        "strategies/<slug:slug>/milestones/generate/",
        views.MilestoneGenerateView.as_view(),
        name="milestone_generate",
    ),
    path(
        "strategies/<slug:slug>/milestones/<int:pk>/edit/",
        views.MilestoneUpdateView.as_view(),
        name="milestone_update",
    ),
    path(
        "strategies/<slug:slug>/milestones/<int:pk>/done/",
        views.MilestoneDoneView.as_view(),
        name="milestone_done",
    ),
    path(
        "strategies/<slug:slug>/milestones/<int:pk>/delete/",
        views.MilestoneDeleteView.as_view(),
        name="milestone_delete",
    ),
]
