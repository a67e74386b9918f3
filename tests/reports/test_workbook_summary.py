"""The workbook's Summary sheet, computed for real from the data sheets, against the database.

The Summary holds formulas and no computed values; `formulas` (a spreadsheet engine in Python)
computes them from the file as a spreadsheet would on opening, so that the figures checked are
the ones a manager sees, not the formulas' text.
"""

import datetime
import io
import zipfile
from collections import Counter
from decimal import Decimal

import formulas
import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Sum

from demo.loader import demo_load
from engagement.choices import ActionStatus
from engagement.models import ActionPoint
from funding.models import Commitment, Disbursement, ParliamentaryApproval, PlannedAmount
from priorities.models import Strategy
from reports import layout
from reports.builders import workbook_build
from reports.render.xlsx import SUMMARY, workbook_xlsx
from risks.choices import SCORE_BAND_RANGES, RiskStatus, ScoreBand
from risks.models import Risk
from strategy_monitor.formats import person_name

pytestmark = pytest.mark.django_db
FILE = "workbook.xlsx"


@pytest.fixture
def iom():
    """The IOM strategy with its illustrative demo data: money, ratings, risks, action points."""
    call_command("loaddata", "iom_2023_2026", verbosity=0)
    strategy = Strategy.objects.select_related("organisation").get(slug="iom-2023-2026")
    demo_load(strategy=strategy, password="x", as_of=datetime.date(2026, 6, 30))
    return strategy


def computed(content: bytes, tmp_path) -> dict[str, object]:
    """Return every Summary cell's value as a spreadsheet computes it, by coordinate."""
    path = tmp_path / FILE
    path.write_bytes(content)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    prefix = f"'[{FILE}]{SUMMARY.upper()}'!"
    values = {}
    for key, value in solution.items():
        if key.startswith(prefix) and ":" not in key:
            cell = value.value[0, 0]
            values[key[len(prefix) :]] = None if cell == "" else cell
    return values


def section(sheet, title: str) -> list[tuple[int, list]]:
    """Return the rows of the Summary table titled `title`, header first, with their numbers."""
    rows = list(sheet.iter_rows())
    start = next(index for index, row in enumerate(rows) if row[0].value == title)
    # The table's note, when it has one, sits between its title and its header.
    header = next(index for index in range(start, len(rows)) if rows[index][0].style == "SM header")
    found = []
    for index in range(header, len(rows)):
        values = [cell.value for cell in rows[index]]
        if not any(value is not None for value in values):
            break
        found.append((index + 1, values))
    return found


def amounts(model, strategy) -> dict[tuple[str, int], Decimal]:
    return {
        (row["line__code"], row["year"]): row["total"]
        for row in model.objects.filter(line__strategy=strategy)
        .values("line__code", "year")
        .annotate(total=Sum("amount"))
    }


def near(value, expected) -> bool:
    return abs(Decimal(str(value or 0)) - Decimal(expected or 0)) < Decimal("0.01")


def test_summary_formulas_computed_from_the_data_sheets_give_the_database_figures(iom, tmp_path):
    content = workbook_xlsx(workbook_build(strategy=iom))
    sheet = openpyxl.load_workbook(io.BytesIO(content))[SUMMARY]
    values = computed(content, tmp_path)

    planned = {
        (row.line.code, row.year): row.amount
        for row in PlannedAmount.objects.filter(line__strategy=iom).select_related("line")
    }
    flows = {
        "E": amounts(ParliamentaryApproval, iom),
        "F": amounts(Commitment, iom),
        "G": amounts(Disbursement, iom),
    }
    assert flows["G"], "the demo data pays something out"
    money = section(sheet, "Money by budget line and year (DKK)")
    header, *lines, total = money
    assert header[1][3:8] == [
        "Planned (DKK)",
        "Approved (DKK)",
        "Committed (DKK)",
        "Disbursed (DKK)",
        "Execution rate",
    ]
    assert len(lines) == len(planned) == 3 * 4
    for number, row in lines:
        key = (row[0], row[2])
        assert str(row[3]).startswith("=SUMIFS('Budget'!"), "planned is live"
        assert near(values[f"D{number}"], planned[key]), key
        for letter, sums in flows.items():
            assert near(values[f"{letter}{number}"], sums.get(key)), (letter, key)
        approved, disbursed = flows["E"].get(key), flows["G"].get(key)
        if approved:
            assert values[f"H{number}"] == pytest.approx(float(disbursed or 0) / float(approved))
        else:
            assert values[f"H{number}"] is None
    total_number = total[0]
    assert near(values[f"D{total_number}"], sum(planned.values()))
    assert near(values[f"G{total_number}"], sum(flows["G"].values()))

    by_year = section(sheet, "Money by year, all lines (DKK)")
    for number, row in by_year[1:-1]:
        year = row[2]
        expected = sum(amount for (_, each), amount in flows["G"].items() if each == year)
        assert near(values[f"G{number}"], expected), year
        assert near(values[f"D{number}"], sum(a for (_, y), a in planned.items() if y == year))

    open_risks = Risk.objects.filter(strategy=iom, status=RiskStatus.OPEN)
    bands = section(sheet, "Open risks by score band (likelihood × impact)")
    counted = {row[1] or row[0]: values[f"C{number}"] for number, row in bands[1:]}
    for band, (low, high) in SCORE_BAND_RANGES.items():
        expected = open_risks.filter(score__gte=low, score__lte=high).count()
        assert counted[ScoreBand(band).label] == expected, band
    assert counted["Not rated yet"] == open_risks.filter(score__isnull=True).count()
    assert counted["Total"] == open_risks.count() > 0

    owners = Counter(
        person_name(point.owner, default="No owner")
        for point in ActionPoint.objects.filter(
            strategy=iom, status=ActionStatus.OPEN
        ).select_related("owner")
    )
    actions = section(sheet, "Open action points by owner")
    counted = {row[1]: values[f"C{number}"] for number, row in actions[1:-1]}
    assert counted == dict(owners) and sum(owners.values()) > 0
    assert values[f"C{actions[-1][0]}"] == sum(owners.values())


def test_an_edit_on_a_data_sheet_moves_the_summary(iom, tmp_path):
    content = workbook_xlsx(workbook_build(strategy=iom))
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    payments = workbook[layout.DISBURSEMENTS]
    line, year, amount = (payments[f"{letter}5"].value for letter in "ABC")
    payments["C5"] = amount + 1_000_000
    buffer = io.BytesIO()
    workbook.save(buffer)
    money = section(workbook[SUMMARY], "Money by budget line and year (DKK)")
    number = next(number for number, row in money[1:] if (row[0], row[2]) == (line, year))

    before = computed(content, tmp_path)
    after = computed(buffer.getvalue(), tmp_path)
    assert near(after[f"G{number}"], Decimal(str(before[f"G{number}"])) + 1_000_000)
    assert after[f"D{number}"] == before[f"D{number}"]


def test_summary_states_the_strategy_and_labels_demo_data_with_charts_and_people_by_name(iom):
    content = workbook_xlsx(workbook_build(strategy=iom))
    sheet = openpyxl.load_workbook(io.BytesIO(content))[SUMMARY]
    assert sheet["A1"].value == "Summary · IOM 2023-2026"
    assert sheet["A3"].value.startswith("Illustrative data: the sheets")
    facts = {sheet[f"A{row}"].value: sheet[f"B{row}"].value for row in range(5, 10)}
    assert facts["Partner"] == "International Organization for Migration"
    assert facts["Period"] == "2023-2026"
    assert facts["File no."] == "2022-18394"
    assert isinstance(facts["As of"], datetime.datetime)
    assert sheet.freeze_panes == "A4"
    ratings = section(sheet, "Ratings by priority area and year")
    assert ratings[0][1][:6] == ["Priority area", "Title", "2023", "2024", "2025", "2026"]
    assert any(value for _, row in ratings[1:] for value in row[2:])

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = sorted(name for name in archive.namelist() if name.startswith("xl/charts/"))
        assert charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]
        for name in charts:
            xml = archive.read(name).decode()
            assert "barChart>" in xml and "'Summary'!" in xml

    # People by name; their user names stay in hidden columns for the import.
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    risk = Risk.objects.filter(strategy=iom, owner__isnull=False).select_related("owner").first()
    sheet = workbook[layout.RISKS]
    row = next(row for row in range(5, sheet.max_row + 1) if sheet[f"A{row}"].value == risk.key)
    assert sheet["P4"].value == "Owner" and sheet[f"P{row}"].value == person_name(risk.owner)
    assert person_name(risk.owner) != risk.owner.username
    assert sheet[f"T{row}"].value == risk.owner.username
    assert sheet.column_dimensions["T"].hidden and not sheet.column_dimensions["P"].hidden
    actions = workbook[layout.ACTIONS]
    owners = {actions[f"D{row}"].value for row in range(5, actions.max_row + 1)} - {None}
    usernames = set(
        ActionPoint.objects.filter(strategy=iom).values_list("owner__username", flat=True)
    )
    assert owners and not owners & usernames
