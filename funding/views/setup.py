"""Set-up by administrators: the strategy's budget lines and their planned amounts."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from funding import services
from funding.forms import BudgetLineForm, FinanceActCodeForm
from funding.models import BudgetLine, FinanceActCode, PlannedAmount
from funding.services import BUDGET_LINE_FIELDS
from priorities.views import FormsetSetupView
from strategy_monitor.forms import form_values


class BudgetSetupView(FormsetSetupView):
    """Set the budget lines and their planned amount in each year."""

    template_name = "funding/setup_budget.html"
    section = "funding:budget_setup"
    success_message = _("Budget lines and planned amounts saved.")

    def build_forms(self, data=None):
        codes = [
            FinanceActCodeForm(data, instance=code, prefix=f"code-{code.pk}")
            for code in FinanceActCode.objects.filter(strategy=self.strategy)
        ]
        new_code = FinanceActCodeForm(data, prefix="code-new", use_required_attribute=False)
        new_code.empty_permitted = True
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
        return [*codes, new_code, *forms, new]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = context["forms"]
        context["code_forms"] = [f for f in forms if isinstance(f, FinanceActCodeForm)]
        context["line_forms"] = [f for f in forms if isinstance(f, BudgetLineForm)]
        return context

    def save_form(self, form) -> None:
        if not form.has_changed():
            return
        if isinstance(form, FinanceActCodeForm):
            services.finance_act_code_save(
                strategy=self.strategy,
                finance_act_code=form.instance,
                version=form.started_from if form.instance else None,
                user=self.request.user,
                code=form.cleaned_data["code"],
                label=form.cleaned_data["label"],
                order=form.cleaned_data["order"],
            )
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
