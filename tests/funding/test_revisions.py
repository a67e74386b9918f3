"""Revisions of the plan: 75 for 2023 recorded as a revision of 100, both shown, 75 used."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from funding.models import PlannedAmount, PlannedAmountRevision
from funding.selectors import budget_overview, budget_plan
from funding.services import planned_amount_revise
from strategy_monitor.concurrency import version_token
from tests.funding.factories import (
    BudgetLineFactory,
    CommitmentFactory,
    DisbursementFactory,
    ParliamentaryApprovalFactory,
    PlannedAmountFactory,
)

pytestmark = pytest.mark.django_db

M = Decimal(1_000_000)


@pytest.fixture
def planned(strategy):
    line = BudgetLineFactory(strategy=strategy, code="a", name="Core funding", order=1)
    return PlannedAmountFactory(
        line=line, year=2023, amount=100 * M, source="draft strategy, section 5"
    )


def revise(planned, user, amount=75 * M, **values):
    return planned_amount_revise(
        planned=planned,
        amount=amount,
        revised_on=values.pop("revised_on", datetime.date(2023, 3, 1)),
        source=values.pop("source", "final one-pager"),
        reason=values.pop("reason", "Core funding reduced in the final version"),
        user=user,
        **values,
    )


def test_revision_keeps_the_original_and_makes_the_new_figure_current(planned, admin_user):
    revision = revise(planned, admin_user)
    planned.refresh_from_db()
    assert planned.amount == 75 * M
    assert (revision.previous_amount, revision.amount) == (100 * M, 75 * M)
    assert planned.history.first().history_user == admin_user
    assert revision.history.first().history_change_reason == "Revised the plan of a 2023"


def test_revision_to_the_same_figure_is_refused(planned, admin_user):
    with pytest.raises(ValidationError) as refused:
        revise(planned, admin_user, amount=100 * M)
    assert refused.value.error_dict["amount"][0].code == "unchanged"
    assert not PlannedAmountRevision.objects.exists()


def test_revisions_follow_their_dates(planned, admin_user):
    revise(planned, admin_user)
    with pytest.raises(ValidationError) as refused:
        revise(planned, admin_user, amount=80 * M, revised_on=datetime.date(2023, 1, 1))
    assert refused.value.error_dict["revised_on"][0].code == "before_last_revision"


def test_execution_is_measured_against_the_revised_figure(planned, admin_user):
    revise(planned, admin_user)
    line = planned.line
    ParliamentaryApprovalFactory(line=line, year=2023, amount=75 * M)
    CommitmentFactory(line=line, year=2023, amount=75 * M)
    DisbursementFactory(line=line, year=2023, amount=Decimal("37500000"))
    overview = budget_overview(strategy=line.strategy)
    cell = overview.rows[0].cells[0]
    assert cell.planned == 75 * M
    assert cell.approved == cell.planned
    assert cell.execution_rate == Decimal(50)
    assert cell.revision.original == 100 * M
    assert cell.revision.text == (
        "Originally 100 (draft strategy, section 5); revised to 75 from 1 March 2023 "
        "(final one-pager: Core funding reduced in the final version)"
    )


def test_overview_panel_shows_both_figures(client_desk, planned, admin_user):
    revise(planned, admin_user)
    plan = budget_plan(strategy=planned.line.strategy)
    assert plan.rows[0].amounts == (75 * M,)
    assert plan.revisions[0].original == 100 * M
    url = reverse("priorities:strategy_detail", kwargs={"slug": planned.line.strategy.slug})
    html = client_desk.get(url).content.decode()
    assert "revised, was 100" in html
    assert "Originally 100 (draft strategy, section 5); revised to 75 from 1 March 2023" in html


def revise_url(planned) -> str:
    return reverse(
        "funding:plannedamount_revise",
        kwargs={"slug": planned.line.strategy.slug, "pk": planned.pk},
    )


def test_financial_officer_records_a_revision_on_its_page(client_finance, planned):
    budget = reverse("funding:budget", kwargs={"slug": planned.line.strategy.slug})
    assert revise_url(planned) in client_finance.get(budget).content.decode()
    response = client_finance.post(
        revise_url(planned),
        {
            "amount": "75",
            "revised_on": "2023-03-01",
            "source": "final one-pager",
            "reason": "",
            "original_source": "draft strategy, section 5",
            "version": version_token(planned),
        },
        follow=True,
    )
    assert "revised to 75 million (DKK 75,000,000)." in response.content.decode()
    planned.refresh_from_db()
    assert planned.amount == 75 * M
    html = client_finance.get(budget).content.decode()
    assert "revised, was 100" in html
    assert "Originally 100 (draft strategy, section 5); revised to 75" in html


def test_revision_page_is_for_financial_officers_and_administrators(
    client_desk, client_admin, planned
):
    assert client_desk.get(revise_url(planned)).status_code == 403
    assert client_admin.get(revise_url(planned)).status_code == 200


def test_revision_of_another_strategys_amount_is_not_found(client_finance, other_strategy):
    line = BudgetLineFactory(strategy=other_strategy, code="a")
    other = PlannedAmount.objects.create(line=line, year=2024, amount=M)
    url = reverse(
        "funding:plannedamount_revise",
        kwargs={"slug": "wrong-" + other_strategy.slug, "pk": other.pk},
    )
    assert client_finance.get(url).status_code == 404


def test_budget_page_warns_of_printed_totals_that_differ(client_desk, strategy):
    from tests.funding.factories import BudgetTotalAmountFactory, BudgetTotalFactory, budget_create

    lines = budget_create(strategy)
    total = BudgetTotalFactory(strategy=strategy, label="Total")
    total.lines.set(lines.values())
    BudgetTotalAmountFactory(total=total, year=2024, amount=100 * M)
    BudgetTotalAmountFactory(total=total, year=2025, amount=98 * M)
    strategy.stated_commitment_total = Decimal(2055) * M
    strategy.save()
    strategy.strategy_years.update(planned_commitment=Decimal(510) * M)
    html = client_desk.get(reverse("funding:budget", kwargs={"slug": strategy.slug})).text
    assert "Total, 2025: printed total 98 differs from the sum of its lines, 100." in html
    assert "Total, 2024" not in html
    assert "Commitment: printed total 2,055 differs from the sum of the years, 2,040." in html


def test_set_up_does_not_overwrite_a_revised_figure(planned, admin_user):
    from funding.services import budgetline_save

    revise(planned, admin_user)
    with pytest.raises(ValidationError) as refused:
        budgetline_save(
            strategy=planned.line.strategy,
            line=planned.line,
            amounts={2023: 90 * M},
            user=admin_user,
        )
    assert refused.value.error_dict["amount_2023"][0].code == "revised"
    # Leaving the figure as it is saves the rest.
    budgetline_save(
        strategy=planned.line.strategy,
        line=planned.line,
        amounts={2023: 75 * M},
        user=admin_user,
        name="Core contribution",
    )
    planned.refresh_from_db()
    assert planned.amount == 75 * M
