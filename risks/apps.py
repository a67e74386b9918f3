from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("Risks")

    def ready(self):
        from priorities import registry
        from risks.changelog import register_tracked
        from risks.selectors import risk_overview, risk_reviews_due

        register_tracked()
        registry.due_sources.register(risk_reviews_due)
        registry.overview_sections.register(
            registry.OverviewSection("risks/includes/overview_risks.html", risk_overview),
            order=20,
        )
