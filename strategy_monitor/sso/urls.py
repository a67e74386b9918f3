"""Addresses of the provider's sign-in flow, named as the library's views expect."""

from django.urls import path

from strategy_monitor.sso import views

urlpatterns = [
    path("authenticate/", views.SignInStartView.as_view(), name="oidc_authentication_init"),
    path("callback/", views.SignInCallbackView.as_view(), name="oidc_authentication_callback"),
]
