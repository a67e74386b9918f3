from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrioritiesConfig(AppConfig):
    name = "priorities"
    verbose_name = _("Strategies and results")

    def ready(self):
        from priorities import registry
        from priorities.changelog import register_tracked
        from priorities.permissions import ALL_GROUPS, user_is_administrator
        from priorities.personal_data import user_anonymise_priorities
        from priorities.selectors import year_fulfilments, years_due
        from priorities.start_pages import OWN_STRATEGY, STRATEGIES
        from strategy_monitor.personal_data import user_anonymisers
        from strategy_monitor.preferences.services import start_pages
        from strategy_monitor.sso import roles as sso_roles

        register_tracked()
        start_pages.register(STRATEGIES, order=30)
        start_pages.register(OWN_STRATEGY, order=40)
        user_anonymisers.register(user_anonymise_priorities)
        registry.due_sources.register(years_due)
        registry.fulfilment_sources.register(
            registry.FulfilmentSource(frozenset({registry.YEAR_APPROVED_KIND}), year_fulfilments)
        )
        # Single sign-on names these roles to an account without one, and lets administrators
        # keep a password where LOCAL_LOGIN is "admins".
        for group in ALL_GROUPS:
            sso_roles.product_roles.register(group)
        sso_roles.administrator_checks.register(user_is_administrator)
        for order, url_name, label in (
            (10, "priorities:strategy_update", _("Front page")),
            (20, "priorities:strategyyear_setup", _("Years")),
            (30, "priorities:priorityarea_setup", _("Priority areas")),
            (50, "priorities:team_setup", _("Team")),
            (60, "priorities:framework_setup", _("Results framework")),
        ):
            registry.setup_sections.register(registry.SetupSection(url_name, label), order=order)
