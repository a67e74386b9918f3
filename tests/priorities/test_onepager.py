"""Reading a strategy's one-pager, field by field, whatever shape it comes in."""

from decimal import Decimal
from pathlib import Path

import pytest

from priorities.onepager import YearPlan, amount_parse, onepager_read

# The front page and cover of the IOM 2023-2026 strategy document, as the document has them.
IOM_ONEPAGER = Path(__file__).parent / "data" / "iom_onepager.txt"
M = Decimal(1_000_000)


def iom_front_page() -> str:
    """Return the IOM document's front page and cover."""
    return IOM_ONEPAGER.read_text(encoding="utf-8")


def test_iom_front_page_is_read_field_by_field():
    page = onepager_read(iom_front_page())
    assert page.title == (
        "Strategy for Denmark's engagement with International Organization for Migration 2023-2026"
    )
    assert page.is_draft
    assert (page.partner_name, page.partner_acronym) == (
        "International Organization for Migration",
        "IOM",
    )
    assert (page.start_year, page.end_year) == (2023, 2026)
    assert page.file_number == "2022-18394"
    assert page.responsible_unit == "Geneva"
    assert page.finance_act_codes == ["§06.32.10.14"]
    assert page.desk_officer == "Lea Rasmussen"
    assert page.financial_officer == "Michael Blichfeldt"
    assert page.years == [YearPlan(year, 100 * M, 100 * M) for year in range(2023, 2027)]
    assert page.commitment_total == page.disbursement_total == 400 * M
    assert page.key_results == [
        "Enhancing strategic and organizational effectiveness of IOM.",
        "Enhancing IOM's role in the UN system and partnerships.",
        "Improving capacity building of governments and relevant authorities for better "
        "migration management.",
        "Strengthening IOM's engagement on the linkage between climate change and irregular "
        "migration and forced displacement.",
    ]
    # The SDG box holds only icons, no numbers: left for the administrator.
    assert page.sdgs == []
    assert page.unrecognised == ["sdgs"]


# A five-year strategy with a budget over four years, two Finance Act codes joined by "og", a
# file number with spaces, Danish decimals, a Markdown table, and the fields in another order.
FIVE_YEARS = (
    (
        "# Strategy for Denmark's engagement with the Office for the Coordination of Humanitarian "
        "Affairs (OCHA) 2024-2028\n"
    )
    + """

**Desk officer:** Jens Hansen
**Financial officer:** Mette Sørensen

## Key results

1. Stronger humanitarian coordination at country level.
2. Better anticipatory action and pooled funds.
3. Accountability to affected people.

| Million DKK | 2024 | 2025 | 2026 | 2027 | Total |
|---|---|---|---|---|---|
| Commitment | 62,5 | 62,5 | 62,5 | 62,5 | 250 |
| Projected ann. Disb. | 62,5 | 62,5 | 62,5 | 62,5 | 250 |

**Duration of strategy:** 2024-2028 (5 years)
**Finance Act code:** § 06.32.08.70 og § 06.32.08.75
**File No.:** 2024 - 12345
**Responsible Unit:** Department for Humanitarian Action (HCE)

### SDGs relevant for Programme
SDG 1, SDG 5, SDG 16 and SDG 17
"""
)


def test_five_year_strategy_with_a_four_year_budget_and_two_codes():
    page = onepager_read(FIVE_YEARS)
    assert page.title.startswith("Strategy for Denmark's engagement with the Office")
    assert not page.is_draft
    assert page.partner_name == "Office for the Coordination of Humanitarian Affairs"
    assert page.partner_acronym == "OCHA"
    assert (page.start_year, page.end_year) == (2024, 2028)
    assert page.file_number == "2024 - 12345"
    assert page.responsible_unit == "Department for Humanitarian Action (HCE)"
    assert page.finance_act_codes == ["§06.32.08.70", "§06.32.08.75"]
    assert page.desk_officer == "Jens Hansen"
    assert page.financial_officer == "Mette Sørensen"
    assert [plan.year for plan in page.years] == [2024, 2025, 2026, 2027]
    assert page.year_plan(2028) is None
    assert page.year_plan(2025) == YearPlan(2025, Decimal("62500000"), Decimal("62500000"))
    assert page.commitment_total == 250 * M
    assert page.key_results == [
        "Stronger humanitarian coordination at country level.",
        "Better anticipatory action and pooled funds.",
        "Accountability to affected people.",
    ]
    assert page.sdgs == [1, 5, 16, 17]
    assert page.unrecognised == []


# Text as a PDF reader gives it: single spaces between cells, a file number with a slash, the
# codes on lines of their own, English decimals, and a printed total that is not the sum.
PDF_SHAPED = """\
Danish Organisation Strategy for UNHCR
Key results:
• Protection of refugees in protracted crises
• Durable solutions and inclusion
File No. F2/2024-1
Responsible Unit MNS
Million DKK 2024 2025 2026 2027 2028 Total
Commitment 510 510 510 510 510 2.055
Projected ann. Disb. 510.0 510 510 510 510 2.055
Duration of strategy 2024 – 2028 (5 years)
Finance Act code. 06.32.10.15,
06.32.10.16
Desk officer Karen Olsen
Financial officer Peter Nielsen
SDGs relevant for Programme: 10, 16
Strategy for Denmark's engagement with
the United Nations High Commissioner for Refugees (UNHCR)
2024-2028
"""


def test_pdf_shaped_text_with_a_slash_in_the_file_number():
    page = onepager_read(PDF_SHAPED)
    assert page.file_number == "F2/2024-1"
    assert page.responsible_unit == "MNS"
    assert page.finance_act_codes == ["06.32.10.15", "06.32.10.16"]
    assert (page.start_year, page.end_year) == (2024, 2028)
    assert page.title == (
        "Strategy for Denmark's engagement with the United Nations High Commissioner for "
        "Refugees (UNHCR) 2024-2028"
    )
    assert page.partner_acronym == "UNHCR"
    assert [plan.commitment for plan in page.years] == [510 * M] * 5
    # Printed as it is; comparing it with the sum is for the budget pages.
    assert page.commitment_total == 2055 * M
    assert page.key_results == [
        "Protection of refugees in protracted crises",
        "Durable solutions and inclusion",
    ]
    assert page.desk_officer == "Karen Olsen"
    assert page.sdgs == [10, 16]
    assert page.unrecognised == []


# Tabs between cells as Word copies them, <b> tags left in, and several fields missing.
MISSING = """\
<b>Responsible Unit</b>\tCopenhagen, GDK
<b>Duration of strategy</b>\t2025-2027
<b>Desk officer</b>\t
<b>Financial officer</b>\tAnne Berg
Key results
Healthier mothers and newborns

Some closing remark
"""


def test_missing_fields_are_listed_and_never_guessed():
    page = onepager_read(MISSING)
    assert page.responsible_unit == "Copenhagen, GDK"
    assert (page.start_year, page.end_year) == (2025, 2027)
    assert page.financial_officer == "Anne Berg"
    # The empty desk-officer cell does not take the next line's label.
    assert page.desk_officer == ""
    assert page.key_results == ["Healthier mothers and newborns"]
    assert page.title == page.file_number == ""
    assert page.years == []
    assert page.unrecognised == [
        "title",
        "partner",
        "file_number",
        "finance_act_codes",
        "desk_officer",
        "budget",
        "sdgs",
    ]
    assert page.unrecognised_labels[0] == "title"


def test_a_row_with_too_few_figures_is_not_spread_over_the_years():
    text = "Million DKK\t2024\t2025\t2026\nCommitment\t10\t10\nProjected ann. Disb.\t10\t10\t10\n"
    page = onepager_read(text)
    assert page.years == []
    assert "budget" in page.unrecognised


def test_dashes_leave_a_year_empty():
    text = "Mio. DKK 2024 2025 2026\nCommitment 10 – 10 20\nProjected ann. Disb. 5 5 10 20\n"
    page = onepager_read(text)
    assert page.years == [
        YearPlan(2024, 10 * M, 5 * M),
        YearPlan(2025, None, 5 * M),
        YearPlan(2026, 10 * M, 10 * M),
    ]
    assert page.commitment_total == 20 * M


def test_empty_text_recognises_nothing():
    page = onepager_read("")
    assert len(page.unrecognised) == 11


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("100", Decimal("100")),
        ("47,5", Decimal("47.5")),
        ("47.5", Decimal("47.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("2.055", Decimal("2055")),
        ("2,055", Decimal("2055")),
        ("0,25", Decimal("0.25")),
        ("1.2.3", None),
        ("12,3456", Decimal("12.3456")),
        ("abc", None),
        ("10.", None),
    ],
)
def test_amounts_read_with_either_decimal_mark(text, value):
    assert amount_parse(text) == value


def test_labels_with_plural_marks_and_codes_joined_by_and():
    text = (
        "Finance Act code(s): 06.32.01.10 and 06.32.01.20\n"
        "Desk officer(s): Ida Lund\n"
        "Financial officer: Ole Berg\n"
        "Strategy period: 2025-2029\n"
        "DKK million\t2025\t2026\t2027\t2028\t2029\n"
        "Commitments\t40\t40\t40\t40\t40\n"
        "Projected annual disbursement\t40\t40\t40\t40\t40\n"
    )
    page = onepager_read(text)
    assert page.finance_act_codes == ["06.32.01.10", "06.32.01.20"]
    assert page.desk_officer == "Ida Lund"
    assert (page.start_year, page.end_year) == (2025, 2029)
    assert [plan.disbursement for plan in page.years] == [40 * M] * 5
    assert page.commitment_total is None
