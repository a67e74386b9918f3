from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from api.personal_data import user_anonymise_api
        from strategy_monitor.personal_data import user_anonymisers

        user_anonymisers.register(user_anonymise_api)
