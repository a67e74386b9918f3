from django.urls import path

from priorities import views

app_name = "priorities"
STRATEGY = "strategies/<slug:slug>/"
SETUP = STRATEGY + "setup/"

urlpatterns = [
    path("strategies/", views.StrategyListView.as_view(), name="strategy_list"),
    # Before the strategy pages, so that "new" is never read as a strategy's slug.
    path("strategies/new/", views.StrategyCreateView.as_view(), name="strategy_create"),
    path(
        "strategies/new/from-one-pager/",
        views.StrategyFromOnePagerView.as_view(),
        name="strategy_create_from_onepager",
    ),
    path(STRATEGY, views.StrategyDetailView.as_view(), name="strategy_detail"),
    path(STRATEGY + "priorities/", views.PriorityAreaListView.as_view(), name="priorityarea_list"),
    path(
        STRATEGY + "priorities/<int:number>/",
        views.PriorityAreaDetailView.as_view(),
        name="priorityarea_detail",
    ),
    path(
        STRATEGY + "priorities/cross-cutting/<slug:area>/",
        views.PriorityAreaDetailView.as_view(),
        name="priorityarea_detail_by_slug",
    ),
    path(
        STRATEGY + "priority-areas/<int:pk>/indicators/new/",
        views.IndicatorCreateView.as_view(),
        name="indicator_create",
    ),
    path(
        STRATEGY + "priority-areas/<int:pk>/ratings/<int:year>/",
        views.AssessmentEditView.as_view(),
        name="assessment_edit",
    ),
    path(
        STRATEGY + "priority-areas/<int:pk>/figures/<int:year>/",
        views.BulkFiguresView.as_view(),
        name="progress_bulk_edit",
    ),
    path(
        STRATEGY + "indicators/<int:pk>/edit/",
        views.IndicatorUpdateView.as_view(),
        name="indicator_update",
    ),
    path(
        STRATEGY + "indicators/<int:pk>/years/<int:year>/",
        views.ProgressEditView.as_view(),
        name="progress_edit",
    ),
    path(
        STRATEGY + "evidence/<int:pk>/",
        views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path(
        STRATEGY + "evidence/<int:pk>/delete/",
        views.EvidenceDeleteView.as_view(),
        name="evidence_delete",
    ),
    # Before the workflow steps, so that "review" is never read as a step.
    path(
        STRATEGY + "years/<int:year>/review/",
        views.YearReviewView.as_view(),
        name="strategyyear_review",
    ),
    path(
        STRATEGY + "years/<int:year>/<str:action>/",
        views.YearActionView.as_view(),
        name="strategyyear_action",
    ),
    path(SETUP, views.StrategyUpdateView.as_view(), name="strategy_update"),
    path(SETUP + "years/", views.StrategyYearSetupView.as_view(), name="strategyyear_setup"),
    path(
        SETUP + "priority-areas/",
        views.PriorityAreaSetupView.as_view(),
        name="priorityarea_setup",
    ),
    path(SETUP + "team/", views.TeamSetupView.as_view(), name="team_setup"),
    path(SETUP + "framework/", views.FrameworkSetupView.as_view(), name="framework_setup"),
    path(
        SETUP + "framework/nodes/<int:pk>/edit/",
        views.NodeUpdateView.as_view(),
        name="node_update",
    ),
]
