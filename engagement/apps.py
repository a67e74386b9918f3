from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = "Engagement"

    def ready(self):
        from engagement.changelog import register_tracked
        from engagement.selectors import action_points_due, milestones_due
        from priorities import registry

        register_tracked()
        registry.due_sources.register(action_points_due)
        registry.due_sources.register(milestones_due)
