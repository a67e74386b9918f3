"""URL configuration."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from strategy_monitor import health
from strategy_monitor.accessibility import accessibility_statement
from strategy_monitor.privacy import privacy_notice
from strategy_monitor.sso import views as sso_views
from strategy_monitor.views import amount_exact

urlpatterns = [
    path("login/", sso_views.SignInView.as_view(), name="login"),
    path("logout/", sso_views.SignOutView.as_view(), name="logout"),
    # Single sign-on: the provider's redirect and callback, and the page for accounts that
    # signed in without a role.
    path("oidc/", include("strategy_monitor.sso.urls")),
    path("no-access/", sso_views.NoAccessView.as_view(), name="no_access"),
    path("healthz", health.healthz, name="healthz"),
    path("privacy/", privacy_notice, name="privacy"),
    path("amounts/exact/", amount_exact, name="amount_exact"),
    # The Danish of the scripts' few words (locale/da/LC_MESSAGES/djangojs.po), served by the
    # application itself for the content security policy; the login page needs it too.
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript_catalog"),
    path("accessibility/", accessibility_statement, name="accessibility"),
    # Each user's own settings, and the header's language switch.
    path("", include("strategy_monitor.preferences.urls")),
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
