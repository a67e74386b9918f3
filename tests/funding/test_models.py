"""The rules the funding models keep: in clean() for forms, and in the database as well."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from funding.choices import BudgetLineKind, Decision, FundingKind
from funding.models import (
    Allocation,
    BudgetLine,
    BudgetTotal,
    BudgetTotalAmount,
    Commitment,
    DonorTable,
    EarmarkedDonor,
    FinanceActCode,
    FundingRow,
    PlannedAmount,
    StatedTotal,
    UnearmarkedContribution,
    UnearmarkedDonor,
)
from priorities.choices import OfficeKind
from priorities.models import Office
from strategy_monitor.models import NaturalKeyModel
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    BudgetLineFactory,
    BudgetTotalAmountFactory,
    BudgetTotalFactory,
    CommitmentFactory,
    DisbursementFactory,
    DonorTableFactory,
    EarmarkedDonorFactory,
    FinanceActCodeFactory,
    FundingRowFactory,
    ParliamentaryApprovalFactory,
    PlannedAmountFactory,
    StatedTotalFactory,
    UnearmarkedContributionFactory,
    UnearmarkedDonorFactory,
)
from tests.priorities.factories import OrganisationFactory
from tests.validation import clean_errors, constraint_codes, constraint_messages

pytestmark = pytest.mark.django_db

NEGATIVE = "The amount cannot be negative."
YEAR_RANGE = "Enter a year between 1945 and 2100."

# The rows recorded per budget line and year inside the strategy period.
LINE_YEAR_FACTORIES = [ParliamentaryApprovalFactory, CommitmentFactory, DisbursementFactory]
LINE_YEAR_IDS = ["approval", "commitment", "disbursement"]


OUTSIDE_PERIOD = "2027 is outside the strategy period 2023-2026."


def country_office(organisation) -> Office:
    return Office.objects.create(
        organisation=organisation, key="mali", kind=OfficeKind.COUNTRY, name="Mali"
    )


# Budget lines and planned amounts.


def test_budget_line_code_is_unique_per_strategy():
    line = BudgetLineFactory(code="a")
    duplicate = BudgetLineFactory.build(strategy=line.strategy, code="a")
    assert constraint_messages(duplicate) == [
        "The strategy already has a budget line with that code."
    ]
    assert constraint_codes(duplicate) == ["duplicate_code"]
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLineFactory(strategy=line.strategy, code="a")
    BudgetLineFactory(code="a")


def test_planned_amount_refuses_negative_amount():
    planned = PlannedAmountFactory.build(line=BudgetLineFactory(), amount=Decimal("-1"))
    assert constraint_messages(planned) == [NEGATIVE]
    assert constraint_codes(planned) == ["negative"]
    with pytest.raises(IntegrityError), transaction.atomic():
        planned.save()


def test_planned_amount_accepts_zero():
    planned = PlannedAmountFactory.build(line=BudgetLineFactory(), amount=Decimal("0"))
    planned.full_clean()


def test_planned_amount_is_one_per_line_and_year():
    planned = PlannedAmountFactory(year=2024)
    duplicate = PlannedAmount(line=planned.line, year=2024, amount=Decimal("1"))
    assert constraint_messages(duplicate) == [
        "This line already has a planned amount for that year."
    ]
    assert constraint_codes(duplicate) == ["duplicate_year"]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    PlannedAmountFactory(line=planned.line, year=2025)


def test_planned_amount_refuses_year_out_of_range_in_the_database():
    planned = PlannedAmountFactory.build(line=BudgetLineFactory(), year=1900)
    assert clean_errors(planned)["year"][0].code == "outside_period"
    with pytest.raises(IntegrityError), transaction.atomic():
        planned.save()


def test_planned_amount_refuses_year_outside_strategy_period():
    planned = PlannedAmountFactory.build(line=BudgetLineFactory(), year=2027)
    errors = clean_errors(planned)
    assert errors["year"][0].code == "outside_period"
    assert errors["year"][0].messages == [OUTSIDE_PERIOD]


def test_budget_total_amount_refuses_negative_amount_and_year_out_of_range():
    total = BudgetTotalFactory()
    for fields, message, code in [
        ({"amount": Decimal("-1")}, NEGATIVE, "negative"),
        ({"year": 1900}, YEAR_RANGE, "outside_years"),
    ]:
        row = BudgetTotalAmountFactory.build(total=total, **fields)
        assert constraint_messages(row) == [message]
        assert constraint_codes(row) == [code]
        with pytest.raises(IntegrityError), transaction.atomic():
            row.save()


def test_budget_total_amount_is_one_per_total_and_year():
    amount = BudgetTotalAmountFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetTotalAmountFactory(total=amount.total, year=amount.year)


def test_budget_total_covers_the_lines_it_is_given():
    line_a, line_b = BudgetLineFactory(), BudgetLineFactory()
    total = BudgetTotalFactory(strategy=line_a.strategy, lines=[line_a, line_b])
    assert set(total.lines.all()) == {line_a, line_b}


# Approvals, commitments and disbursements.


@pytest.mark.parametrize("factory", LINE_YEAR_FACTORIES, ids=LINE_YEAR_IDS)
def test_line_year_row_refuses_year_outside_strategy_period(factory):
    row = factory.build(line=BudgetLineFactory(), year=2027)
    errors = clean_errors(row)
    assert errors["year"][0].code == "outside_period"
    assert errors["year"][0].messages == [OUTSIDE_PERIOD]


@pytest.mark.parametrize("factory", LINE_YEAR_FACTORIES, ids=LINE_YEAR_IDS)
def test_line_year_row_accepts_every_year_of_the_period(factory):
    line = BudgetLineFactory()
    for year in line.strategy.years:
        factory.build(line=line, year=year).full_clean()


@pytest.mark.parametrize("factory", LINE_YEAR_FACTORIES, ids=LINE_YEAR_IDS)
def test_line_year_row_refuses_year_out_of_range_in_the_database(factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(year=1900)


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1")], ids=["zero", "negative"])
@pytest.mark.parametrize("factory", LINE_YEAR_FACTORIES, ids=LINE_YEAR_IDS)
def test_line_year_row_refuses_amount_that_is_not_positive(factory, amount):
    row = factory.build(line=BudgetLineFactory(), amount=amount)
    assert clean_errors(row)["amount"][0].code == "not_positive"
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_parliamentary_approval_is_one_per_line_and_year():
    approval = ParliamentaryApprovalFactory()
    duplicate = ParliamentaryApprovalFactory.build(line=approval.line, year=approval.year)
    assert constraint_messages(duplicate) == ["This line is already approved for that year."]
    assert constraint_codes(duplicate) == ["already_approved"]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.parametrize(
    ("approved_on", "accepted"),
    [
        (datetime.date(2023, 12, 31), False),
        (datetime.date(2024, 1, 1), True),
        (datetime.date(2024, 12, 15), True),
        (datetime.date(2025, 12, 31), True),
        (datetime.date(2026, 1, 1), False),
    ],
)
def test_parliamentary_approval_is_dated_from_the_year_before_to_the_end_of_its_year(
    approved_on, accepted
):
    approval = ParliamentaryApprovalFactory.build(
        line=BudgetLineFactory(), year=2025, approved_on=approved_on
    )
    if accepted:
        approval.full_clean()
    else:
        assert clean_errors(approval)["approved_on"][0].code == "approval_date_outside_year"


@pytest.mark.parametrize(
    ("factory", "field"),
    [(CommitmentFactory, "committed_on"), (DisbursementFactory, "paid_on")],
    ids=["commitment", "disbursement"],
)
@pytest.mark.parametrize("day", [datetime.date(2022, 12, 31), datetime.date(2027, 1, 1)])
def test_commitment_and_disbursement_refuse_date_outside_strategy_period(factory, field, day):
    row = factory.build(line=BudgetLineFactory(), year=2024, **{field: day})
    errors = clean_errors(row)
    assert errors[field][0].code == "outside_period"
    assert errors[field][0].messages == [
        "Enter a date inside the strategy period, 1 January 2023 to 31 December 2026."
    ]


def test_line_may_have_several_commitments_in_a_year():
    commitment = CommitmentFactory()
    CommitmentFactory(line=commitment.line, year=commitment.year)
    assert Commitment.objects.filter(line=commitment.line, year=commitment.year).count() == 2


# Allocation rounds and allocations.


def test_allocation_round_refuses_year_outside_strategy_period():
    row = AllocationRoundFactory.build(
        line=BudgetLineFactory(kind=BudgetLineKind.SOFT_EARMARKED), year=2027
    )
    errors = clean_errors(row)
    assert errors["year"][0].code == "outside_period"
    assert errors["year"][0].messages == [OUTSIDE_PERIOD]


def test_allocation_round_refuses_line_that_is_not_softly_earmarked():
    row = AllocationRoundFactory.build(line=BudgetLineFactory(kind=BudgetLineKind.CORE))
    errors = clean_errors(row)
    assert errors["line"][0].code == "not_soft_earmarked"
    assert errors["line"][0].messages == ["Allocation rounds are for softly earmarked lines."]


def test_allocation_round_refuses_dialogue_outside_strategy_period():
    row = AllocationRoundFactory.build(
        line=BudgetLineFactory(kind=BudgetLineKind.SOFT_EARMARKED),
        dialogue_on=datetime.date(2027, 3, 1),
    )
    assert clean_errors(row)["dialogue_on"][0].code == "outside_period"


def test_allocation_round_refuses_a_third_half():
    row = AllocationRoundFactory.build(
        line=BudgetLineFactory(kind=BudgetLineKind.SOFT_EARMARKED), half=3
    )
    assert clean_errors(row)["half"][0].code == "invalid_choice"
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_allocation_round_refuses_year_out_of_range_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AllocationRoundFactory(year=1900)


def test_allocation_round_is_one_per_line_and_half_year():
    first = AllocationRoundFactory()
    duplicate = AllocationRoundFactory.build(line=first.line, year=first.year, half=first.half)
    assert constraint_messages(duplicate) == ["There is already a round for that half-year."]
    assert constraint_codes(duplicate) == ["duplicate_round"]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    AllocationRoundFactory(line=first.line, year=first.year, half=2).full_clean()


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5")], ids=["zero", "negative"])
def test_allocation_refuses_amount_that_is_not_positive(amount):
    allocation = AllocationFactory.build(round=AllocationRoundFactory(), amount=amount)
    assert clean_errors(allocation)["amount"][0].code == "not_positive"
    with pytest.raises(IntegrityError), transaction.atomic():
        allocation.save()


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_allocation_rejection_needs_a_reason(reason):
    allocation = AllocationFactory.build(
        round=AllocationRoundFactory(), decision=Decision.REJECTED, decision_reason=reason
    )
    assert clean_errors(allocation)["decision_reason"][0].code == "reason_required"


def test_allocation_rejection_without_reason_is_refused_by_the_database():
    allocation = AllocationFactory.build(round=AllocationRoundFactory(), decision=Decision.REJECTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        allocation.save()


def test_allocation_rejection_with_reason_is_accepted():
    allocation = AllocationFactory.build(
        round=AllocationRoundFactory(),
        decision=Decision.REJECTED,
        decision_reason="Outside the agreed themes.",
    )
    allocation.full_clean()
    allocation.save()


def test_allocation_pending_or_approved_needs_no_reason():
    for decision in [Decision.PENDING, Decision.APPROVED]:
        AllocationFactory.build(round=AllocationRoundFactory(), decision=decision).full_clean()


def test_allocation_rejection_reason_cannot_be_removed_in_the_database():
    allocation = AllocationFactory(decision=Decision.REJECTED, decision_reason="Too late.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=allocation.pk).update(decision_reason="")


def test_allocation_refuses_office_of_another_organisation():
    allocation = AllocationFactory.build(
        round=AllocationRoundFactory(), office=country_office(OrganisationFactory())
    )
    assert clean_errors(allocation)["office"][0].code == "other_organisation"


def test_allocation_accepts_office_of_the_strategy_partner():
    round_ = AllocationRoundFactory()
    office = country_office(round_.line.strategy.organisation)
    AllocationFactory.build(round=round_, office=office).full_clean()


# Donor tables from the annexes.


def test_funding_row_refund_must_be_negative():
    row = FundingRowFactory.build(table=DonorTableFactory(), amount=Decimal("100"), is_refund=True)
    assert constraint_messages(row) == ["A refund is a negative amount."]
    assert constraint_codes(row) == ["refund_not_negative"]
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_funding_row_accepts_negative_refund():
    row = FundingRowFactory.build(
        table=DonorTableFactory(), amount=Decimal("-2500"), is_refund=True
    )
    row.full_clean()
    row.save()


def test_funding_row_order_is_unique_per_table():
    row = FundingRowFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingRowFactory(table=row.table, order=row.order)


def test_unearmarked_contribution_refuses_negative_amount():
    contribution = UnearmarkedContributionFactory.build(
        donor=UnearmarkedDonorFactory(), amount=Decimal("-1")
    )
    assert constraint_messages(contribution) == ["A contribution cannot be negative."]
    assert constraint_codes(contribution) == ["negative"]
    with pytest.raises(IntegrityError), transaction.atomic():
        contribution.save()


def test_unearmarked_contribution_refuses_year_out_of_range():
    contribution = UnearmarkedContributionFactory.build(donor=UnearmarkedDonorFactory(), year=1900)
    assert constraint_messages(contribution) == [YEAR_RANGE]
    assert constraint_codes(contribution) == ["outside_years"]
    with pytest.raises(IntegrityError), transaction.atomic():
        contribution.save()


def test_unearmarked_contribution_without_amount_stands_for_a_dash():
    contribution = UnearmarkedContributionFactory(amount=None)
    contribution.full_clean()


def test_unearmarked_contribution_is_one_per_donor_and_year():
    contribution = UnearmarkedContributionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        UnearmarkedContributionFactory(donor=contribution.donor, year=contribution.year)


def test_unearmarked_donor_is_listed_once_per_table():
    donor = UnearmarkedDonorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        UnearmarkedDonorFactory(table=donor.table, member_state=donor.member_state)


def test_earmarked_donor_refuses_negative_amount():
    donor = EarmarkedDonorFactory.build(table=DonorTableFactory(), amount=Decimal("-1"))
    assert constraint_messages(donor) == [NEGATIVE]
    assert constraint_codes(donor) == ["negative"]
    with pytest.raises(IntegrityError), transaction.atomic():
        donor.save()


def test_earmarked_donor_rank_is_unique_per_table():
    donor = EarmarkedDonorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EarmarkedDonorFactory(table=donor.table, rank=donor.rank)


def test_stated_total_key_is_unique_per_table():
    total = StatedTotalFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StatedTotalFactory(table=total.table, key=total.key)


def test_donor_table_key_is_unique_per_organisation():
    table = DonorTableFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        DonorTableFactory(organisation=table.organisation, key=table.key)


def test_stated_total_is_kept_beside_rows_that_do_not_add_up_to_it():
    table = DonorTableFactory()
    for order, amount in enumerate(["17000000", "394702"], start=1):
        FundingRowFactory(table=table, order=order, amount=Decimal(amount))
    stated = StatedTotalFactory(table=table, amount=Decimal("17394700"))
    rows = sum(row.amount for row in table.funding_rows.all())
    assert (rows, stated.amount) == (Decimal("17394702"), Decimal("17394700"))


# Change history.


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (PlannedAmountFactory, "amount", Decimal("50000000")),
        (ParliamentaryApprovalFactory, "amount", Decimal("47000000")),
        (CommitmentFactory, "reference", "J.nr. 2024-1"),
        (DisbursementFactory, "amount", Decimal("1000")),
        (AllocationFactory, "decision", Decision.APPROVED),
        (FundingRowFactory, "kind", FundingKind.UNEARMARKED),
    ],
    ids=["planned", "approval", "commitment", "disbursement", "allocation", "funding-row"],
)
def test_saving_records_a_change_in_history(make, field, value):
    obj = make()
    before = obj.history.count()
    setattr(obj, field, value)
    obj.save()
    assert obj.history.count() == before + 1
    assert getattr(obj.history.first(), field) == value


# Natural keys.

NATURAL_KEY_BUILDERS = {
    FinanceActCode: FinanceActCodeFactory,
    BudgetLine: BudgetLineFactory,
    PlannedAmount: PlannedAmountFactory,
    BudgetTotal: BudgetTotalFactory,
    BudgetTotalAmount: BudgetTotalAmountFactory,
    DonorTable: DonorTableFactory,
    StatedTotal: StatedTotalFactory,
    FundingRow: FundingRowFactory,
    UnearmarkedDonor: UnearmarkedDonorFactory,
    UnearmarkedContribution: UnearmarkedContributionFactory,
    EarmarkedDonor: EarmarkedDonorFactory,
}


def test_every_funding_model_with_a_natural_key_is_round_tripped():
    models = apps.get_app_config("funding").get_models()
    assert {model for model in models if issubclass(model, NaturalKeyModel)} == set(
        NATURAL_KEY_BUILDERS
    )


@pytest.mark.parametrize(
    "build",
    NATURAL_KEY_BUILDERS.values(),
    ids=[model.__name__ for model in NATURAL_KEY_BUILDERS],
)
def test_natural_key_finds_the_row_again(build):
    obj = build()
    build()  # A second row of the same kind, so the lookup has to choose.
    model = type(obj)
    assert model.objects.get_by_natural_key(*obj.natural_key()) == obj


@pytest.mark.parametrize("year", [1944, 2101])
@pytest.mark.parametrize(
    "build",
    [
        lambda year: DonorTableFactory.build(organisation=OrganisationFactory(), year=year),
        lambda year: StatedTotalFactory.build(table=DonorTableFactory(), year=year),
    ],
    ids=["donor_table", "stated_total"],
)
def test_donor_table_and_stated_total_refuse_a_year_out_of_range(build, year):
    row = build(year)
    assert constraint_messages(row) == [YEAR_RANGE]
    assert constraint_codes(row) == ["outside_years"]
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


@pytest.mark.parametrize(
    "build",
    [
        lambda year: DonorTableFactory.build(organisation=OrganisationFactory(), year=year),
        lambda year: StatedTotalFactory.build(table=DonorTableFactory(), year=year),
    ],
    ids=["donor_table", "stated_total"],
)
@pytest.mark.parametrize("year", [None, 1945, 2100])
def test_donor_table_and_stated_total_accept_no_year_or_one_in_range(build, year):
    row = build(year)
    row.full_clean()
    row.save()
