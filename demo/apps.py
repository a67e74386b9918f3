from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Illustrative data for development and demonstrations: load_demo, generate_portfolio."""

    name = "demo"
    verbose_name = "Illustrative demo data"
