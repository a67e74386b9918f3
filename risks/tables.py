"""The risk register table; its cells read only the row and its owner, never the database."""

import django_tables2 as tables
from django.db.models import F
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from priorities.templatetags.monitor import illustrative_label
from risks.models import Risk
from strategy_monitor.formats import person_name

NOT_RATED = _("Not yet rated")
NOT_CATEGORISED = _("Not categorised")


def _score_html(score, band, illustrative: bool):
    label = format_html(
        '<strong>{}</strong> <span class="band band-{}">{}</span>',
        score,
        band.value,
        band.label.split(" ")[0],
    )
    if illustrative:
        label = format_html("{} {}", label, illustrative_label())
    return label


def _nulls_last(queryset, field: str, is_descending: bool):
    expression = F(field).desc(nulls_last=True) if is_descending else F(field).asc(nulls_last=True)
    return queryset.order_by(expression, "order", "key"), True


class RiskTable(tables.Table):
    """The register: one row per risk, with its current rating and follow-up."""

    # Names the panel the table scrolls in on a narrow screen (includes/table.html).
    label = _("Risks")

    title = tables.Column(
        linkify=True, verbose_name=_("Risk"), attrs={"td": {"class": "risk-title"}}
    )
    category = tables.Column(empty_values=(), verbose_name=_("Category"))
    likelihood = tables.Column(
        empty_values=(), verbose_name=_("Likelihood"), attrs={"td": {"class": "num"}}
    )
    impact = tables.Column(
        empty_values=(), verbose_name=_("Impact"), attrs={"td": {"class": "num"}}
    )
    score = tables.Column(empty_values=(), verbose_name=_("Score"), attrs={"td": {"class": "num"}})
    residual_score = tables.Column(
        empty_values=(), verbose_name=_("Residual score"), attrs={"td": {"class": "num"}}
    )
    owner = tables.Column(
        verbose_name=_("Owner"), order_by=("owner__first_name", "owner__username")
    )
    status = tables.Column(verbose_name=_("Status"))
    next_review = tables.DateColumn(
        format="SHORT_DATE_FORMAT", verbose_name=_("Next review"), attrs={"td": {"class": "nowrap"}}
    )
    overdue = tables.Column(
        accessor="next_review", empty_values=(), verbose_name=_("Overdue"), orderable=False
    )
    # The page labels an illustrative rating beside its score; a download says so in a column.
    rating_is_illustrative = tables.Column(
        verbose_name=_("Rating illustrative"), empty_values=(), visible=False, orderable=False
    )

    class Meta:
        model = Risk
        fields = ()
        sequence = (
            "title",
            "category",
            "likelihood",
            "impact",
            "score",
            "residual_score",
            "owner",
            "status",
            "next_review",
            "overdue",
            "rating_is_illustrative",
        )
        empty_text = _("No risk matches.")
        attrs = {"class": "table register"}

    def render_category(self, record: Risk):
        if not record.category:
            return format_html('<span class="muted">{}</span>', NOT_CATEGORISED)
        return record.get_category_display()

    def value_category(self, record: Risk) -> str:
        return record.get_category_display() if record.category else NOT_CATEGORISED

    # The cells show the number; the column headers and the rating form name the scale.
    def render_likelihood(self, record: Risk):
        return "–" if record.likelihood is None else record.likelihood

    def render_impact(self, record: Risk):
        return "–" if record.impact is None else record.impact

    def value_likelihood(self, record: Risk):
        return record.likelihood

    def value_impact(self, record: Risk):
        return record.impact

    def render_score(self, record: Risk):
        if not record.is_rated:
            return format_html('<span class="unrated">{}</span>', NOT_RATED)
        return _score_html(record.score, record.score_band, record.rating_is_illustrative)

    def value_score(self, record: Risk):
        return record.score if record.is_rated else NOT_RATED

    def render_residual_score(self, record: Risk):
        if not record.is_rated:
            return "–"
        if not record.has_residual:
            return format_html('<span class="unrated">{}</span>', _("No residual rating"))
        # The illustrative label sits once per row, next to the inherent score.
        return _score_html(record.residual_score, record.residual_band, False)

    def value_residual_score(self, record: Risk):
        return record.residual_score if record.has_residual else NOT_RATED

    def order_score(self, queryset, is_descending):
        return _nulls_last(queryset, "score", is_descending)

    def order_residual_score(self, queryset, is_descending):
        return _nulls_last(queryset, "residual_score", is_descending)

    def render_owner(self, value) -> str:
        return person_name(value)

    def value_owner(self, value) -> str:
        return person_name(value)

    def render_overdue(self, record: Risk):
        if record.is_overdue:
            return format_html('<span class="tag tag-overdue">{}</span>', _("Overdue"))
        return ""

    def value_overdue(self, record: Risk) -> str:
        return _("Overdue") if record.is_overdue else ""

    def value_rating_is_illustrative(self, record: Risk) -> str:
        return _("Yes") if record.is_rated and record.rating_is_illustrative else _("No")
