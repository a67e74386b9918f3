from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from api.personal_data import user_anonymise_api
        from strategy_monitor.personal_data import user_anonymisers

        user_anonymisers.register(user_anonymise_api)
