from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding"

    def ready(self):
        from funding.changelog import register_tracked
        from funding.selectors import allocation_rounds_due, budget_plan, year_funding_held
        from priorities import registry

        register_tracked()
        registry.due_sources.register(allocation_rounds_due)
        registry.year_data_checks.register(year_funding_held)
        registry.setup_sections.register(
            registry.SetupSection("funding:budget_setup", "Budget"), order=40
        )
        registry.overview_sections.register(
            registry.OverviewSection("funding/includes/overview_budget.html", budget_plan),
            order=10,
        )
