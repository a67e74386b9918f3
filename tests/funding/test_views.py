"""The funding pages: what they show, what they record, their downloads and query counts."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from funding.choices import Decision, Half
from funding.models import (
    Allocation,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
)
from funding.services import approval_amount_field
from priorities.choices import OfficeKind
from strategy_monitor.concurrency import version_token
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    BudgetLineFactory,
    CommitmentFactory,
    DisbursementFactory,
    DonorTableFactory,
    EarmarkedDonorFactory,
    FundingRowFactory,
    OfficeFactory,
    ParliamentaryApprovalFactory,
    PlannedAmountFactory,
    StatedTotalFactory,
    UnearmarkedContributionFactory,
    UnearmarkedDonorFactory,
    budget_create,
)

pytestmark = pytest.mark.django_db

D = Decimal


def url(name: str, strategy, **kwargs) -> str:
    return reverse(f"funding:{name}", kwargs={"slug": strategy.slug, **kwargs})


@pytest.fixture
def lines(strategy):
    return budget_create(strategy)


@pytest.fixture
def approved_2025(lines):
    for code, amount in (("a", "48000000"), ("b", "50000000"), ("c", "2000000")):
        ParliamentaryApprovalFactory(
            line=lines[code], year=2025, amount=D(amount), approved_on=datetime.date(2024, 12, 12)
        )


# --- Budget page ------------------------------------------------------------------------------


def test_budget_page_shows_millions_with_the_exact_amount_on_hover(
    client_desk, strategy, lines, approved_2025
):
    CommitmentFactory(line=lines["a"], year=2025, amount=D("12345678.90"))
    DisbursementFactory(line=lines["a"], year=2025, amount=D("6000000"))
    response = client_desk.get(url("budget", strategy))
    text = response.text
    assert response.status_code == 200
    assert 'title="DKK 12,345,678.90">12.3<' in text
    assert 'title="DKK 100,000,000">100.0<' in text
    assert "12 Dec 2024" in text
    # 6,000,000 disbursed of the 48,000,000 approved for line a in 2025
    assert "12.5 %" in text
    assert "Illustrative data" not in text


def test_budget_page_labels_illustrative_records(client_desk, strategy, lines, approved_2025):
    CommitmentFactory(line=lines["a"], year=2025, amount=D("1000"), is_illustrative=True)
    text = client_desk.get(url("budget", strategy)).text
    assert "illustrative-banner" in text
    assert 'class="illustrative"' in text


def test_budget_download_gives_every_figure_exactly(client_desk, strategy, lines, approved_2025):
    CommitmentFactory(line=lines["c"], year=2025, amount=D("0.01"))
    CommitmentFactory(line=lines["c"], year=2025, amount=D("0.02"))
    response = client_desk.get(url("budget", strategy), {"_export": "csv"})
    assert response["Content-Disposition"].endswith(f'{strategy.slug}-budget.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r["Budget line"].startswith("c.") and r["Year"] == "2025")
    assert row["Committed (DKK)"] == "0.03"
    assert row["Approved by parliament (DKK)"] == "2000000.00"
    assert row["Approved on"] == "2024-12-12"
    total = next(r for r in rows if r["Budget line"] == "All lines" and r["Year"] == "All years")
    assert total["Planned (DKK)"] == "400000000.00"


def test_budget_download_as_excel_keeps_numbers(client_desk, strategy, lines, approved_2025):
    response = client_desk.get(url("budget", strategy), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    planned = header.index("Planned (DKK)")
    assert sheet.cell(row=2, column=planned + 1).value == 48000000


# --- Recording parliamentary approval, commitments and disbursements --------------------------


def approval_form_data(lines, **overrides) -> dict:
    data = {
        "year": "2025",
        "approved_on": "2024-12-12",
        "reference": "Finance Act 2025",
        "note": "",
        approval_amount_field(lines["a"]): "48",
        approval_amount_field(lines["b"]): "50,0",
        approval_amount_field(lines["c"]): "2 mio.",
    }
    return data | overrides


def test_approval_form_prefills_the_years_planned_amounts(client_finance, strategy, lines):
    PlannedAmountFactory.reset_sequence()
    response = client_finance.get(url("parliamentaryapproval_create", strategy), {"year": 2025})
    form = response.context["form"]
    assert form.initial["year"] == 2025
    # In DKK million, as the documents print the budget.
    assert form[approval_amount_field(lines["b"])].value() == "50"
    assert 'id="planned-by-year"' in response.text


def test_financial_officer_records_a_years_approval(client_finance, strategy, lines, finance):
    response = client_finance.post(
        url("parliamentaryapproval_create", strategy), approval_form_data(lines), follow=True
    )
    assert response.status_code == 200
    assert "Parliamentary approval of 2025 recorded for 3 budget lines" in response.text
    assert ParliamentaryApproval.objects.filter(year=2025).count() == 3
    assert ParliamentaryApproval.objects.get(line=lines["a"], year=2025).amount == D("48000000")


def test_refused_line_amount_shows_next_to_its_field_and_saves_nothing(
    client_finance, strategy, lines
):
    field = approval_amount_field(lines["b"])
    response = client_finance.post(
        url("parliamentaryapproval_create", strategy),
        approval_form_data(lines, **{field: "-50"}),
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()[field][0].code == "not_positive"
    assert f'id="id_{field}_errors"' in response.text
    assert not ParliamentaryApproval.objects.exists()


def test_malformed_amount_is_refused_next_to_its_field(client_finance, strategy, lines):
    field = approval_amount_field(lines["a"])
    response = client_finance.post(
        url("parliamentaryapproval_create", strategy),
        approval_form_data(lines, **{field: "DKK 48"}),
    )
    assert response.context["form"].errors.as_data()[field][0].code == "invalid"
    assert not ParliamentaryApproval.objects.exists()


def test_approval_date_outside_the_window_is_refused(client_finance, strategy, lines):
    response = client_finance.post(
        url("parliamentaryapproval_create", strategy),
        approval_form_data(lines, approved_on="2023-11-30"),
    )
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors["approved_on"]] == ["approval_date_outside_year"]
    assert not ParliamentaryApproval.objects.exists()


def test_approval_form_offers_only_years_without_approval(
    client_finance, strategy, lines, approved_2025
):
    response = client_finance.get(url("parliamentaryapproval_create", strategy))
    assert [year for year, _label in response.context["form"].fields["year"].choices] == [
        2023,
        2024,
        2026,
    ]


def commitment_data(lines, **overrides) -> dict:
    data = {
        "line": lines["a"].pk,
        "year": "2025",
        "amount": "12,000,000",
        "committed_on": "2025-01-20",
        "reference": "2022-18394 a",
        "note": "",
    }
    return data | overrides


def test_commitment_before_approval_is_refused_next_to_the_year(client_finance, strategy, lines):
    response = client_finance.post(url("commitment_create", strategy), commitment_data(lines))
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["year"][0].code == "not_approved"
    assert "Record the approval of 2025 first" in response.text
    assert not Commitment.objects.exists()


def test_commitment_outside_the_period_is_refused_next_to_the_date(
    client_finance, strategy, lines, approved_2025
):
    response = client_finance.post(
        url("commitment_create", strategy), commitment_data(lines, committed_on="2027-01-04")
    )
    assert response.context["form"].errors.as_data()["committed_on"][0].code == "outside_period"
    assert not Commitment.objects.exists()


def test_financial_officer_records_a_commitment(client_finance, strategy, lines, approved_2025):
    response = client_finance.post(
        url("commitment_create", strategy), commitment_data(lines), follow=True
    )
    assert "Commitment of DKK 12,000,000 from line a for 2025 saved." in response.text
    commitment = Commitment.objects.get()
    assert commitment.amount == D("12000000")
    assert commitment.history.get().history_user.username == "finance"


def test_refused_commitment_echoes_the_exact_dkk_of_the_amount_as_typed(
    client_finance, strategy, lines, approved_2025
):
    response = client_finance.post(
        url("commitment_create", strategy),
        commitment_data(lines, amount="12,5 mio.", committed_on="2027-01-04"),
    )
    assert response.context["form"].errors.as_data()["committed_on"][0].code == "outside_period"
    # The amount keeps what was typed, says its unit, and shows what it was read as.
    assert 'value="12,5 mio."' in response.text
    assert 'for="id_amount">Amount (DKK)' in response.text
    assert '<span class="amount-unit" aria-hidden="true">DKK</span>' in response.text
    echo = '<span class="amount-exact" id="id_amount_exact">= DKK 12,500,000</span>'
    assert echo in response.text


def test_ambiguous_commitment_amount_is_refused_with_both_readings(
    client_finance, strategy, lines, approved_2025
):
    response = client_finance.post(
        url("commitment_create", strategy), commitment_data(lines, amount="12.500")
    )
    assert response.context["form"].errors.as_data()["amount"][0].code == "ambiguous"
    assert "could mean 12.5 or 12,500 — write 12.5 or 12500." in response.text
    assert not Commitment.objects.exists()


def test_over_disbursement_is_refused_next_to_the_amount(
    client_finance, strategy, lines, approved_2025
):
    CommitmentFactory(line=lines["a"], year=2025, amount=D("1000"))
    response = client_finance.post(
        url("disbursement_create", strategy),
        {"line": lines["a"].pk, "paid_on": "2025-03-01", "year": "", "amount": "1000.01"},
    )
    assert response.context["form"].errors.as_data()["amount"][0].code == "over_committed"
    assert 'id="id_amount_errors"' in response.text
    assert not Disbursement.objects.exists()


def test_disbursement_counts_against_the_year_it_is_paid_in(
    client_finance, strategy, lines, approved_2025
):
    CommitmentFactory(line=lines["a"], year=2025, amount=D("1000"))
    client_finance.post(
        url("disbursement_create", strategy),
        {"line": lines["a"].pk, "paid_on": "2025-03-01", "year": "", "amount": "400"},
    )
    assert Disbursement.objects.get().year == 2025


def test_stale_edit_of_a_commitment_is_refused_with_what_changed(
    client_finance, strategy, lines, approved_2025, finance
):
    commitment = CommitmentFactory(
        line=lines["a"], year=2025, amount=D("1000"), committed_on=datetime.date(2025, 1, 20)
    )
    stale = version_token(commitment)
    commitment.amount = D("2000")
    commitment.save()
    response = client_finance.post(
        url("commitment_update", strategy, pk=commitment.pk),
        commitment_data(lines, amount="3000", version=stale),
    )
    assert response.status_code == 200
    assert "Someone else saved this record" in response.text
    commitment.refresh_from_db()
    assert commitment.amount == D("2000")


def test_record_detail_shows_its_change_history(client_desk, strategy, lines, approved_2025):
    approval = ParliamentaryApproval.objects.get(line=lines["a"], year=2025)
    response = client_desk.get(url("parliamentaryapproval_detail", strategy, pk=approval.pk))
    assert "Change history" in response.text
    assert "Created" in response.text
    assert "48,000,000.00" in response.text


def test_deleting_a_commitment_with_payments_is_refused_on_the_page(
    client_finance, strategy, lines, approved_2025
):
    commitment = CommitmentFactory(line=lines["a"], year=2025, amount=D("1000"))
    DisbursementFactory(line=lines["a"], year=2025, amount=D("1000"))
    response = client_finance.post(url("commitment_delete", strategy, pk=commitment.pk))
    assert response.status_code == 200
    assert "is already disbursed" in response.text
    assert Commitment.objects.filter(pk=commitment.pk).exists()


def test_record_of_another_strategy_is_not_found(client_finance, strategy, other_strategy):
    foreign = CommitmentFactory(line=BudgetLineFactory(strategy=other_strategy))
    response = client_finance.get(url("commitment_detail", strategy, pk=foreign.pk))
    assert response.status_code == 404


# --- Lists and their downloads ----------------------------------------------------------------


def test_commitment_list_filters_by_line_and_year(client_desk, strategy, lines):
    CommitmentFactory(line=lines["a"], year=2024, reference="first")
    CommitmentFactory(line=lines["b"], year=2024, reference="second")
    CommitmentFactory(line=lines["a"], year=2025, reference="third")
    response = client_desk.get(
        url("commitment_list", strategy), {"line": lines["a"].pk, "year": 2024}
    )
    assert [row.record.reference for row in response.context["table"].page.object_list] == ["first"]


@pytest.mark.parametrize("name", ["commitment_list", "disbursement_list"])
def test_list_download_gives_exact_amounts_as_csv(client_desk, strategy, lines, name):
    CommitmentFactory(line=lines["a"], amount=D("1234567.89"), reference="=cmd()")
    DisbursementFactory(line=lines["a"], amount=D("1234567.89"), reference="=cmd()")
    response = client_desk.get(url(name, strategy), {"_export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["Amount (DKK)"] == "1234567.89"
    assert rows[0]["Reference"] == "'=cmd()"
    assert "Details and history" not in response.content.decode()


def test_approval_list_download_as_excel(client_desk, strategy, lines, approved_2025):
    response = client_desk.get(url("parliamentaryapproval_list", strategy), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:3] == ["Budget year", "Budget line", "Amount (DKK)"]
    assert sheet.max_row == 4


# --- Allocation rounds ------------------------------------------------------------------------


@pytest.fixture
def allocation_round(lines):
    return AllocationRoundFactory(line=lines["b"], year=2025, half=Half.FIRST)


def test_manager_approves_a_proposal_with_a_reason(client_manager, strategy, allocation_round):
    allocation = AllocationFactory(round=allocation_round, amount=D("20000000"))
    response = client_manager.post(
        url("allocation_decide", strategy, pk=allocation.pk),
        {
            "decision": Decision.APPROVED,
            "decision_reason": "Along the migratory routes.",
            "version": version_token(allocation),
        },
        follow=True,
    )
    assert "Approved: “" in response.text
    allocation.refresh_from_db()
    assert allocation.decision == Decision.APPROVED
    assert allocation.decided_by.username == "manager"


def test_approval_above_line_b_is_refused_on_the_decision_form(
    client_manager, strategy, allocation_round
):
    AllocationFactory(
        round=allocation_round,
        amount=D("45000000"),
        decision=Decision.APPROVED,
        decision_reason="Yes.",
    )
    allocation = AllocationFactory(round=allocation_round, amount=D("5000000.01"))
    response = client_manager.post(
        url("allocation_decide", strategy, pk=allocation.pk),
        {
            "decision": Decision.APPROVED,
            "decision_reason": "Also good.",
            "version": version_token(allocation),
        },
    )
    assert response.context["form"].errors.as_data()["decision"][0].code == "over_line_budget"
    allocation.refresh_from_db()
    assert allocation.decision == Decision.PENDING


def test_rejection_without_a_reason_is_refused_next_to_the_reason(
    client_manager, strategy, allocation_round
):
    allocation = AllocationFactory(round=allocation_round)
    response = client_manager.post(
        url("allocation_decide", strategy, pk=allocation.pk),
        {
            "decision": Decision.REJECTED,
            "decision_reason": "",
            "version": version_token(allocation),
        },
    )
    assert "decision_reason" in response.context["form"].errors
    assert Allocation.objects.get(pk=allocation.pk).decision == Decision.PENDING


def test_financial_officer_adds_a_proposal_for_a_country_office(
    client_finance, strategy, allocation_round
):
    region = OfficeFactory(
        organisation=strategy.organisation,
        kind=OfficeKind.REGIONAL,
        name="Dakar",
        region="West and Central Africa",
    )
    niger = OfficeFactory(organisation=strategy.organisation, name="Niger", regional_office=region)
    response = client_finance.post(
        url("allocation_create", strategy, pk=allocation_round.pk),
        {"office": niger.pk, "theme": "Border management", "amount": "20,000,000"},
        follow=True,
    )
    assert response.status_code == 200
    allocation = Allocation.objects.get()
    assert allocation.office == niger
    assert allocation.amount == D("20000000")
    assert "West and Central Africa" in response.text


def test_round_page_shows_totals_and_the_africa_definition(client_desk, strategy, allocation_round):
    AllocationFactory(round=allocation_round, amount=D("12000000"))
    response = client_desk.get(url("allocationround_detail", strategy, pk=allocation_round.pk))
    text = response.text
    assert "Middle East and North Africa" in text
    assert "Special Liaison Office in Addis Ababa" in text
    assert 'title="DKK 12,000,000">12.0<' in text
    assert "Left to approve" in text


def test_opening_a_round_twice_is_refused_next_to_the_half(
    client_finance, strategy, lines, allocation_round
):
    response = client_finance.post(
        url("allocationround_create", strategy),
        {"line": lines["b"].pk, "year": "2025", "half": "1", "dialogue_on": "2025-03-01"},
    )
    assert response.context["form"].errors.as_data()["half"][0].code == "duplicate_round"


# --- Reference page ---------------------------------------------------------------------------


def test_reference_page_shows_computed_sums_beside_printed_totals(client_desk, strategy):
    table = DonorTableFactory(organisation=strategy.organisation, title="Danish funding 2021")
    FundingRowFactory(table=table, amount=D("17394702"), title="Projects")
    FundingRowFactory(table=table, amount=D("-1039"), is_refund=True, title="Refunded project")
    StatedTotalFactory(table=table, amount=D("17393661"))
    response = client_desk.get(url("donortable_list", strategy))
    text = response.text
    assert "Danish funding 2021" in text
    assert "(1,039)" in text
    assert "17,393,663" in text
    assert "+2" in text


# --- Query counts -----------------------------------------------------------------------------


def populate(strategy, rows: int) -> None:
    """Give `strategy` `rows` budget lines with approvals, commitments and payments each year."""
    for number in range(rows):
        line = BudgetLineFactory(strategy=strategy, code=f"x{number}", order=number)
        for year in strategy.years:
            PlannedAmountFactory(line=line, year=year, amount=D("1000000"))
            ParliamentaryApprovalFactory(
                line=line, year=year, amount=D("1000000"), approved_on=datetime.date(year, 1, 1)
            )
            CommitmentFactory(line=line, year=year, amount=D("600000"))
            CommitmentFactory(line=line, year=year, amount=D("400000"), is_illustrative=True)
            DisbursementFactory(line=line, year=year, amount=D("300000"))
    soft = BudgetLineFactory(strategy=strategy, code="soft", kind="soft_earmarked")
    for year in strategy.years:
        for half in (1, 2):
            allocation_round = AllocationRoundFactory(line=soft, year=year, half=half)
            AllocationFactory.create_batch(rows, round=allocation_round, amount=D("1000"))


@pytest.mark.parametrize("rows", [2, 20])
def test_budget_page_query_count_does_not_grow(
    client_desk, django_assert_num_queries, strategy, rows
):
    populate(strategy, rows)
    # session, user, strategy, user's groups, user's team roles; budget lines, planned
    # amounts, approvals, commitments summed per line and year, disbursements summed per line
    # and year, revisions of planned amounts, allocation rounds with their summed proposals;
    # printed totals: strategy years, budget totals' lines, their amounts; the optional tabs
    with django_assert_num_queries(16):
        response = client_desk.get(url("budget", strategy))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_round_page_query_count_does_not_grow(
    client_manager, django_assert_num_queries, strategy, rows
):
    soft = BudgetLineFactory(strategy=strategy, code="b", kind="soft_earmarked")
    PlannedAmountFactory(line=soft, year=2025, amount=D("50000000"))
    allocation_round = AllocationRoundFactory(line=soft, year=2025)
    AllocationRoundFactory(line=soft, year=2025, half=2)
    region = OfficeFactory(organisation=strategy.organisation, kind="regional", region="Southern")
    for number in range(rows):
        office = OfficeFactory(organisation=strategy.organisation, regional_office=region)
        AllocationFactory(
            round=allocation_round,
            office=office,
            decision=Decision.APPROVED if number % 2 else Decision.PENDING,
            decision_reason="Fine.",
            amount=D("1000"),
        )
    # session, user, user's groups, user's team roles, strategy, the round with its line;
    # proposals with office, regional office and decider; the year's planned amount; the
    # year's approved total; the round's history; the budget lines its history names; the
    # optional tabs
    with django_assert_num_queries(12):
        response = client_manager.get(
            url("allocationround_detail", strategy, pk=allocation_round.pk)
        )
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 30])
@pytest.mark.parametrize(
    ("name", "factory"),
    [
        ("commitment_list", CommitmentFactory),
        ("disbursement_list", DisbursementFactory),
        ("parliamentaryapproval_list", None),
    ],
)
def test_list_query_count_does_not_grow(
    client_desk, django_assert_num_queries, strategy, lines, rows, name, factory
):
    for number in range(rows):
        if factory is None:
            line = BudgetLineFactory(strategy=strategy)
            ParliamentaryApprovalFactory(line=line, year=2024)
        else:
            factory(line=lines["a"], year=2023 + number % 4)
    # session, user, strategy, user's groups, user's team roles; the lines for the filter;
    # the paginator's count; the page of records with their line; the optional tabs
    with django_assert_num_queries(9):
        response = client_desk.get(url(name, strategy))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_reference_page_query_count_does_not_grow(
    client_desk, django_assert_num_queries, strategy, rows
):
    organisation = strategy.organisation
    funding = DonorTableFactory(organisation=organisation)
    FundingRowFactory.create_batch(rows, table=funding)
    StatedTotalFactory(table=funding)
    unearmarked = DonorTableFactory(organisation=organisation)
    for number in range(rows):
        donor = UnearmarkedDonorFactory(table=unearmarked)
        for year in (2020, 2021):
            UnearmarkedContributionFactory(donor=donor, year=year)
    EarmarkedDonorFactory.create_batch(rows, table=DonorTableFactory(organisation=organisation))
    # session, user, strategy, user's groups, user's team roles; donor tables, their stated
    # totals, funding rows, unearmarked donors, their contributions, earmarked donors; the
    # optional tabs
    with django_assert_num_queries(12):
        response = client_desk.get(url("donortable_list", strategy))
    assert response.status_code == 200


def test_approval_form_says_so_when_every_year_is_approved(client_finance, strategy, lines):
    for line in lines.values():
        for year in strategy.years:
            ParliamentaryApprovalFactory(
                line=line, year=year, approved_on=datetime.date(year - 1, 12, 1)
            )
    response = client_finance.get(url("parliamentaryapproval_create", strategy))
    assert "has its approval recorded" in response.text
    assert "Record approval</button>" not in response.text
