"""Progress, ratings and the yearly workflow: the rules with their refused inputs."""

from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from priorities import services
from priorities.choices import Rating, YearState
from priorities.models import Assessment, IndicatorProgress, StrategyYear
from strategy_monitor.concurrency import STALE_CODE, version_token
from strategy_monitor.forms import error_codes
from tests.priorities.builders import (
    approve,
    area_with_nodes,
    indicator_in,
    media_root,  # noqa: F401
    year_of,
    year_set_state,
)
from tests.priorities.factories import (
    AssessmentFactory,
    IndicatorProgressFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(strategy):
    return area_with_nodes(strategy)[0]


@pytest.fixture
def indicator(area):
    return indicator_in(area, area.nodes.first())


def codes(excinfo) -> set[str]:
    return error_codes(excinfo.value)


def save(indicator, user, year=2024, **values):
    values.setdefault("target", Decimal("20"))
    values.setdefault("actual", Decimal("18"))
    return services.progress_save(indicator=indicator, year=year, user=user, **values)


# Figures


def test_progress_save_records_figures_with_history(indicator, desk):
    progress = save(indicator, desk, comment="On track", source="Annual report 2024")
    assert (progress.target, progress.actual) == (Decimal("20"), Decimal("18"))
    latest = progress.history.first()
    assert latest.history_user == desk
    assert latest.history_change_reason == f"Recorded {indicator.key} 2024"


def test_entered_figures_lose_the_illustrative_flag(indicator, desk):
    IndicatorProgressFactory(
        indicator=indicator,
        strategy_year=year_of(indicator.priority_area.strategy),
        is_illustrative=True,
    )
    progress = save(indicator, desk)
    assert progress.is_illustrative is False


@pytest.mark.parametrize("field", ["target", "actual"])
def test_negative_figure_is_refused_for_a_count(indicator, desk, field):
    with pytest.raises(ValidationError) as refused:
        save(indicator, desk, **{field: Decimal("-1")})
    assert refused.value.error_dict[field][0].code == "negative"
    assert not IndicatorProgress.objects.exists()


def test_negative_figure_is_accepted_when_the_indicator_allows_it(area, desk):
    indicator = indicator_in(
        area, area.nodes.first(), unit="change in number", allows_negative=True
    )
    progress = save(indicator, desk, actual=Decimal("-4"))
    assert progress.actual == Decimal("-4")


def test_percentage_above_100_is_refused(area, desk):
    indicator = indicator_in(area, area.nodes.first(), unit="% of country offices", baseline=50)
    with pytest.raises(ValidationError) as refused:
        save(indicator, desk, actual=Decimal("100.5"))
    assert refused.value.error_dict["actual"][0].code == "over_100"
    assert save(indicator, desk, actual=Decimal("100")).actual == Decimal("100")


def test_negative_percentage_is_refused(area, desk):
    indicator = indicator_in(area, area.nodes.first(), unit="%", baseline=5)
    with pytest.raises(ValidationError) as refused:
        save(indicator, desk, target=Decimal("-0.5"))
    assert refused.value.error_dict["target"][0].code == "negative"


def test_negative_baseline_is_refused_by_the_model(indicator):
    indicator.baseline = Decimal("-3")
    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()
    assert refused.value.error_dict["baseline"][0].code == "negative"


def test_year_outside_the_strategy_is_refused(indicator, desk):
    with pytest.raises(ValidationError) as refused:
        save(indicator, desk, year=2027)
    assert "outside the strategy period 2023-2026" in refused.value.messages[0]
    assert not IndicatorProgress.objects.exists()


def test_changing_the_unit_is_refused_when_recorded_figures_no_longer_fit(indicator, desk):
    save(indicator, desk, actual=Decimal("180"), target=Decimal("200"))
    with pytest.raises(ValidationError) as refused:
        services.indicator_update(
            indicator=indicator, version=version_token(indicator), user=desk, unit="%"
        )
    assert refused.value.error_dict["unit"][0].code == "recorded_figures_do_not_fit"


# Locked and submitted years


def test_edit_of_an_approved_year_is_refused(indicator, desk):
    save(indicator, desk)
    approve(indicator.priority_area.strategy)
    with pytest.raises(ValidationError) as refused:
        save(indicator, desk, actual=Decimal("19"), version=None)
    assert codes(refused) == {"year_locked"}
    message = refused.value.messages[0]
    assert "2024 is approved and locked" in message
    assert "A manager can reopen the year" in message
    assert IndicatorProgress.objects.get().actual == Decimal("18")


def test_edit_of_a_submitted_year_is_refused_until_it_is_returned(indicator, desk, manager):
    strategy = indicator.priority_area.strategy
    services.year_submit(strategy_year=year_of(strategy), gaps_reason="Rated later", user=desk)
    with pytest.raises(ValidationError) as refused:
        save(indicator, desk)
    assert codes(refused) == {"year_submitted"}
    services.year_return(strategy_year=year_of(strategy), comment="Add the source", user=manager)
    assert save(indicator, desk).actual == Decimal("18")


def test_model_clean_refuses_a_change_to_a_locked_year(indicator, desk):
    progress = save(indicator, desk)
    approve(indicator.priority_area.strategy)
    progress.actual = Decimal("1")
    with pytest.raises(ValidationError) as refused:
        progress.full_clean()
    assert refused.value.error_dict[NON_FIELD_ERRORS][0].code == "year_locked"


def test_model_clean_lets_an_unchanged_record_of_a_locked_year_pass(indicator, desk):
    progress = save(indicator, desk)
    approve(indicator.priority_area.strategy)
    progress.refresh_from_db()
    progress.full_clean()


def test_model_clean_refuses_a_new_record_in_a_locked_year(indicator):
    strategy_year = approve(indicator.priority_area.strategy)
    progress = IndicatorProgress(indicator=indicator, strategy_year=strategy_year, actual=1)
    with pytest.raises(ValidationError) as refused:
        progress.full_clean()
    assert refused.value.error_dict[NON_FIELD_ERRORS][0].code == "year_locked"


def test_model_clean_refuses_moving_a_record_out_of_a_locked_year(indicator, desk):
    progress = save(indicator, desk)
    strategy = indicator.priority_area.strategy
    approve(strategy)
    progress.strategy_year = year_of(strategy, 2025)
    with pytest.raises(ValidationError) as refused:
        progress.full_clean()
    assert refused.value.error_dict[NON_FIELD_ERRORS][0].code == "year_locked"


def test_rating_of_a_locked_year_is_refused(area, desk):
    approve(area.strategy)
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(
            priority_area=area, year=2024, rating=Rating.ON_TRACK, narrative="Fine", user=desk
        )
    assert codes(refused) == {"year_locked"}
    assessment = AssessmentFactory.build(priority_area=area, strategy_year=year_of(area.strategy))
    with pytest.raises(ValidationError) as refused:
        assessment.full_clean()
    assert refused.value.error_dict[NON_FIELD_ERRORS][0].code == "year_locked"


# Ratings


def test_rating_is_saved_with_its_narrative(area, desk):
    assessment = services.assessment_save(
        priority_area=area,
        year=2024,
        rating=Rating.SOME_DELAYS,
        narrative="Procurement delays.",
        user=desk,
    )
    assert assessment.get_rating_display() == "Some delays"
    assert assessment.history.first().history_user == desk


def test_rating_without_a_narrative_is_refused(area, desk):
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(
            priority_area=area, year=2024, rating=Rating.OFF_TRACK, narrative=" ", user=desk
        )
    assert refused.value.error_dict["narrative"][0].code == "narrative_required"


def test_not_assessed_needs_no_narrative(area, desk):
    assessment = services.assessment_save(
        priority_area=area, year=2024, rating=Rating.NOT_ASSESSED, narrative="", user=desk
    )
    assert assessment.pk


# Stale copies


def test_stale_edit_of_figures_is_refused_with_what_changed(indicator, desk):
    progress = save(indicator, desk)
    started = version_token(progress)
    colleague = UserFactory(username="colleague", first_name="Lea", last_name="Rasmussen")
    save(indicator, colleague, actual=Decimal("25"), version=started)
    with pytest.raises(ValidationError) as refused:
        save(indicator, desk, actual=Decimal("30"), version=started)
    assert codes(refused) == {STALE_CODE}
    message = refused.value.messages[0]
    assert "Actual: 18.0000 → 25.0000" in message or "Actual: 18 → 25" in message
    assert "Lea Rasmussen" in message
    assert IndicatorProgress.objects.get().actual == Decimal("25")


def test_figures_created_meanwhile_are_not_overwritten(indicator, desk):
    colleague = UserFactory(username="colleague", first_name="Lea", last_name="Rasmussen")
    save(indicator, colleague, actual=Decimal("25"), version="")
    with pytest.raises(ValidationError) as refused:
        save(indicator, desk, actual=Decimal("30"), version="")
    assert codes(refused) == {STALE_CODE}
    assert "Actual: 25" in refused.value.messages[0]
    assert "Lea Rasmussen" in refused.value.messages[0]
    assert IndicatorProgress.objects.get().actual == Decimal("25")


def test_stale_rating_is_refused(area, desk):
    first = services.assessment_save(
        priority_area=area, year=2024, rating=Rating.ON_TRACK, narrative="Fine", user=desk
    )
    started = version_token(first)
    services.assessment_save(
        priority_area=area,
        year=2024,
        rating=Rating.OFF_TRACK,
        narrative="Worse",
        version=started,
        user=desk,
    )
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(
            priority_area=area,
            year=2024,
            rating=Rating.SOME_DELAYS,
            narrative="Mixed",
            version=started,
            user=desk,
        )
    assert codes(refused) == {STALE_CODE}
    assert "Rating: On track → Off track" in refused.value.messages[0]
    assert Assessment.objects.get().rating == Rating.OFF_TRACK


def test_stale_indicator_definition_is_refused(indicator, desk):
    started = version_token(indicator)
    services.indicator_update(indicator=indicator, version=started, user=desk, title="New title")
    with pytest.raises(ValidationError) as refused:
        services.indicator_update(indicator=indicator, version=started, user=desk, unit="people")
    assert codes(refused) == {STALE_CODE}


# The yearly workflow


def test_year_moves_draft_submitted_approved_and_records_each_step(strategy, desk, manager):
    year = services.year_submit(strategy_year=year_of(strategy), comment="Ready", user=desk)
    assert (year.state, year.state_changed_by, year.state_comment) == (
        YearState.SUBMITTED,
        desk,
        "Ready",
    )
    year = services.year_approve(strategy_year=year, user=manager)
    assert year.state == YearState.APPROVED and year.is_locked
    assert year.state_changed_by == manager
    reasons = list(year.history.values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["Approved 2024", "Submitted 2024 for approval: Ready"]


def test_return_needs_a_comment_and_reopens_the_year(strategy, desk, manager):
    year = services.year_submit(strategy_year=year_of(strategy), user=desk)
    with pytest.raises(ValidationError) as refused:
        services.year_return(strategy_year=year, comment="  ", user=manager)
    assert refused.value.error_dict["comment"][0].code == "comment_required"
    year = services.year_return(strategy_year=year, comment="Add sources", user=manager)
    assert year.state == YearState.DRAFT
    assert year.state_comment == "Add sources"


def test_reopen_needs_a_reason_and_is_recorded(strategy, manager):
    year = approve(strategy)
    with pytest.raises(ValidationError) as refused:
        services.year_reopen(strategy_year=year, reason="", user=manager)
    assert refused.value.error_dict["comment"][0].code == "comment_required"
    year = services.year_reopen(strategy_year=year, reason="Partner corrected 2024", user=manager)
    assert year.state == YearState.DRAFT
    latest = year.history.first()
    assert latest.history_change_reason == "Reopened 2024: Partner corrected 2024"
    assert latest.history_user == manager


@pytest.mark.parametrize(
    ("state", "step"),
    [
        (YearState.DRAFT, "year_approve"),
        (YearState.DRAFT, "year_reopen"),
        (YearState.SUBMITTED, "year_submit"),
        (YearState.SUBMITTED, "year_reopen"),
        (YearState.APPROVED, "year_submit"),
        (YearState.APPROVED, "year_approve"),
        (YearState.APPROVED, "year_return"),
    ],
)
def test_only_allowed_transitions_are_made(strategy, manager, state, step):
    year = year_set_state(strategy, 2024, state)
    extra = {"reason": "x"} if step == "year_reopen" else {"comment": "x"}
    with pytest.raises(ValidationError) as refused:
        getattr(services, step)(strategy_year=year, user=manager, **extra)
    assert codes(refused) == {"invalid_transition"}
    assert StrategyYear.objects.get(pk=year.pk).state == state


def test_transition_from_a_stale_page_is_refused(strategy, desk, manager):
    year = year_of(strategy)
    started = version_token(year)
    services.year_submit(strategy_year=year, user=desk)
    services.year_return(strategy_year=year_of(strategy), comment="No", user=manager)
    with pytest.raises(ValidationError) as refused:
        services.year_submit(strategy_year=year_of(strategy), version=started, user=desk)
    assert codes(refused) == {STALE_CODE}
