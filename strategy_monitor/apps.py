from django.apps import AppConfig


class StrategyMonitorConfig(AppConfig):
    name = "strategy_monitor"
    verbose_name = "Strategy Monitor"

    def ready(self):
        # Registers the system checks, those of the single sign-on settings among them.
        from strategy_monitor import checks  # noqa: F401
        from strategy_monitor.sso import checks as sso_checks  # noqa: F401
