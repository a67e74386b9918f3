"""The start pages priorities offers a user: the strategies, or the one strategy they work on."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from priorities.models import Strategy
from strategy_monitor.preferences.services import StartPage


def strategy_list_url(user) -> str:
    """Return the list of strategies, which every user may open."""
    return reverse("priorities:strategy_list")


def own_strategy_url(user) -> str | None:
    """Return the overview of the one strategy on whose team `user` is, or None if not one."""
    slugs = list(
        Strategy.objects.filter(team__user=user).values_list("slug", flat=True).distinct()[:2]
    )
    if len(slugs) != 1:
        return None
    return reverse("priorities:strategy_detail", kwargs={"slug": slugs[0]})


STRATEGIES = StartPage("strategies", _("Strategies"), strategy_list_url)
OWN_STRATEGY = StartPage("own_strategy", _("My strategy's overview"), own_strategy_url)
