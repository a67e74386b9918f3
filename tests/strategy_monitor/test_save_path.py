"""Every edit page saves the same way; services change only the fields whose value changes."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from priorities import services as priorities_services
from priorities.models import Organisation, Strategy
from risks.models import Risk
from strategy_monitor.concurrency import (
    STALE_CODE,
    VersionedFormMixin,
    version_token,
)
from strategy_monitor.forms import error_codes
from strategy_monitor.services import model_update
from strategy_monitor.views import ServiceDeleteView, ServiceFormView
from tests.priorities.factories import OrganisationFactory, StrategyFactory, UserFactory

pytestmark = pytest.mark.django_db


class UnitForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["responsible_unit"]


class UnitUpdateView(ServiceFormView):
    """Change a strategy's responsible unit; "Nowhere" is refused as a service would refuse it."""

    form_class = UnitForm
    template_name = "unused.html"

    def get_form_kwargs(self):
        instance = Strategy.objects.get(pk=self.kwargs["pk"])
        return {**super().get_form_kwargs(), "instance": instance}

    def save(self, form):
        if form.cleaned_data["responsible_unit"] == "Nowhere":
            raise ValidationError(
                {"responsible_unit": ValidationError("No such unit.", code="no_such_unit")}
            )
        return priorities_services.strategy_update(
            strategy=form.instance, version=form.started_from, user=None
        )

    def get_success_message(self) -> str:
        return f"Unit of {self.object.title} saved."

    def get_success_url(self) -> str:
        return "/done/"


class OrganisationDeleteView(ServiceDeleteView):
    """Delete a partner, refusing one named "Keep" as a service would refuse it."""

    queryset = Organisation.objects.all()
    template_name = "unused.html"

    def delete_object(self, obj) -> None:
        if obj.name == "Keep":
            raise ValidationError("This partner has strategies.", code="has_strategies")
        obj.delete()

    def get_success_message(self) -> str:
        return f"Deleted {self.object.name}."

    def get_success_url(self) -> str:
        return "/partners/"


def _request(method: str, data=None):
    request = getattr(RequestFactory(), method)("/", data or {})
    request.user = UserFactory()
    request._messages = CookieStorage(request)
    return request


def _post(view, pk, data):
    request = _request("post", data)
    return view.as_view()(request, pk=pk), [str(m) for m in get_messages(request)]


# --- The service form view --------------------------------------------------------------------


def test_a_saved_form_redirects_with_one_success_message():
    strategy = StrategyFactory(responsible_unit="Geneva")
    response, sent = _post(
        UnitUpdateView,
        strategy.pk,
        {"responsible_unit": "Nairobi", "version": version_token(strategy)},
    )
    assert response.status_code == 302
    assert response.url == "/done/"
    assert sent == [f"Unit of {strategy.title} saved."]
    strategy.refresh_from_db()
    assert strategy.responsible_unit == "Nairobi"


def test_a_service_refusal_shows_on_the_form_with_the_input_kept():
    strategy = StrategyFactory(responsible_unit="Geneva")
    response, sent = _post(
        UnitUpdateView,
        strategy.pk,
        {"responsible_unit": "Nowhere", "version": version_token(strategy)},
    )
    assert response.status_code == 200
    form = response.context_data["form"]
    assert form.errors["responsible_unit"] == ["No such unit."]
    assert form["responsible_unit"].value() == "Nowhere"
    assert sent == []
    strategy.refresh_from_db()
    assert strategy.responsible_unit == "Geneva"


def test_a_stale_edit_keeps_the_input_and_takes_the_current_version():
    strategy = StrategyFactory(responsible_unit="Geneva")
    opened = version_token(strategy)
    meanwhile = Strategy.objects.get(pk=strategy.pk)
    priorities_services.strategy_update(
        strategy=meanwhile, version=opened, user=None, responsible_unit="Copenhagen"
    )
    current = version_token(Strategy.objects.get(pk=strategy.pk))
    assert current != opened

    response, sent = _post(
        UnitUpdateView, strategy.pk, {"responsible_unit": "Nairobi", "version": opened}
    )
    assert response.status_code == 200
    form = response.context_data["form"]
    assert STALE_CODE in {error.code for error in form.errors.as_data()["__all__"]}
    assert form["responsible_unit"].value() == "Nairobi"
    assert form["version"].value() == current
    assert sent == []
    strategy.refresh_from_db()
    assert strategy.responsible_unit == "Copenhagen"

    # Saving again, after reading what changed, is a deliberate choice and goes through.
    response, _ = _post(UnitUpdateView, strategy.pk, dict(form.data.items()))
    assert response.status_code == 302
    strategy.refresh_from_db()
    assert strategy.responsible_unit == "Nairobi"


# --- The service delete view ------------------------------------------------------------------


def test_the_delete_view_asks_for_confirmation_first():
    partner = OrganisationFactory()
    request = _request("get")
    response = OrganisationDeleteView.as_view()(request, pk=partner.pk)
    assert response.status_code == 200
    assert response.context_data["object"] == partner
    assert Organisation.objects.filter(pk=partner.pk).exists()


def test_a_confirmed_delete_redirects_with_one_success_message():
    partner = OrganisationFactory(name="Gone")
    response, sent = _post(OrganisationDeleteView, partner.pk, {})
    assert response.status_code == 302
    assert response.url == "/partners/"
    assert sent == ["Deleted Gone."]
    assert not Organisation.objects.filter(pk=partner.pk).exists()


def test_a_delete_refusal_stays_on_the_confirmation_page():
    partner = OrganisationFactory(name="Keep")
    response, sent = _post(OrganisationDeleteView, partner.pk, {})
    assert response.status_code == 200
    form = response.context_data["form"]
    assert form.non_field_errors() == ["This partner has strategies."]
    assert error_codes(form.errors.as_data()["__all__"][0]) == {"has_strategies"}
    assert sent == []
    assert Organisation.objects.filter(pk=partner.pk).exists()


# --- model_update -----------------------------------------------------------------------------


def test_model_update_sets_only_the_listed_fields_whose_value_changes():
    strategy = StrategyFactory.build(responsible_unit="Geneva", file_number="2022-1")
    instance, has_updated = model_update(
        instance=strategy,
        fields=("responsible_unit", "file_number", "finance_act_code"),
        data={"responsible_unit": "Nairobi", "file_number": "2022-1", "title": "Not listed"},
    )
    assert instance is strategy
    assert has_updated is True
    assert strategy.responsible_unit == "Nairobi"
    assert strategy.file_number == "2022-1"
    assert strategy.title != "Not listed"


def test_model_update_with_nothing_changed_returns_false():
    strategy = StrategyFactory.build(responsible_unit="Geneva")
    _, has_updated = model_update(
        instance=strategy, fields=("responsible_unit",), data={"responsible_unit": "Geneva"}
    )
    assert has_updated is False


def test_model_update_compares_a_relation_by_its_key_without_reading_it(
    django_assert_num_queries,
):
    strategy = StrategyFactory()
    same = Strategy.objects.get(pk=strategy.pk)
    other = OrganisationFactory()
    with django_assert_num_queries(0):
        _, unchanged = model_update(
            instance=same,
            fields=("organisation",),
            data={"organisation": Organisation(pk=strategy.organisation_id)},
        )
        _, changed = model_update(
            instance=same, fields=("organisation",), data={"organisation": other}
        )
    assert (unchanged, changed) == (False, True)
    assert same.organisation_id == other.pk


def test_model_update_leaves_a_many_to_many_field_to_the_service():
    with pytest.raises(ValueError):
        model_update(instance=Risk(), fields=("priority_areas",), data={"priority_areas": []})


def test_a_change_refused_by_validation_saves_nothing():
    strategy = StrategyFactory(responsible_unit="Geneva", title="Before")
    with pytest.raises(ValidationError) as refused:
        priorities_services.strategy_update(
            strategy=Strategy.objects.get(pk=strategy.pk),
            version=version_token(strategy),
            user=UserFactory(),
            responsible_unit="Nairobi",
            title="x" * 1000,
        )
    assert "title" in refused.value.error_dict
    strategy.refresh_from_db()
    assert (strategy.responsible_unit, strategy.title) == ("Geneva", "Before")
