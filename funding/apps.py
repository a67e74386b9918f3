from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from funding.changelog import register_tracked
        from funding.selectors import allocation_rounds_due, budget_plan, year_funding_held
        from funding.selectors.milestones import approval_fulfilments
        from funding.selectors.setup import budget_setup_checks
        from funding.selectors.traits import strategy_funding_traits, strategy_planned_years
        from funding.selectors.year import year_money
        from funding.services import budget_from_onepager
        from priorities import registry

        register_tracked()
        registry.due_sources.register(allocation_rounds_due)
        registry.year_data_checks.register(year_funding_held)
        registry.strategy_traits.register(strategy_funding_traits)
        registry.budget_years.register(strategy_planned_years)
        registry.setup_sections.register(
            registry.SetupSection("funding:budget_setup", _("Budget")), order=40
        )
        registry.strategy_created_from_onepager.register(budget_from_onepager)
        registry.setup_checks.register(budget_setup_checks, order=40)
        registry.fulfilment_sources.register(
            registry.FulfilmentSource(
                frozenset({registry.PARLIAMENTARY_APPROVAL_KIND}), approval_fulfilments
            )
        )
        registry.overview_sections.register(
            registry.OverviewSection("funding/includes/overview_budget.html", budget_plan),
            order=10,
        )
        registry.year_review_sections.register(
            registry.YearReviewSection("funding/includes/year_review_money.html", year_money),
            order=10,
        )
