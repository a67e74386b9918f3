"""Tables for strategies."""

import django_tables2 as tables

from priorities.models import Strategy


class StrategyTable(tables.Table):
    """The strategies a user may see."""

    title = tables.Column(linkify=True, verbose_name="Strategy")
    organisation = tables.Column(verbose_name="Partner", order_by=("organisation__acronym",))
    period = tables.Column(
        accessor="start_year", verbose_name="Period", order_by=("start_year", "end_year")
    )
    file_number = tables.Column(verbose_name="File no.")
    responsible_unit = tables.Column(verbose_name="Responsible unit")
    priority_area_count = tables.Column(
        verbose_name="Priority areas", attrs={"td": {"class": "num"}}
    )

    class Meta:
        model = Strategy
        fields = ("title", "organisation", "period", "file_number", "responsible_unit")
        sequence = (
            "title",
            "organisation",
            "period",
            "file_number",
            "responsible_unit",
            "priority_area_count",
        )
        order_by = ("-period",)
        empty_text = "No strategy is shared with you yet."

    def render_period(self, record: Strategy) -> str:
        return record.period
