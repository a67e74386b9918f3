"""Stale edits are refused with what changed; nothing is overwritten silently."""

import pytest
from django import forms

from priorities.models import Strategy
from priorities.services import strategy_update
from strategy_monitor.concurrency import (
    STALE_CODE,
    VersionedFormMixin,
    version_token,
)
from strategy_monitor.forms import error_codes
from tests.priorities.factories import StrategyFactory, UserFactory

pytestmark = pytest.mark.django_db


class StrategyEditForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["responsible_unit", "desk_officer"]


def test_second_save_from_a_stale_copy_is_refused_with_the_changes():
    strategy = StrategyFactory(responsible_unit="Geneva", desk_officer="Lea Rasmussen")
    alice_copy = Strategy.objects.get(pk=strategy.pk)
    bob_copy = Strategy.objects.get(pk=strategy.pk)
    alice_form = StrategyEditForm(instance=alice_copy)
    bob_form = StrategyEditForm(instance=bob_copy)
    alice_version = alice_form.initial["version"]
    bob_version = bob_form.initial["version"]

    alice = StrategyEditForm(
        {
            "responsible_unit": "Copenhagen",
            "desk_officer": "Lea Rasmussen",
            "version": alice_version,
        },
        instance=alice_copy,
    )
    assert alice.is_valid()
    alice_user = UserFactory(username="alice", first_name="Alice")
    strategy_update(strategy=alice.instance, version=alice.started_from, user=alice_user)

    bob = StrategyEditForm(
        {"responsible_unit": "Geneva", "desk_officer": "Someone Else", "version": bob_version},
        instance=bob_copy,
    )
    assert bob.is_valid()
    with pytest.raises(Exception) as refused:
        strategy_update(strategy=bob.instance, version=bob.started_from, user=UserFactory())
    assert STALE_CODE in error_codes(refused.value)
    message = " ".join(refused.value.messages)
    assert "Responsible unit: Geneva → Copenhagen" in message
    assert "Alice" in message
    strategy.refresh_from_db()
    assert strategy.responsible_unit == "Copenhagen"
    assert strategy.desk_officer == "Lea Rasmussen"


def test_save_from_the_current_copy_goes_through():
    strategy = StrategyFactory(responsible_unit="Geneva")
    form = StrategyEditForm(
        {"responsible_unit": "Nairobi", "desk_officer": "", "version": version_token(strategy)},
        instance=strategy,
    )
    assert form.is_valid()
    strategy_update(strategy=form.instance, version=form.started_from, user=UserFactory())
    strategy.refresh_from_db()
    assert strategy.responsible_unit == "Nairobi"


def test_new_records_need_no_version():
    form = StrategyEditForm({"responsible_unit": "x", "desk_officer": ""})
    assert form.is_valid()
    assert form.started_from is None
