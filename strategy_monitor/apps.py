from django.apps import AppConfig


class StrategyMonitorConfig(AppConfig):
    name = "strategy_monitor"
    verbose_name = "Strategy Monitor"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        # Registers the system checks, those of the single sign-on settings among them.
        from strategy_monitor import checks  # noqa: F401
        from strategy_monitor.preferences.services import session_language_on_login
        from strategy_monitor.sso import checks as sso_checks  # noqa: F401

        # A user's chosen language goes into their session as they log in, however they do.
        user_logged_in.connect(session_language_on_login, dispatch_uid="session_language")
