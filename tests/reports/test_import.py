"""The workbook import: refusals with their place and reason, all or nothing, the round trip."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command

from engagement.models import Meeting
from funding import services as funding_services
from funding.choices import Decision
from funding.models import Allocation, Commitment, Disbursement, ParliamentaryApproval
from priorities.choices import YearState
from priorities.models import IndicatorProgress, Strategy
from reports import layout
from reports.builders import workbook_build
from reports.importers import WorkbookRefused, workbook_import
from reports.render.xlsx import workbook_xlsx
from tests.engagement.factories import ActionPointFactory, GoverningBodyFactory, MeetingFactory
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    CommitmentFactory,
    DisbursementFactory,
    DonorTableFactory,
    EarmarkedDonorFactory,
    FundingRowFactory,
    OfficeFactory,
    ParliamentaryApprovalFactory,
    StatedTotalFactory,
    UnearmarkedContributionFactory,
    budget_create,
)
from tests.priorities.builders import area_with_nodes, indicator_in, year_set_state
from tests.priorities.factories import (
    AssessmentFactory,
    IndicatorProgressFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.risks.factories import RiskFactory

HOSTILE = '=HYPERLINK("http://example.org") <script>alert(1)</script> Ελληνικά 中文 العربية'


def full_strategy(strategy):
    """Give `strategy` a record of every kind the workbook carries."""
    desk = UserFactory(username="desk", first_name="Anna", last_name="Holm")
    TeamMembershipFactory(strategy=strategy, user=desk, role="desk_officer")
    lines = budget_create(strategy)
    ParliamentaryApprovalFactory(line=lines["a"], year=2024, is_illustrative=True)
    CommitmentFactory(line=lines["a"], year=2024, reference="=1+1")
    DisbursementFactory(line=lines["a"], year=2024)
    office = OfficeFactory(organisation=strategy.organisation, name="Niger")
    allocation_round = AllocationRoundFactory(line=lines["b"], year=2024)
    AllocationFactory(round=allocation_round, office=office, amount=Decimal(20_000_000))
    area, node = area_with_nodes(strategy, 3)
    indicator = indicator_in(area, node, title="Officials trained")
    IndicatorProgressFactory(indicator=indicator, is_illustrative=True, comment=HOSTILE)
    AssessmentFactory(priority_area=area, narrative=HOSTILE, is_illustrative=True)
    risk = RiskFactory(strategy=strategy, rated=True, owner=desk, rating_is_illustrative=True)
    risk.priority_areas.add(area)
    meeting = MeetingFactory(strategy=strategy, held_on=datetime.date(2024, 6, 12))
    ActionPointFactory(strategy=strategy, meeting=meeting, owner=desk, priority_area=area)
    table = DonorTableFactory(organisation=strategy.organisation, key="annex-3")
    FundingRowFactory(table=table)
    UnearmarkedContributionFactory(donor__table=table, amount=None)
    EarmarkedDonorFactory(table=table)
    StatedTotalFactory(table=table, growth_percent=Decimal("24"))
    return strategy


def export(strategy) -> bytes:
    strategy = Strategy.objects.select_related("organisation").get(pk=strategy.pk)
    return workbook_xlsx(workbook_build(strategy=strategy))


def cells(content: bytes) -> dict:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    values = {}
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None and (sheet.title, cell.coordinate) != ("Overview", "A2"):
                    values[(sheet.title, cell.coordinate)] = cell.value
    return values


def edited(content: bytes, sheet: str, coordinate: str, value) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    workbook[sheet][coordinate] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refusal(content: bytes, user=None) -> WorkbookRefused:
    with pytest.raises(WorkbookRefused) as caught:
        workbook_import(data=content, user=user)
    return caught.value


@pytest.mark.django_db(transaction=True)
def test_round_trip_into_an_empty_database_gives_the_same_workbook(strategy):
    first = export(full_strategy(strategy))
    call_command("flush", interactive=False, verbosity=0)
    # The people have accounts in the other installation too; the strategy does not.
    UserFactory(username="desk", first_name="Anna", last_name="Holm")
    result = workbook_import(data=first, user=None)
    assert result.strategy_created
    # Offices are the partner's reference data, not in the workbook: added as they are named.
    assert {warning.code for warning in result.warnings} == {"office_created"}
    again = export(Strategy.objects.get(slug="test-2023-2026"))
    assert cells(again) == cells(first)
    assert Commitment.objects.get().reference == "=1+1"
    # Importing the same workbook again changes nothing.
    repeat = workbook_import(data=again, user=None)
    assert repeat.created == () and repeat.updated == ()


@pytest.mark.django_db(transaction=True)
def test_unknown_people_are_warned_about_and_left_out(strategy):
    content = export(full_strategy(strategy))
    call_command("flush", interactive=False, verbosity=0)
    result = workbook_import(data=content, user=None)
    assert {warning.code for warning in result.warnings} == {"unknown_user", "office_created"}
    assert any(w.sheet == layout.RISKS and w.column == "P (Owner)" for w in result.warnings)


@pytest.mark.django_db
def test_not_a_zip_is_refused(admin_user):
    error = refusal(b"%PDF-1.4 not a workbook", admin_user)
    assert error.codes == {"not_a_workbook"}
    assert "not a zip archive" in str(error.problems[0])


@pytest.mark.django_db
def test_a_zip_that_is_no_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert refusal(buffer.getvalue()).codes == {"not_a_workbook"}


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2 * 1024 * 1024, 51 * 1024 * 1024])
def test_a_zip_bomb_is_refused_before_it_is_unpacked(size):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    assert refusal(buffer.getvalue()).codes == {"zip_bomb"}


@pytest.mark.django_db
def test_missing_sheets_are_named(strategy):
    workbook = openpyxl.load_workbook(io.BytesIO(export(strategy)))
    del workbook[layout.RISKS]
    del workbook[layout.BUDGET]
    buffer = io.BytesIO()
    workbook.save(buffer)
    error = refusal(buffer.getvalue())
    assert {(p.sheet, p.code) for p in error.problems} == {
        (layout.RISKS, "missing_sheet"),
        (layout.BUDGET, "missing_sheet"),
    }


@pytest.mark.django_db
def test_every_wrong_cell_is_reported_with_sheet_row_column_and_what_was_expected(strategy):
    content = export(full_strategy(strategy))
    content = edited(content, layout.COMMITMENTS, "B5", "next year")
    content = edited(content, layout.COMMITMENTS, "D5", "soon")
    content = edited(content, layout.ASSESSMENTS, "C5", "Brilliant")
    content = edited(content, layout.RISKS, "B4", "Name")
    before = Commitment.objects.get().year
    error = refusal(content)
    found = {(p.sheet, p.row, p.column, p.code) for p in error.problems}
    assert (layout.COMMITMENTS, 5, "B (Year)", "type") in found
    assert (layout.COMMITMENTS, 5, "D (Committed on)", "type") in found
    assert (layout.ASSESSMENTS, 5, "C (Rating)", "type") in found
    assert (layout.RISKS, 4, "B", "header") in found
    problem = next(p for p in error.problems if p.column == "B (Year)")
    assert "Expected a whole number, found 'next year'" in problem.message
    assert Commitment.objects.get().year == before


@pytest.mark.django_db
def test_unknown_references_are_refused_and_nothing_changes(strategy):
    content = edited(export(full_strategy(strategy)), layout.ASSESSMENTS, "A5", "nowhere")
    content = edited(content, layout.COMMITMENTS, "A5", "z")
    error = refusal(content)
    assert {"unknown_area", "unknown_line"} <= error.codes


@pytest.mark.django_db
def test_funding_rules_apply_and_the_import_is_all_or_nothing(strategy):
    content = export(full_strategy(strategy))
    content = edited(content, layout.COMMITMENTS, "C5", 60_000_000)
    content = edited(content, layout.INDICATORS, "A5", "3")  # unchanged cells still fine
    content = edited(content, layout.AREAS, "D5", "A new title")
    error = refusal(content)
    assert "over_approval" in error.codes
    problem = next(p for p in error.problems if p.code == "over_approval")
    assert (problem.sheet, problem.row, problem.column) == (
        layout.COMMITMENTS,
        5,
        "C (Amount (DKK))",
    )
    assert strategy.priority_areas.get().title == "Area 3"  # rolled back


def cell(content: bytes, sheet: str, header: str, row: int = 5) -> str:
    """Return the coordinate of the cell under `header` in the first table of `sheet`."""
    worksheet = openpyxl.load_workbook(io.BytesIO(content))[sheet]
    header_row = next(r for r in range(1, 10) if header in [c.value for c in worksheet[r]])
    letter = next(c.column_letter for c in worksheet[header_row] if c.value == header)
    return f"{letter}{row}"


def edited_under(content: bytes, sheet: str, changes: dict) -> bytes:
    """Return `content` with the first data row of `sheet` changed, by column header."""
    for header, value in changes.items():
        content = edited(content, sheet, cell(content, sheet, header), value)
    return content


def service_refusal(change) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        change()
    return caught.value


def _commitment_change(**values):
    def change():
        commitment = Commitment.objects.get()
        fields = {
            "line": commitment.line,
            "year": commitment.year,
            "amount": commitment.amount,
            "committed_on": commitment.committed_on,
            "reference": commitment.reference,
            "note": commitment.note,
        }
        funding_services.commitment_update(
            commitment=commitment, version=None, user=None, **(fields | values)
        )

    return change


def _commitment_create(**values):
    def change():
        commitment = Commitment.objects.get()
        funding_services.commitment_create(
            line=commitment.line,
            amount=commitment.amount,
            committed_on=commitment.committed_on,
            user=None,
            **values,
        )

    return change


def _disbursement_change(**values):
    def change():
        disbursement = Disbursement.objects.get()
        fields = {
            "line": disbursement.line,
            "year": disbursement.year,
            "amount": disbursement.amount,
            "paid_on": disbursement.paid_on,
            "reference": disbursement.reference,
            "note": disbursement.note,
        }
        funding_services.disbursement_update(
            disbursement=disbursement, version=None, user=None, **(fields | values)
        )

    return change


def _allocation_approve(amount):
    def change():
        allocation = Allocation.objects.get()
        funding_services.allocation_update(
            allocation=allocation,
            version=None,
            office=allocation.office,
            theme=allocation.theme,
            amount=amount,
            description=allocation.description,
            user=None,
        )
        funding_services.allocation_decide(
            allocation=allocation,
            version=None,
            decision=Decision.APPROVED,
            reason="Within the plan, we thought.",
            user=UserFactory(),
        )

    return change


# Each funding rule refused by the import and by the funding pages' services, in one wording.
FUNDING_RULES = {
    "not_approved": (
        layout.COMMITMENTS,
        {"Year": 2025},
        "Year",
        _commitment_create(year=2025),
    ),
    "before_approval": (
        layout.COMMITMENTS,
        {"Committed on": datetime.datetime(2023, 12, 1)},
        "Committed on",
        _commitment_change(committed_on=datetime.date(2023, 12, 1)),
    ),
    "over_approval": (
        layout.COMMITMENTS,
        {"Amount (DKK)": 60_000_000},
        "Amount (DKK)",
        _commitment_change(amount=Decimal(60_000_000)),
    ),
    "over_committed": (
        layout.DISBURSEMENTS,
        {"Amount (DKK)": 60_000_000},
        "Amount (DKK)",
        _disbursement_change(amount=Decimal(60_000_000)),
    ),
    "over_line_budget": (
        layout.ALLOCATIONS,
        {
            "Amount (DKK)": 60_000_000,
            "Decision": str(Decision.APPROVED.label),
            "Reason": "Within the plan, we thought.",
        },
        "Decision",
        _allocation_approve(Decimal(60_000_000)),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "case"), FUNDING_RULES.items(), ids=list(FUNDING_RULES))
def test_a_funding_rule_refuses_the_import_as_it_refuses_the_page(strategy, code, case):
    sheet, changes, header, service_change = case
    content = edited_under(export(full_strategy(strategy)), sheet, changes)
    problems = [problem for problem in refusal(content).problems if problem.code == code]
    assert len(problems) == 1, refusal(content).problems
    (problem,) = problems
    # The workbook's place of the refusal, around the funding rule's own words.
    column = cell(content, sheet, header)[:-1]
    assert (problem.sheet, problem.row, problem.column.split(" ")[0]) == (sheet, 5, column)
    error = service_refusal(service_change)
    assert [item.code for items in error.error_dict.values() for item in items] == [code]
    assert problem.message == error.messages[0]
    assert str(problem) == f"sheet {sheet}, row 5, column {problem.column}: {error.messages[0]}"


@pytest.mark.django_db
def test_the_import_refuses_an_approval_below_the_commitments_it_leaves_stored(strategy):
    content = export(full_strategy(strategy))
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    workbook[layout.COMMITMENTS].delete_rows(5)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = edited_under(buffer.getvalue(), layout.APPROVALS, {"Amount (DKK)": 40_000_000})
    (problem,) = refusal(content).problems
    approval = ParliamentaryApproval.objects.get()
    error = service_refusal(
        lambda: funding_services.approval_update(
            approval=approval,
            version=None,
            amount=Decimal(40_000_000),
            approved_on=approval.approved_on,
            reference=approval.reference,
            note=approval.note,
            user=None,
        )
    )
    assert (problem.sheet, problem.row, problem.code) == (layout.APPROVALS, 5, "below_committed")
    assert problem.message == error.messages[0]


@pytest.mark.django_db
def test_the_import_refuses_commitments_below_the_payments_it_leaves_stored(strategy):
    content = export(full_strategy(strategy))
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    workbook[layout.DISBURSEMENTS].delete_rows(5)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = edited_under(buffer.getvalue(), layout.COMMITMENTS, {"Amount (DKK)": 20_000_000})
    (problem,) = refusal(content).problems
    error = service_refusal(_commitment_change(amount=Decimal(20_000_000)))
    assert (problem.sheet, problem.row, problem.code) == (layout.COMMITMENTS, 5, "below_disbursed")
    assert problem.message == error.messages[0]


@pytest.mark.django_db
def test_an_approved_year_refuses_changed_figures(strategy):
    content = export(full_strategy(strategy))
    year_set_state(strategy, 2024, YearState.APPROVED)
    sheet = openpyxl.load_workbook(io.BytesIO(content))[layout.INDICATORS]
    column = next(c.column_letter for c in sheet[4] if c.value == "Actual 2024")
    error = refusal(edited(content, layout.INDICATORS, f"{column}5", 99))
    assert "year_locked" in error.codes
    assert IndicatorProgress.objects.get().actual == Decimal("18")


@pytest.mark.django_db
def test_reserved_slug_is_refused(strategy):
    workbook = openpyxl.load_workbook(io.BytesIO(export(strategy)))
    sheet = workbook[layout.OVERVIEW]
    row = next(r for r in range(5, 40) if sheet[f"A{r}"].value == "Strategy slug")
    sheet[f"B{row}"] = "import"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert refusal(buffer.getvalue()).codes == {"reserved_slug"}


@pytest.mark.django_db
def test_check_only_changes_nothing(strategy):
    content = edited(export(strategy), layout.OVERVIEW, "B9", "Another title")
    sheet = openpyxl.load_workbook(io.BytesIO(content))[layout.OVERVIEW]
    assert sheet["A9"].value == "Title"
    result = workbook_import(data=content, user=None, dry_run=True)
    assert result.dry_run and dict(result.updated) == {"strategies": 1}
    strategy.refresh_from_db()
    assert strategy.title == "Test strategy 2023-2026"


@pytest.mark.django_db
def test_import_workbook_command(strategy, tmp_path, admin_user):
    path = tmp_path / "workbook.xlsx"
    path.write_bytes(edited(export(strategy), layout.OVERVIEW, "B9", "Renamed"))
    call_command("import_workbook", str(path), "--user", admin_user.username)
    strategy.refresh_from_db()
    assert strategy.title == "Renamed"
    assert strategy.history.first().history_user == admin_user
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nonsense")
    with pytest.raises(Exception, match="was not imported: 1 problem"):
        call_command("import_workbook", str(bad))


def test_user_model_is_django_auth():
    assert get_user_model()._meta.app_label == "auth"


@pytest.mark.django_db(transaction=True)
def test_a_governing_body_session_round_trips_and_a_missing_body_is_added(strategy):
    full_strategy(strategy)
    body = GoverningBodyFactory(organisation=strategy.organisation, name="Executive Board")
    MeetingFactory(
        strategy=strategy,
        kind="governing_body",
        body=body,
        title="Executive Board, first session",
        held_on=datetime.date(2024, 2, 1),
    )
    first = export(strategy)
    assert "Executive Board" in cells(first).values()
    call_command("flush", interactive=False, verbosity=0)
    UserFactory(username="desk", first_name="Anna", last_name="Holm")
    result = workbook_import(data=first, user=None)
    # Bodies are the partner's reference data, not in the workbook: added as they are named.
    assert {warning.code for warning in result.warnings} == {"office_created", "body_created"}
    meeting = Meeting.objects.get(title="Executive Board, first session")
    assert (meeting.kind, meeting.body.name) == ("governing_body", "Executive Board")
    assert cells(export(Strategy.objects.get(slug="test-2023-2026"))) == cells(first)


def sheets_edited(content: bytes, edits: dict) -> bytes:
    """Return `content` with the cells of `edits` ({sheet: {coordinate: value}}) set."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet, cells_of in edits.items():
        for coordinate, value in cells_of.items():
            workbook[sheet][coordinate] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_people_are_read_by_the_name_a_manager_types_or_by_their_hidden_user_name(strategy):
    content = export(full_strategy(strategy))
    lea = UserFactory(username="lea", first_name="Lea", last_name="Berg")
    TeamMembershipFactory(strategy=strategy, user=lea, role="mission_staff")
    sheet = openpyxl.load_workbook(io.BytesIO(content))[layout.RISKS]
    # The export shows the name and keeps the user name hidden beside it.
    assert (sheet["P5"].value, sheet["T5"].value) == ("Anna Holm", "desk")

    # Reassigned by name on the Risks sheet, by user name on the Action points sheet; the
    # hidden column still names the previous owner.
    content = sheets_edited(
        content, {layout.RISKS: {"P5": "Lea Berg"}, layout.ACTIONS: {"D5": "lea"}}
    )
    result = workbook_import(data=content, user=None)
    assert result.warnings == ()
    risk = strategy.risks.get()
    assert risk.owner == lea
    assert strategy.action_points.get().owner == lea


@pytest.mark.django_db
def test_an_unknown_or_ambiguous_name_is_warned_about_and_left_out(strategy):
    content = export(full_strategy(strategy))
    UserFactory(username="berg1", first_name="Lea", last_name="Berg")
    UserFactory(username="berg2", first_name="Lea", last_name="Berg")
    content = sheets_edited(
        content,
        {
            layout.RISKS: {"P5": "Lea Berg", "T5": None},
            layout.ACTIONS: {"D5": "Nobody Known", "J5": None},
        },
    )
    result = workbook_import(data=content, user=None)
    found = {(warning.sheet, warning.code, warning.message) for warning in result.warnings}
    assert found == {
        (
            layout.RISKS,
            "unknown_user",
            'There is more than one user "Lea Berg" in this installation: imported without them.',
        ),
        (
            layout.ACTIONS,
            "unknown_user",
            'There is no user "Nobody Known" in this installation: imported without them.',
        ),
    }
    assert strategy.risks.get().owner is None


@pytest.mark.django_db
def test_a_workbook_from_before_the_summary_and_the_hidden_user_names_still_imports(strategy):
    content = export(full_strategy(strategy))
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    del workbook["Summary"]
    # The older layout: user names in the visible columns, no user-name columns after them.
    for sheet, name_cell, key_column in (
        (layout.RISKS, "P5", "T"),
        (layout.ACTIONS, "D5", "J"),
    ):
        workbook[sheet][name_cell] = "desk"
        workbook[sheet][f"{key_column}4"] = None
        workbook[sheet][f"{key_column}5"] = None
    buffer = io.BytesIO()
    workbook.save(buffer)
    strategy.risks.update(owner=None)

    result = workbook_import(data=buffer.getvalue(), user=None)
    assert result.warnings == ()
    assert strategy.risks.get().owner.username == "desk"


@pytest.mark.django_db
def test_the_summary_is_not_read_back_whatever_it_holds(strategy):
    content = export(full_strategy(strategy))
    content = sheets_edited(content, {"Summary": {"A1": "Our notes", "D14": "not a number"}})
    result = workbook_import(data=content, user=None, dry_run=True)
    assert result.created == () and result.updated == ()
