"""Set-up by administrators: front page, years, priority areas and team (the budget: funding)."""

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from priorities import services
from priorities.forms import (
    STRATEGY_TEXT_FIELDS,
    PriorityAreaForm,
    StrategyForm,
    StrategyYearForm,
    TeamRowForm,
)
from priorities.models import Strategy
from priorities.registry import setup_sections
from priorities.selectors import strategy_setup_checklist
from priorities.services import AREA_FIELDS, STRATEGY_FIELDS
from strategy_monitor.forms import form_values
from strategy_monitor.views import ServiceFormView, form_refuse

from ._common import SetUpRequiredMixin
from .strategy import StrategyMixin

# --- Set-up by administrators ---------------------------------------------------------------


class SetUpMixin(SetUpRequiredMixin, StrategyMixin):
    """A set-up page of a strategy: administrators only, with the set-up sections as tabs.

    The tabs are those registered in `priorities.registry.setup_sections`, by the apps whose
    set-up pages they are; `section` names this page's tab by its URL name.
    """

    section = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sections=tuple(setup_sections), section=self.section, **kwargs
        )


class StrategyCreateView(SetUpRequiredMixin, ServiceFormView):
    """Set up a new strategy from its front page; its reporting years are created with it."""

    form_class = StrategyForm
    template_name = "priorities/strategy_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(text_fields=STRATEGY_TEXT_FIELDS, **kwargs)

    def save(self, form):
        values = form_values(form, STRATEGY_FIELDS)
        with transaction.atomic():
            if not values.get("organisation"):
                try:
                    values["organisation"] = services.organisation_create(
                        name=form.cleaned_data["new_organisation_name"],
                        acronym=form.cleaned_data["new_organisation_acronym"],
                        iati_identifier=form.cleaned_data["new_organisation_iati_identifier"],
                        user=self.request.user,
                    )
                except ValidationError as error:
                    raise ValidationError(
                        {"new_organisation_name": error.messages}, code="invalid_partner"
                    ) from error
            return services.strategy_create(
                user=self.request.user, sdgs=form.cleaned_data["sdgs"], **values
            )

    def get_success_message(self) -> str:
        return gettext(
            "Strategy “%(strategy)s” set up with the years %(period)s. "
            "Add its priority areas, budget, team and results framework next."
        ) % {"strategy": self.object, "period": self.object.period}

    def get_success_url(self) -> str:
        return reverse("priorities:priorityarea_setup", kwargs={"slug": self.object.slug})


class StrategyUpdateView(SetUpMixin, ServiceFormView):
    """Change a strategy's front page; a changed period adds or drops (empty) years."""

    form_class = StrategyForm
    template_name = "priorities/strategy_form.html"
    section = "priorities:strategy_update"

    def get_form_kwargs(self):
        # A copy, so that input refused by validation never shows in the page header.
        instance = Strategy.objects.select_related("organisation").get(pk=self.strategy.pk)
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            text_fields=STRATEGY_TEXT_FIELDS,
            checklist=strategy_setup_checklist(strategy=self.strategy),
            **kwargs,
        )

    def save(self, form):
        return services.strategy_update(
            strategy=form.instance,
            version=form.started_from,
            user=self.request.user,
            sdgs=form.cleaned_data["sdgs"],
            **form_values(form, STRATEGY_FIELDS),
        )

    def get_success_message(self) -> str:
        return gettext("Front page of “%(strategy)s” saved; the period is %(period)s.") % {
            "strategy": self.object,
            "period": self.object.period,
        }

    def get_success_url(self) -> str:
        return reverse("priorities:strategy_update", kwargs={"slug": self.object.slug})


class FormsetSetupView(SetUpMixin, TemplateView):
    """Edit a list of records at once: all saved in one transaction, or none."""

    success_message = _("Saved.")

    def build_forms(self, data=None):
        raise NotImplementedError

    def save_form(self, form) -> None:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        kwargs.setdefault("forms", self.build_forms())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        forms = self.build_forms(request.POST)
        if all(form.is_valid() for form in forms):
            failed = None
            try:
                with transaction.atomic():
                    for form in forms:
                        failed = form
                        self.save_form(form)
            except ValidationError as error:
                form_refuse(failed, error)
            else:
                messages.success(request, self.success_message)
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(forms=forms))


class StrategyYearSetupView(FormsetSetupView):
    """Set each year's planned commitment and projected disbursement."""

    template_name = "priorities/setup_years.html"
    section = "priorities:strategyyear_setup"
    success_message = _("Planned commitments and disbursements saved.")

    def build_forms(self, data=None):
        return [
            StrategyYearForm(data, instance=year, prefix=f"year-{year.year}")
            for year in self.strategy.strategy_years.all()
        ]

    def save_form(self, form) -> None:
        if form.has_changed():
            services.strategy_year_update(
                strategy_year=form.instance,
                planned_commitment=form.cleaned_data["planned_commitment"],
                planned_disbursement=form.cleaned_data["planned_disbursement"],
                version=form.started_from,
                user=self.request.user,
            )


def blank_rows(request, default: int = 3, most: int = 20) -> int:
    """Return how many blank rows a list page offers: `?rows=` asks for more, without script."""
    try:
        return max(1, min(most, int(request.GET.get("rows", default))))
    except ValueError:
        return default


def blank_prefix(prefix: str, index: int) -> str:
    # The first blank row keeps the plain prefix, as the page had it when it offered one.
    return prefix if index == 0 else f"{prefix}-{index}"


class PriorityAreaSetupView(FormsetSetupView):
    """Add, change, reorder and remove the strategy's priority areas, all in one save."""

    template_name = "priorities/setup_priorityareas.html"
    section = "priorities:priorityarea_setup"
    success_message = _("Priority areas saved.")

    def build_forms(self, data=None):
        forms = [
            PriorityAreaForm(data, instance=area, strategy=self.strategy, prefix=f"area-{area.pk}")
            for area in self.strategy.priority_areas.order_by("order", "number")
        ]
        for form in forms:
            form.fields["remove"] = django_forms.BooleanField(
                required=False, label=gettext("Remove this priority area")
            )
        rows = self.blank_count(data)
        blanks = []
        for index in range(rows):
            blank = PriorityAreaForm(
                data,
                strategy=self.strategy,
                prefix=blank_prefix("new", index),
                use_required_attribute=False,
            )
            blank.empty_permitted = True
            blanks.append(blank)
        return [*forms, *blanks]

    def blank_count(self, data) -> int:
        if data is not None:
            # As many as the page that was posted offered.
            return max(1, min(20, int(data.get("blank_rows", 1) or 1)))
        return blank_rows(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blank_rows"] = sum(1 for form in context["forms"] if not form.instance.pk)
        context["more_rows"] = context["blank_rows"] + 3
        return context

    def save_form(self, form) -> None:
        if form.instance.pk and form.cleaned_data.get("remove"):
            services.priorityarea_delete(area=form.instance, user=self.request.user)
        elif form.has_changed():
            services.priorityarea_save(
                strategy=self.strategy,
                area=form.instance if form.instance.pk else None,
                version=form.started_from,
                user=self.request.user,
                **form_values(form, AREA_FIELDS),
            )


class TeamSetupView(FormsetSetupView):
    """Put users on the strategy's team, change their roles or take them off, in one save."""

    template_name = "priorities/setup_team.html"
    section = "priorities:team_setup"
    success_message = _("Team saved.")

    def build_forms(self, data=None):
        team = self.strategy.team.select_related("user").order_by("role", "user__username")
        users = list(TeamRowForm.user_choices())
        forms = [
            TeamRowForm(data, instance=membership, users=users, prefix=f"member-{membership.pk}")
            for membership in team
        ]
        rows = (
            max(1, min(20, int(data.get("blank_rows", 1) or 1)))
            if data is not None
            else blank_rows(self.request)
        )
        for index in range(rows):
            blank = TeamRowForm(
                data, users=users, prefix=blank_prefix("new", index), use_required_attribute=False
            )
            blank.empty_permitted = True
            forms.append(blank)
        return forms

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blank_rows"] = sum(1 for form in context["forms"] if not form.instance.pk)
        context["more_rows"] = context["blank_rows"] + 3
        return context

    def save_form(self, form) -> None:
        membership = form.instance if form.instance.pk else None
        if membership is not None and form.cleaned_data.get("remove"):
            services.teammembership_remove(
                membership=membership, user=self.request.user, version=form.started_from
            )
        elif form.has_changed():
            services.teammembership_save(
                strategy=self.strategy,
                membership=membership,
                member=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                version=form.started_from,
                user=self.request.user,
            )
