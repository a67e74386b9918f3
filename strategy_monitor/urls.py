"""URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from strategy_monitor import health

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    # The start page ("home") and, before the strategy pages, so that "strategies/import/" is
    # never read as a strategy's slug, the reports.
    path("", include("reports.urls")),
    path("", include("priorities.urls")),
    path("", include("risks.urls")),
    path("", include("engagement.urls")),
    path("", include("funding.urls")),
]

# Uncaught errors: the friendly 500 page, or 503 when the database was lost.
handler500 = "strategy_monitor.errors.server_error"
