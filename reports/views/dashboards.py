"""Dashboards for managers: the portfolio and each strategy."""

from django import forms
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from priorities.views import StrategyMixin
from reports.dashboards import (
    PortfolioChoices,
    figures_cached,
    portfolio_build,
    portfolio_choices,
    portfolio_figures,
    strategy_dashboard_build,
    strategy_figures,
)


class PortfolioFilterForm(forms.Form):
    """Narrow the portfolio to the strategies running in a year, or to one partner's."""

    year = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label=gettext_lazy("Year"),
        help_text=gettext_lazy("Strategies running in the year, with the year's state and money."),
    )
    partner = forms.ChoiceField(required=False, label=gettext_lazy("Partner"))

    def __init__(self, *args, choices: PortfolioChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years (this year's figures)"))] + [
            (year, str(year)) for year in choices.years
        ]
        self.fields["partner"].choices = [("", _("All partners")), *choices.partners]


class PortfolioView(TemplateView):
    """Show every strategy the user may see: money, ratings, risks and what is due."""

    template_name = "reports/portfolio.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = PortfolioFilterForm(self.request.GET, choices=portfolio_choices(user=user))
        filters = form.cleaned_data if form.is_valid() else {}
        portfolio = portfolio_build(
            user=user,
            today=timezone.localdate(),
            year=filters.get("year"),
            partner=filters.get("partner") or "",
            page=self.request.GET.get("page") or 1,
        )
        return super().get_context_data(
            portfolio=portfolio,
            figures=figures_cached(portfolio, portfolio_figures),
            filter_form=form,
            **kwargs,
        )


class StrategyDashboardView(StrategyMixin, TemplateView):
    """Show one strategy's money, indicators, ratings, risks, allocations and donor standing."""

    template_name = "reports/strategy_dashboard.html"

    def get_context_data(self, **kwargs):
        dashboard = strategy_dashboard_build(strategy=self.strategy, today=timezone.localdate())
        return super().get_context_data(
            dashboard=dashboard, figures=figures_cached(dashboard, strategy_figures), **kwargs
        )


urlpatterns = [
    path(
        "strategies/<slug:slug>/dashboard/",
        StrategyDashboardView.as_view(),
        name="strategy_dashboard",
    ),
]
