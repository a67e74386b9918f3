"""Admin pages for the risk register and its re-ratings.

Risks and their ratings are monitored records: the admin shows them and their history, and the
register's pages change them through `risks.services`, which dates each re-rating and makes the
latest one the risk's current rating.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from risks.models import Risk, RiskRating
from risks.selectors import RATING_FIELDS
from strategy_monitor.admin import MonitoredAdmin, ReadOnlyInlineMixin


class RiskRatingInline(ReadOnlyInlineMixin, admin.TabularInline):
    """A risk's re-ratings; each is added on the register's pages, through its rules."""

    model = RiskRating
    fields = ["rated_on", "rated_by", *RATING_FIELDS, "note", "is_illustrative"]
    # The database computes the scores.
    readonly_fields = ["score", "residual_score"]
    extra = 0
    show_change_link = True


@admin.register(Risk)
class RiskAdmin(MonitoredAdmin):
    list_display = [
        "key",
        "title",
        "strategy",
        "category",
        "status",
        "likelihood",
        "impact",
        "score",
        "residual_score",
        "rating_is_illustrative",
        "owner",
        "next_review",
        "source",
    ]
    list_filter = [
        "strategy",
        "category",
        "status",
        "rating_is_illustrative",
        "likelihood",
        "impact",
    ]
    list_select_related = ["strategy", "owner"]
    search_fields = ["key", "title", "description", "response", "strategy__slug"]
    ordering = ["strategy__slug", "order", "key"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "strategy",
                    "key",
                    "title",
                    "category",
                    "description",
                    "priority_areas",
                    "owner",
                    "order",
                    "source",
                ]
            },
        ),
        (
            _("Rating and response"),
            {"fields": [*RATING_FIELDS, "rating_is_illustrative", "response"]},
        ),
        (_("Follow-up"), {"fields": ["status", "closed_reason", "next_review"]}),
    ]
    inlines = [RiskRatingInline]


@admin.register(RiskRating)
class RiskRatingAdmin(MonitoredAdmin):
    """A risk's dated re-ratings; a recorded rating is shown, never changed."""

    list_display = [
        "risk",
        "strategy",
        "rated_on",
        "likelihood",
        "impact",
        "score",
        "residual_score",
        "rated_by",
        "is_illustrative",
    ]
    list_filter = ["risk__strategy", "is_illustrative", "likelihood", "impact"]
    list_select_related = ["risk__strategy", "rated_by"]
    search_fields = ["risk__key", "risk__title", "note"]
    date_hierarchy = "rated_on"
    ordering = ["risk__strategy__slug", "risk__order", "-rated_on", "-id"]

    @admin.display(description=_("Strategy"), ordering="risk__strategy__slug")
    def strategy(self, obj: RiskRating):
        return obj.risk.strategy
