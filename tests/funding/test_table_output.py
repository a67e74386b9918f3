"""The funding pages print a Finance Act code with one section sign; downloads hold plain text."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import FinanceActCode
from priorities.templatetags.monitor import finance_act
from tests.funding.factories import DisbursementFactory, budget_create
from tests.security.markup import download_cells, escaped_markup, marked_cells

pytestmark = pytest.mark.django_db


def url(name: str, strategy) -> str:
    return reverse(f"funding:{name}", kwargs={"slug": strategy.slug})


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("06.32.10.14", "§ 06.32.10.14"),
        ("§06.32.10.14", "§ 06.32.10.14"),
        ("§ 06.32.10.14", "§ 06.32.10.14"),
        (" §§ 06.32.10.14 ", "§ 06.32.10.14"),
        ("", ""),
        (None, ""),
    ],
)
def test_finance_act_code_gets_exactly_one_section_sign(typed, shown):
    assert finance_act(typed) == shown


def test_budget_page_prints_a_code_typed_with_its_section_sign_once(client_desk, strategy):
    lines = budget_create(strategy)
    # Lines b) and c) keep the code as the factory types it, without the sign.
    lines["a"].finance_act_code = FinanceActCode.objects.create(
        strategy=strategy, code="§06.32.10.14"
    )
    lines["a"].save()

    html = client_desk.get(url("budget", strategy)).content.decode()

    assert "§ §" not in html and "§§" not in html
    assert html.count("§ 06.32.10.14") == 3


def test_disbursement_downloads_keep_the_whole_note_and_no_markup(client_desk, strategy):
    line = budget_create(strategy)["a"]
    note = 'First tranche: "core" & secondment. ' * 4
    DisbursementFactory(
        line=line,
        amount=Decimal("24000000"),
        reference='Finance Act 2024, "core" & earmarked',
        note=note.strip(),
        is_illustrative=True,
    )

    html = client_desk.get(url("disbursement_list", strategy)).content.decode()
    assert escaped_markup(html) == []
    assert '<span class="illustrative"' in html
    for export_format in ("csv", "xlsx"):
        rows = download_cells(
            client_desk.get(url("disbursement_list", strategy), {"_export": export_format})
        )
        assert marked_cells(rows) == [], export_format
        record = dict(zip(rows[0], rows[1], strict=True))
        assert record["Note"] == note.strip(), export_format
        assert record["Reference"] == 'Finance Act 2024, "core" & earmarked', export_format
        assert record["Data"] == "Illustrative", export_format
