from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = "Engagement"

    def ready(self):
        from engagement.selectors import action_points_due, milestones_due
        from priorities import registry

        registry.due_sources.register(action_points_due)
        registry.due_sources.register(milestones_due)
