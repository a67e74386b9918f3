from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from strategy_monitor.changelog import register

        # Issuing and withdrawing a brief show in the strategy's change log.
        register(
            "reports.IssuedBrief",
            path="strategy",
            title="Issued brief",
            name=lambda h: h.reference,
            reference=lambda brief: brief.reference,
        )
