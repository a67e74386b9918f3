"""Query helpers for strategies."""

from django.db import models
from django.db.models import Q


class StrategyQuerySet(models.QuerySet):
    """Strategies, narrowed to what a user may see."""

    def visible_to(self, user) -> "StrategyQuerySet":
        """Return the strategies `user` may see: managers and administrators see all."""
        from priorities.permissions import user_sees_all_strategies

        if not user.is_authenticated:
            return self.none()
        if user_sees_all_strategies(user):
            return self
        return self.filter(Q(team__user=user)).distinct()
