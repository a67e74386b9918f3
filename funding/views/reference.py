"""The reference data: the donor tables printed in a strategy's annexes."""

from django.views.generic import TemplateView

from funding import selectors

from .base import FundingMixin


class DonorTableListView(FundingMixin, TemplateView):
    """Show the annexes' donor tables with computed sums beside the printed totals."""

    template_name = "funding/donortable_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reference=selectors.reference_data(strategy=self.strategy), **kwargs
        )
