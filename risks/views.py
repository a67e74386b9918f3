"""Pages of the risk register: the list, one risk, the heat map, and the edits."""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from priorities.views import StrategyMixin
from risks import services
from risks.charts import ScorePoint, risk_score_figure
from risks.choices import SCORED_BANDS
from risks.filtersets import RiskFilterSet
from risks.forms import RiskCloseForm, RiskForm, RiskRateForm, RiskReopenForm
from risks.models import Risk
from risks.permissions import risk_can_edit
from risks.selectors import risk_counts, risk_heatmap, risk_list, risk_page
from risks.tables import RiskTable
from strategy_monitor.charts import figure_data
from strategy_monitor.exports import SafeExportMixin
from strategy_monitor.lists import ForgivingListMixin
from strategy_monitor.views import ServiceFormView


class RiskListView(
    StrategyMixin, ForgivingListMixin, SingleTableMixin, SafeExportMixin, FilterView
):
    """List the risks of a strategy, with filters, counts and CSV/XLSX export."""

    table_class = RiskTable
    filterset_class = RiskFilterSet
    template_name = "risks/risk_list.html"
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return risk_list(strategy=self.strategy)

    def get_export_filename(self, export_format: str) -> str:
        return f"risks-{self.strategy.slug}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(counts=risk_counts(strategy=self.strategy), **kwargs)
        context["can_edit"] = risk_can_edit(self.request.user, self.strategy)
        return context


class RiskMixin(StrategyMixin):
    """Resolve the risk named in the URL, within the strategy named there."""

    @cached_property
    def risk(self) -> Risk:
        try:
            return Risk.objects.select_related("strategy", "owner").get(
                strategy=self.strategy, pk=self.kwargs["pk"]
            )
        except Risk.DoesNotExist as error:
            raise Http404("No such risk in this strategy.") from error

    def get_context_data(self, **kwargs):
        return super().get_context_data(risk=self.risk, **kwargs)

    def get_success_url(self) -> str:
        """After a change to the risk, go back to its page."""
        return self.risk.get_absolute_url()


class RiskEditMixin:
    """Let only those who may edit the register in; others get 403 on GET and POST alike."""

    def dispatch(self, request, *args, **kwargs):
        if not risk_can_edit(request.user, self.strategy):
            raise PermissionDenied(_("Only the strategy's desk officers change its risk register."))
        return super().dispatch(request, *args, **kwargs)


def score_points(ratings) -> list[ScorePoint]:
    """Return the points of a risk's score chart from its re-ratings."""
    return [
        ScorePoint(
            on=rating.rated_on,
            inherent=rating.score,
            residual=rating.residual_score,
            illustrative=rating.is_illustrative,
        )
        for rating in ratings
    ]


class RiskDetailView(StrategyMixin, TemplateView):
    """Show one risk: its description, response, current rating, re-ratings and changes."""

    template_name = "risks/risk_detail.html"

    def get_context_data(self, **kwargs):
        try:
            page = risk_page(strategy=self.strategy, pk=self.kwargs["pk"])
        except Risk.DoesNotExist as error:
            raise Http404("No such risk in this strategy.") from error
        score_figure = None
        if page.ratings:
            score_figure = figure_data(
                risk_score_figure(
                    points=score_points(page.ratings),
                    title=_("Score over time"),
                )
            )
        return super().get_context_data(
            page=page,
            risk=page.risk,
            score_figure=score_figure,
            can_edit=risk_can_edit(self.request.user, self.strategy),
            **kwargs,
        )


class RiskHeatmapView(StrategyMixin, TemplateView):
    """Show the open risks in a 5 × 5 likelihood × impact matrix, inherent and residual."""

    template_name = "risks/risk_heatmap.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heatmap=risk_heatmap(strategy=self.strategy),
            bands=SCORED_BANDS,
            can_edit=risk_can_edit(self.request.user, self.strategy),
            **kwargs,
        )


class RiskCreateView(RiskEditMixin, StrategyMixin, ServiceFormView):
    """Add a risk to the register; it starts unrated."""

    form_class = RiskForm
    template_name = "risks/risk_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def save(self, form):
        data = form.cleaned_data
        return services.risk_create(
            strategy=self.strategy,
            title=data["title"],
            category=data["category"],
            description=data["description"],
            response=data["response"],
            priority_areas=data["priority_areas"],
            owner=data["owner"],
            next_review=data["next_review"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        return _(
            "Risk “%(title)s” added. It is not yet rated: use “Rate this risk” to rate it."
        ) % {"title": self.object.title}

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class RiskUpdateView(RiskEditMixin, RiskMixin, ServiceFormView):
    """Change a risk's details and response; a stale copy is refused."""

    form_class = RiskForm
    template_name = "risks/risk_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy, "instance": self.risk}

    def save(self, form):
        data = form.cleaned_data
        return services.risk_update(
            risk=form.instance,
            version=form.started_from,
            title=data["title"],
            category=data["category"],
            description=data["description"],
            response=data["response"],
            priority_areas=data["priority_areas"],
            owner=data["owner"],
            next_review=data["next_review"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        return _("Risk details and response saved.")


class RiskRateView(RiskEditMixin, RiskMixin, ServiceFormView):
    """Record a dated re-rating of a risk."""

    form_class = RiskRateForm
    template_name = "risks/riskrating_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "risk": self.risk}

    def save(self, form):
        data = form.cleaned_data
        return services.risk_rate(
            risk=self.risk,
            likelihood=data["likelihood"],
            impact=data["impact"],
            residual_likelihood=data["residual_likelihood"],
            residual_impact=data["residual_impact"],
            residual_justification=data["residual_justification"],
            note=data["note"],
            rated_on=data["rated_on"],
            next_review=data["next_review"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        rating = self.object
        when = date_format(rating.rated_on, "DATE_FORMAT")
        if rating.becomes_current:
            return _("Rating of %(day)s recorded: score %(score)s. It is the current rating.") % {
                "day": when,
                "score": rating.score,
            }
        return _(
            "Rating of %(day)s recorded in the history. A later rating exists, so the current "
            "rating stays as it was."
        ) % {"day": when}


class RiskCloseView(RiskEditMixin, RiskMixin, ServiceFormView):
    """Close a risk with a required reason."""

    form_class = RiskCloseForm
    template_name = "risks/risk_confirm_close.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.risk}

    def save(self, form):
        return services.risk_close(
            risk=self.risk,
            reason=form.cleaned_data["closed_reason"],
            version=form.started_from,
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        return _("Risk “%(title)s” closed.") % {"title": self.risk.title}


class RiskReopenView(RiskEditMixin, RiskMixin, ServiceFormView):
    """Reopen a closed risk."""

    form_class = RiskReopenForm
    template_name = "risks/risk_confirm_reopen.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.risk}

    def save(self, form):
        return services.risk_reopen(
            risk=self.risk,
            note=form.cleaned_data["note"],
            next_review=form.cleaned_data["next_review"],
            version=form.started_from,
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        return _("Risk “%(title)s” reopened.") % {"title": self.risk.title}
