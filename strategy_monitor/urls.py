"""URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="priorities:strategy_list"), name="home"),
    path("", include("priorities.urls")),
    path("", include("risks.urls")),
    path("", include("engagement.urls")),
    path("", include("funding.urls")),
]
