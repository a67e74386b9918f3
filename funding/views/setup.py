"""Set-up by administrators: the strategy's budget lines and their planned amounts."""

from django.db.models import Prefetch

from funding import services
from funding.forms import BudgetLineForm
from funding.models import BudgetLine, PlannedAmount
from funding.services import BUDGET_LINE_FIELDS
from priorities.views import FormsetSetupView
from strategy_monitor.forms import form_values


class BudgetSetupView(FormsetSetupView):
    """Set the budget lines and their planned amount in each year."""

    template_name = "funding/setup_budget.html"
    section = "funding:budget_setup"
    success_message = "Budget lines and planned amounts saved."

    def build_forms(self, data=None):
        lines = (
            BudgetLine.objects.filter(strategy=self.strategy)
            .select_related("finance_act_code")
            .prefetch_related(
                Prefetch("planned_amounts", queryset=PlannedAmount.objects.order_by("year"))
            )
        )
        forms = [
            BudgetLineForm(data, strategy=self.strategy, instance=line, prefix=f"line-{line.pk}")
            for line in lines
        ]
        new = BudgetLineForm(
            data, strategy=self.strategy, prefix="new", use_required_attribute=False
        )
        new.empty_permitted = True
        return [*forms, new]

    def save_form(self, form) -> None:
        if not form.has_changed():
            return
        values = form_values(form, BUDGET_LINE_FIELDS)
        values["order"] = values.get("order") or 0
        services.budgetline_save(
            strategy=self.strategy,
            line=form.instance,
            amounts=form.amounts(),
            version=form.started_from if form.instance else None,
            user=self.request.user,
            **values,
        )
