"""The API, version 1: a read-only resource per kind of record, the schema and its docs page."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from api import views

app_name = "api"

router = SimpleRouter()
router.register("strategies", views.StrategyViewSet, basename="strategy")
router.register("years", views.StrategyYearViewSet, basename="strategyyear")
router.register("priority-areas", views.PriorityAreaViewSet, basename="priorityarea")
router.register("framework-nodes", views.ResultsNodeViewSet, basename="resultsnode")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("budget-lines", views.BudgetLineViewSet, basename="budgetline")
router.register("risks", views.RiskViewSet, basename="risk")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("action-points", views.ActionPointViewSet, basename="actionpoint")
router.register("milestones", views.MilestoneViewSet, basename="milestone")

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    path("", include(router.urls)),
]
