"""Tables for strategies and indicators; cells read only their row, never the database."""

from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from priorities.choices import DefinitionStatus
from priorities.models import Indicator, Strategy
from priorities.templatetags.monitor import illustrative_label
from strategy_monitor.formats import figure_grouped, figure_text


class StrategyTable(tables.Table):
    """The strategies a user may see."""

    # Names the panel the table scrolls in on a narrow screen (includes/table.html).
    label = _("Strategies")

    title = tables.Column(linkify=True, verbose_name=_("Strategy"))
    organisation = tables.Column(verbose_name=_("Partner"), order_by=("organisation__acronym",))
    period = tables.Column(
        accessor="start_year", verbose_name=_("Period"), order_by=("start_year", "end_year")
    )
    file_number = tables.Column(verbose_name=_("File no."))
    responsible_unit = tables.Column(verbose_name=_("Responsible unit"))
    priority_area_count = tables.Column(
        verbose_name=_("Priority areas"), attrs={"td": {"class": "num"}}
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
        empty_text = _("No strategy is shared with you yet.")

    def render_period(self, record: Strategy) -> str:
        return record.period


class FigureColumn(tables.Column):
    """A figure: shown without trailing zeros, exported as a number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def render(self, value):
        if value is None:
            return format_html('<span class="muted">{}</span>', "–")
        return figure_grouped(value)

    def value(self, value):
        return Decimal(figure_text(value)) if value is not None else None


class IllustrativeFlagColumn(tables.Column):
    """An export-only column saying whether a value is illustrative: "Yes" or "No"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("visible", False)
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def render(self, value):
        return gettext("Yes") if value else gettext("No")

    def value(self, value):
        return self.render(value)


class ActualColumn(FigureColumn):
    """A year's actual, marked when illustrative, with its evidence count and an edit link."""

    def __init__(self, *args, year: int, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def render(self, value, record, table):
        parts = [super().render(value)]
        if getattr(record, f"illustrative_{self.year}", False):
            parts.append(illustrative_label())
        evidence = getattr(record, f"evidence_{self.year}", 0)
        if evidence:
            parts.append(
                format_html(
                    '<span class="evidence-count" title="{}">📎 {}</span>',
                    ngettext("%(count)s evidence file", "%(count)s evidence files", evidence)
                    % {"count": evidence},
                    evidence,
                )
            )
        if self.year in table.editable_years:
            url = reverse(
                "priorities:progress_edit",
                kwargs={"slug": table.strategy_slug, "pk": record.pk, "year": self.year},
            )
            parts.append(
                format_html(
                    '<a class="cell-action" href="{}" aria-label="{}">{}</a>',
                    url,
                    gettext("Enter %(year)s figures for %(indicator)s")
                    % {
                        "year": self.year,
                        "indicator": record.code or record.title or gettext("the indicator"),
                    },
                    pgettext("action", "Enter"),
                )
            )
        elif self.year in table.view_years:
            url = reverse(
                "priorities:progress_edit",
                kwargs={"slug": table.strategy_slug, "pk": record.pk, "year": self.year},
            )
            parts.append(
                format_html('<a class="cell-action" href="{}">{}</a>', url, gettext("View"))
            )
        return format_html_join(" ", "{}", ((part,) for part in parts))


class IndicatorTable(tables.Table):
    """A priority area's indicators with baseline, and target and actual for each year."""

    # Names the panel the table scrolls in on a narrow screen (includes/table.html).
    label = _("Indicators")

    code = tables.Column(verbose_name=_("Code"), empty_values=())
    title = tables.Column(verbose_name=_("Indicator"), empty_values=())
    unit = tables.Column(verbose_name=_("Unit"), visible=False)
    node = tables.Column(
        verbose_name=_("Node"), order_by=("node__level", "node__code", "node__key")
    )
    status = tables.Column(verbose_name=_("Definition"), visible=False)
    baseline = FigureColumn(verbose_name=_("Baseline"))
    baseline_year = tables.Column(verbose_name=_("Baseline year"), visible=False)
    # Shown as a tag next to the title on the page; a column of its own in exports.
    is_key = tables.BooleanColumn(verbose_name=_("Key indicator"), visible=False)
    # Shown next to the title on the page; a column of its own in exports.
    is_illustrative = IllustrativeFlagColumn(verbose_name=_("Illustrative"))

    class Meta:
        model = Indicator
        fields = ()
        sequence = (
            "code",
            "title",
            "unit",
            "node",
            "status",
            "baseline",
            "baseline_year",
            "is_key",
            "is_illustrative",
            "...",
        )
        order_by = ("order",)
        empty_text = _("No indicator is defined under this priority area yet.")
        attrs = {"class": "table indicators"}

    def __init__(
        self,
        *args,
        years: tuple[int, ...] = (),
        strategy_slug: str = "",
        editable_years: tuple[int, ...] = (),
        can_edit_definitions: bool = False,
        **kwargs,
    ):
        extra = list(kwargs.pop("extra_columns", []))
        for year in years:
            target = pgettext("figure", "Target %(year)s") % {"year": year}
            actual = gettext("Actual %(year)s") % {"year": year}
            extra.append((f"target_{year}", FigureColumn(verbose_name=target)))
            extra.append((f"actual_{year}", ActualColumn(verbose_name=actual, year=year)))
            # The page marks an illustrative actual in its cell; a download says so in a column.
            extra.append(
                (
                    f"illustrative_{year}",
                    IllustrativeFlagColumn(
                        verbose_name=gettext("Actual %(year)s illustrative") % {"year": year}
                    ),
                )
            )
        self.strategy_slug = strategy_slug
        self.editable_years = set(editable_years)
        # Those who may not enter figures still open the year's record to read its evidence.
        self.view_years = set(years) - self.editable_years
        self.can_edit_definitions = can_edit_definitions
        super().__init__(*args, extra_columns=extra, **kwargs)

    def render_code(self, record: Indicator):
        return record.code or format_html('<span class="muted">{}</span>', "–")

    def value_code(self, record: Indicator) -> str:
        return record.code

    def render_title(self, record: Indicator):
        title = record.title or gettext("Under development")
        parts = [format_html("{}", title)]
        if record.is_key:
            parts.append(
                format_html(
                    '<span class="tag tag-key" title="{}">{}</span>',
                    gettext("Shown in the consultation brief"),
                    gettext("Key indicator"),
                )
            )
        if record.status == DefinitionStatus.UNDER_DEVELOPMENT:
            parts.append(
                format_html('<span class="tag tag-dev">{}</span>', gettext("Under development"))
            )
        if record.is_illustrative:
            parts.append(illustrative_label())
        if record.unit:
            parts.append(format_html('<span class="unit muted small">{}</span>', record.unit))
        if self.can_edit_definitions:
            url = reverse(
                "priorities:indicator_update",
                kwargs={"slug": self.strategy_slug, "pk": record.pk},
            )
            parts.append(
                format_html('<a class="cell-action" href="{}">{}</a>', url, gettext("Edit"))
            )
        return format_html_join(" ", "{}", ((part,) for part in parts))

    def value_title(self, record: Indicator) -> str:
        return record.title

    def render_node(self, record: Indicator):
        node = record.node
        label = node.code or node.level_name
        if node.status == DefinitionStatus.UNDER_DEVELOPMENT:
            return format_html(
                '{} <span class="tag tag-dev">{}</span>', label, gettext("Under development")
            )
        return label

    def render_baseline(self, record: Indicator):
        text = FigureColumn.render(self.columns["baseline"].column, record.baseline)
        if record.baseline_year and record.baseline is not None:
            return format_html(
                '{} <span class="muted small">({})</span>', text, record.baseline_year
            )
        return text

    def value_baseline(self, record: Indicator):
        # The baseline year has a column of its own in a download.
        return FigureColumn.value(self.columns["baseline"].column, record.baseline)

    def value_node(self, record: Indicator) -> str:
        node = record.node
        label = node.code or node.title or node.level_name
        if node.status == DefinitionStatus.UNDER_DEVELOPMENT:
            return gettext("%(label)s (under development)") % {"label": label}
        return label

    def render_status(self, record: Indicator) -> str:
        return record.get_status_display()
