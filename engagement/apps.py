from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = _("Engagement")

    def ready(self):
        from engagement.changelog import register_tracked
        from engagement.choices import MilestoneKind
        from engagement.personal_data import user_anonymise_engagement
        from engagement.selectors import (
            action_points_due,
            consultation_fulfilments,
            milestone_setup_checks,
            milestones_due,
            review_fulfilments,
        )
        from priorities import registry
        from strategy_monitor.personal_data import user_anonymisers

        register_tracked()
        user_anonymisers.register(user_anonymise_engagement)
        registry.due_sources.register(action_points_due)
        registry.due_sources.register(milestones_due)
        registry.setup_checks.register(milestone_setup_checks, order=70)
        registry.fulfilment_sources.register(
            registry.FulfilmentSource(
                frozenset(
                    {MilestoneKind.ANNUAL_CONSULTATION, MilestoneKind.HIGH_LEVEL_CONSULTATION}
                ),
                consultation_fulfilments,
            )
        )
        registry.fulfilment_sources.register(
            registry.FulfilmentSource(
                frozenset({MilestoneKind.MID_TERM_REVIEW}), review_fulfilments
            )
        )
        registry.setup_sections.register(
            registry.SetupSection("engagement:rhythm_setup", _("Rhythm")), order=70
        )
