"""Admin pages for the risk register and its re-ratings.

Re-ratings are added through `risks.services.risk_rate`, which dates them and makes the latest
one the risk's current rating; a recorded rating is never changed. A risk's priority areas and
owner follow the rules the register's pages apply.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from priorities.admin import ReadOnlyInlineMixin, ServiceAdminMixin
from risks import services
from risks.models import Risk, RiskRating

RATING_FIELDS = [
    "likelihood",
    "impact",
    "score",
    "residual_likelihood",
    "residual_impact",
    "residual_score",
    "residual_justification",
]


class RiskRatingInline(ReadOnlyInlineMixin, admin.TabularInline):
    """A risk's re-ratings; each is added on its own page, through the register's rules."""

    model = RiskRating
    fields = ["rated_on", "rated_by", *RATING_FIELDS, "note", "is_illustrative"]
    # The database computes the scores; they can be read, never entered.
    readonly_fields = ["score", "residual_score"]
    autocomplete_fields = ["rated_by"]
    extra = 0
    show_change_link = True


@admin.register(Risk)
class RiskAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
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
    autocomplete_fields = ["strategy", "owner", "priority_areas"]
    # The current rating is a copy of the latest re-rating: it changes only by adding one
    # (Risk ratings), never by overwriting it here.
    readonly_fields = ["score", "residual_score", *RATING_FIELDS, "rating_is_illustrative"]
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
        ("Rating and response", {"fields": [*RATING_FIELDS, "rating_is_illustrative", "response"]}),
        ("Follow-up", {"fields": ["status", "closed_reason", "next_review"]}),
    ]
    inlines = [RiskRatingInline]

    def service_check(self, request, obj, form, change):
        services.risk_scope_check(
            strategy=obj.strategy,
            priority_areas=form.cleaned_data.get("priority_areas", []),
            owner=obj.owner,
        )
        # A review date left as it was may have passed: that is what makes a risk overdue.
        if "next_review" in form.changed_data:
            services.next_review_check(obj.next_review)


@admin.register(RiskRating)
class RiskRatingAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    """Add re-ratings through `risk_rate`; a recorded rating is shown, never changed."""

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
    autocomplete_fields = ["risk"]
    # The rating's author is the user who records it.
    readonly_fields = ["rated_by", "score", "residual_score"]
    date_hierarchy = "rated_on"
    ordering = ["risk__strategy__slug", "risk__order", "-rated_on", "-id"]

    @admin.display(description="Strategy", ordering="risk__strategy__slug")
    def strategy(self, obj: RiskRating):
        return obj.risk.strategy

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def service_check(self, request, obj, form, change):
        services.rating_check(obj)
        services.risk_open_check(Risk.objects.select_for_update().get(pk=obj.risk_id))

    def service_save(self, request, obj, form, change):
        return services.risk_rate(
            risk=obj.risk,
            likelihood=obj.likelihood,
            impact=obj.impact,
            residual_likelihood=obj.residual_likelihood,
            residual_impact=obj.residual_impact,
            residual_justification=obj.residual_justification,
            note=obj.note,
            rated_on=obj.rated_on,
            is_illustrative=obj.is_illustrative,
            user=request.user,
        )
