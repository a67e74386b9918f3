from django.urls import path

from strategy_monitor.preferences import views

app_name = "preferences"

urlpatterns = [
    path("my/settings/", views.UserPreferenceUpdateView.as_view(), name="userpreference_update"),
    path("language/", views.language_set, name="language_set"),
]
