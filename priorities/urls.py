from django.urls import path

from priorities import views

app_name = "priorities"
urlpatterns = [
    path("strategies/", views.StrategyListView.as_view(), name="strategy_list"),
    path("strategies/<slug:slug>/", views.StrategyDetailView.as_view(), name="strategy_detail"),
]
