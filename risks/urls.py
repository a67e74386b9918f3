from django.urls import path

from risks import views

app_name = "risks"
urlpatterns = [
    path("strategies/<slug:slug>/risks/", views.RiskListView.as_view(), name="risk_list"),
    path("strategies/<slug:slug>/risks/new/", views.RiskCreateView.as_view(), name="risk_create"),
    path(
        "strategies/<slug:slug>/risks/heat-map/",
        views.RiskHeatmapView.as_view(),
        name="heatmap",
    ),
    path(
        "strategies/<slug:slug>/risks/<int:pk>/",
        views.RiskDetailView.as_view(),
        name="risk_detail",
    ),
    path(
        "strategies/<slug:slug>/risks/<int:pk>/edit/",
        views.RiskUpdateView.as_view(),
        name="risk_update",
    ),
    path(
        "strategies/<slug:slug>/risks/<int:pk>/rate/",
        views.RiskRateView.as_view(),
        name="risk_rate",
    ),
    path(
        "strategies/<slug:slug>/risks/<int:pk>/close/",
        views.RiskCloseView.as_view(),
        name="risk_close",
    ),
    path(
        "strategies/<slug:slug>/risks/<int:pk>/reopen/",
        views.RiskReopenView.as_view(),
        name="risk_reopen",
    ),
]
