from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"
    verbose_name = "Strategies and results"

    def ready(self):
        from priorities.changelog import register_tracked

        register_tracked()
