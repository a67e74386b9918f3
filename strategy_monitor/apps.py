from django.apps import AppConfig


class StrategyMonitorConfig(AppConfig):
    name = "strategy_monitor"
    verbose_name = "Strategy Monitor"

    def ready(self):
        # Registers the system checks.
        from strategy_monitor import checks  # noqa: F401
