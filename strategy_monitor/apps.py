from django.apps import AppConfig


class StrategyMonitorConfig(AppConfig):
    name = "strategy_monitor"
    verbose_name = "Strategy Monitor"
