"""The strategy's change log page: who changed which record, when, and old → new."""

from django.urls import path
from django.views.generic import TemplateView

from priorities.views import StrategyMixin
from reports.forms import HistoryFilterForm
from strategy_monitor.changelog import strategy_history
from strategy_monitor.lists import filter_errors_report


class StrategyHistoryView(StrategyMixin, TemplateView):
    """Show the strategy's change log: who changed which record, when, and old → new."""

    template_name = "reports/strategy_history.html"
    per_page = 25

    def get_context_data(self, **kwargs):
        form = HistoryFilterForm(self.request.GET or None, strategy=self.strategy)
        filters = {}
        if form.is_bound:
            # The filters that are valid still apply; the others are named in a message.
            if not form.is_valid():
                filter_errors_report(self.request, form)
            filters = form.cleaned_data
        user = filters.get("user")
        page = strategy_history(
            strategy=self.strategy,
            user_id=user.pk if user else None,
            kinds=filters.get("kind") or None,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            page_number=self.request.GET.get("page", 1),
            per_page=self.per_page,
        )
        return super().get_context_data(filter_form=form, history=page, **kwargs)


urlpatterns = [
    path("strategies/<slug:slug>/history/", StrategyHistoryView.as_view(), name="strategy_history"),
]
