from django.apps import AppConfig


class StrategyMonitorConfig(AppConfig):
    name = "strategy_monitor"
    verbose_name = "Strategy Monitor"

    def ready(self):
        # Registers the system checks.
        from strategy_monitor import checks  # noqa: F401

        # Registers the single sign-on settings' system checks.
        from strategy_monitor.sso import checks  # noqa: F401
