"""The start pages reports offers a user: their tasks (everyone's default) and the dashboard."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from strategy_monitor.preferences.services import START_PAGE_DEFAULT, StartPage


def my_tasks_url(user) -> str:
    """Return My tasks, which every user may open."""
    return reverse("reports:my_tasks")


def portfolio_url(user) -> str:
    """Return the portfolio dashboard, which every user may open."""
    return reverse("home")


MY_TASKS = StartPage(START_PAGE_DEFAULT, _("My tasks"), my_tasks_url)
PORTFOLIO = StartPage("portfolio", _("Portfolio dashboard"), portfolio_url)
