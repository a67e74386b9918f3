from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from reports import start_pages
        from strategy_monitor.changelog import register
        from strategy_monitor.preferences.services import start_pages as start_page_hook

        start_page_hook.register(start_pages.MY_TASKS, order=10)
        start_page_hook.register(start_pages.PORTFOLIO, order=20)

        # Issuing and withdrawing a brief show in the strategy's change log.
        register(
            "reports.IssuedBrief",
            path="strategy",
            title="Issued brief",
            name=lambda h: h.reference,
            reference=lambda brief: brief.reference,
        )
