"""The change log: the models the apps register feed it, and its query binds every value."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funding.models import Commitment
from priorities.models import IndicatorProgress
from risks.models import Risk
from strategy_monitor.changelog import (
    changes_query,
    kind_choices,
    strategy_history,
    tracked,
    tracked_models,
)
from strategy_monitor.changes import EMPTY, person_text, value_text
from tests.priorities.factories import UserFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

# Quotes, percent signs and a placeholder: text that breaks SQL built by formatting values in.
AWKWARD_TITLE = "O'Brien's \"100%\" plan; %s %(x)s -- "


def test_each_app_registers_its_monitored_models_from_its_own_config():
    labels = {entry.label for entry in tracked_models}
    assert {"priorities.Strategy", "funding.Commitment", "risks.Risk", "engagement.Meeting"} <= (
        labels
    )
    assert ("risks.risk", "Risk") in kind_choices()


def test_a_registered_model_appears_in_the_log(strategy, desk):
    RiskFactory(strategy=strategy, title="Weak core structure")
    page = strategy_history(strategy=strategy, kinds=["risks.risk"])
    assert [(entry.kind, entry.record) for entry in page.entries] == [
        ("Risk", "Weak core structure")
    ]


def test_an_unregistered_model_is_left_out_of_the_log_and_its_filter(
    monkeypatch, client_manager, strategy
):
    RiskFactory(strategy=strategy, title="Weak core structure")
    # For this test only: the hook as it would be had risks not registered its model.
    unregistered = [item for item in tracked_models._entries if item[2].key != "risks.risk"]
    monkeypatch.setattr(tracked_models, "_entries", unregistered)
    assert "Weak core structure" not in [
        entry.record for entry in strategy_history(strategy=strategy).entries
    ]
    # Asking for a kind no app registered shows every registered kind instead.
    unknown = strategy_history(strategy=strategy, kinds=["risks.risk"])
    assert all(entry.kind != "Risk" for entry in unknown.entries)
    response = client_manager.get(
        reverse("reports:strategy_history", kwargs={"slug": strategy.slug})
    )
    assert "risks.risk" not in dict(response.context["filter_form"].fields["kind"].choices)


def test_the_query_carries_every_value_as_a_parameter():
    since = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    query = changes_query(
        strategy_id=987654, keys=tuple(tracked()), user_id=876543, since=since, until=since
    )
    sql, params = query.query.sql_with_params()
    assert "987654" not in sql and "876543" not in sql and "2024" not in sql
    assert 987654 in params and 876543 in params


def test_a_title_with_quotes_and_percent_signs_is_listed_and_counted(strategy, other_strategy):
    RiskFactory(strategy=strategy, title=AWKWARD_TITLE)
    RiskFactory(strategy=other_strategy, title=AWKWARD_TITLE + "elsewhere")
    today = timezone.localdate()
    page = strategy_history(strategy=strategy, kinds=["risks.risk"], date_from=today, date_to=today)
    assert page.page.paginator.count == 1
    assert [entry.record for entry in page.entries] == [AWKWARD_TITLE.strip()]


def test_a_changed_title_with_quotes_and_percent_signs_shows_old_and_new(strategy, desk):
    risk = RiskFactory(strategy=strategy, title="Plain title")
    risk.title = AWKWARD_TITLE
    risk.save()
    (changed, _created) = strategy_history(strategy=strategy, kinds=["risks.risk"]).entries
    title = next(change for change in changed.changes if change.label == "Title")
    assert (title.old, title.new) == ("Plain title", AWKWARD_TITLE)


# --- Values as every change shows them ----------------------------------------------------------


def field(model, name):
    return model._meta.get_field(name)


def test_an_empty_value_reads_empty():
    assert value_text(field(Risk, "description"), "", {}) == EMPTY
    assert value_text(field(IndicatorProgress, "actual"), None, {}) == EMPTY


def test_money_is_shown_to_the_cent_and_figures_as_people_write_them():
    assert value_text(field(Commitment, "amount"), Decimal("1500.5"), {}) == "1,500.50"
    assert value_text(field(IndicatorProgress, "actual"), Decimal("18.2500"), {}) == "18.25"


def test_dates_choices_booleans_and_relations_read_as_words():
    assert value_text(field(Commitment, "committed_on"), datetime.date(2025, 1, 2), {}) == (
        "2 Jan 2025"
    )
    assert value_text(field(Risk, "status"), "closed", {}) == "Closed"
    assert value_text(field(Risk, "rating_is_illustrative"), True, {}) == "Yes"
    line = field(Commitment, "line")
    assert value_text(line, 7, {(line.related_model, 7): "a. Core funding"}) == "a. Core funding"
    assert value_text(line, 8, {}) == "#8 (removed)"


def test_a_person_is_named_by_full_name_or_username():
    assert person_text(UserFactory(username="lea", first_name="Lea", last_name="R")) == "Lea R"
    assert person_text(UserFactory(username="bo", first_name="", last_name="")) == "bo"
    assert person_text(None) == "System"
