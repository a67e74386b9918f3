"""Set-up by administrators: the partner's governing bodies and the strategy's rhythm."""

from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext_lazy

from engagement import services
from engagement.forms import GoverningBodyForm, RhythmForm
from engagement.selectors import governingbody_list, rhythm_get
from engagement.services import BODY_FIELDS, RHYTHM_FIELDS, rhythm_bodies
from priorities.registry import ALLOCATED_IN_DIALOGUE, strategy_budget_years, strategy_traits_get
from priorities.views import FormsetSetupView
from strategy_monitor.forms import form_values


class RhythmSetupView(FormsetSetupView):
    """Set the partner's governing bodies and the rhythm through which Denmark follows them.

    The bodies are the partner's, shared by its strategies; which of them this strategy
    follows, and the rest of its rhythm, are the strategy's. Saved in one transaction.
    """

    template_name = "engagement/setup_rhythm.html"
    section = "engagement:rhythm_setup"
    success_message = gettext_lazy(
        "Governing bodies and rhythm saved. Generate the milestones to plan them."
    )

    @cached_property
    def rhythm(self):
        return rhythm_get(strategy=self.strategy)

    def build_forms(self, data=None):
        followed = {body.pk for body in rhythm_bodies(self.rhythm)}
        forms = [
            GoverningBodyForm(
                data,
                instance=body,
                prefix=f"body-{body.pk}",
                followed=body.pk in followed,
                removable=True,
            )
            for body in governingbody_list(organisation_id=self.strategy.organisation_id)
        ]
        new = GoverningBodyForm(
            data, prefix="new-body", followed=True, use_required_attribute=False
        )
        new.empty_permitted = True
        rhythm = RhythmForm(data, instance=self.rhythm, strategy=self.strategy, prefix="rhythm")
        self._followed = []
        return [*forms, new, rhythm]

    def save_form(self, form) -> None:
        user = self.request.user
        if isinstance(form, RhythmForm):
            services.rhythm_save(
                strategy=self.strategy,
                bodies=self._followed,
                version=form.started_from,
                user=user,
                **form_values(form, RHYTHM_FIELDS),
            )
            return
        instance = form.instance if form.instance.pk else None
        if instance is not None and form.cleaned_data.get("remove"):
            services.governingbody_delete(body=instance, user=user)
            return
        if instance is None and not form.has_changed():
            return
        body = instance
        if instance is None or set(form.changed_data) - {"follow", "remove"}:
            body = services.governingbody_save(
                organisation=self.strategy.organisation,
                body=instance,
                version=form.started_from,
                user=user,
                **form_values(form, BODY_FIELDS),
            )
        if form.cleaned_data.get("follow"):
            self._followed.append(body)

    def get_context_data(self, **kwargs):
        forms = kwargs.pop("forms", None) or self.build_forms()
        traits = strategy_traits_get(self.strategy)
        return super().get_context_data(
            forms=forms,
            body_forms=forms[:-1],
            rhythm_form=forms[-1],
            allocated_in_dialogue=ALLOCATED_IN_DIALOGUE in traits,
            budget_years=sorted(strategy_budget_years(self.strategy)),
            milestones_url=reverse("engagement:milestone_list", args=[self.strategy.slug]),
            **kwargs,
        )
