"""The IATI 2.03 activity file: valid against the kept schema, codes from its codelists."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from lxml import etree

from funding.choices import BudgetLineKind
from reports.builders import iati_build
from reports.render.iati import (
    SCHEMA_DIR,
    IatiInvalid,
    activity_xml,
    codelist,
    codelist_errors,
    iati_xml,
    schema_errors,
)
from tests.funding.factories import (
    CommitmentFactory,
    DisbursementFactory,
    ParliamentaryApprovalFactory,
    budget_create,
)
from tests.priorities.builders import area_with_nodes, indicator_in
from tests.priorities.factories import IndicatorProgressFactory
from tests.reports.reportdata import iati_activity


def test_schema_copy_is_in_the_repository():
    assert (SCHEMA_DIR / "iati-activities-schema.xsd").is_file()
    assert (SCHEMA_DIR / "README.md").read_text().count("iatistandard.org") >= 1
    assert "2" in codelist("TransactionType") and "3" in codelist("TransactionType")


def test_hand_built_activity_validates_and_uses_codelist_codes():
    content = iati_xml(iati_activity())
    assert schema_errors(content) == []
    assert codelist_errors(content) == []
    root = etree.fromstring(content)
    assert root.get("version") == "2.03"
    assert root.findtext("iati-activity/iati-identifier") == "DK-CVR-43271911-2022-18394"
    assert root.find("iati-activity/reporting-org").get("ref") == "DK-CVR-43271911"
    assert [org.get("role") for org in root.iterfind("iati-activity/participating-org")] == [
        "1",
        "4",
    ]
    assert [t.get("code") for t in root.iterfind(".//transaction-type")] == ["2", "3"]
    period = root.find(".//indicator/period")
    assert period.find("target").get("value") == "4000"
    assert period.find("actual").get("value") == "3820"


def test_codelist_check_catches_a_wrong_code():
    content = activity_xml(iati_activity()).replace(
        b'<transaction-type code="3"/>', b'<transaction-type code="99"/>'
    )
    assert any("99 is not in TransactionType" in problem for problem in codelist_errors(content))


def test_invalid_activity_is_refused():
    budget = iati_activity().budgets[0]
    activity = iati_activity(
        budgets=(budget.__class__(**{**budget.__dict__, "amount": Decimal("NaN")}),)
    )
    with pytest.raises(IatiInvalid):
        iati_xml(activity)


def test_hostile_text_is_escaped_in_xml():
    hostile = "<script>alert(1)</script> & =cmd\x07 Ελληνικά 中文 " + "x" * 20_000
    content = iati_xml(iati_activity(title=hostile, description=hostile))
    root = etree.fromstring(content)
    title = root.findtext("iati-activity/title/narrative")
    assert title.startswith("<script>alert(1)</script> & =cmd Ελληνικά 中文")
    assert b"<script>" not in content


@pytest.fixture
def funded(strategy):
    lines = budget_create(strategy)
    for code, amount in (("a", 48), ("b", 50), ("c", 2)):
        ParliamentaryApprovalFactory(line=lines[code], year=2024, amount=Decimal(amount) * 10**6)
        CommitmentFactory(
            line=lines[code],
            year=2024,
            amount=Decimal(amount) * 10**6,
            committed_on=datetime.date(2024, 1, 15),
        )
    DisbursementFactory(line=lines["a"], year=2024, amount=Decimal(24_000_000))
    DisbursementFactory(line=lines["b"], year=2024, amount=Decimal(5_000_000), is_illustrative=True)
    area, node = area_with_nodes(strategy, 3)
    indicator = indicator_in(area, node, title="Officials trained", unit="%")
    IndicatorProgressFactory(indicator=indicator, target=Decimal("60"), actual=Decimal("55"))
    demo = indicator_in(area, node, title="Demo indicator", is_illustrative=True)
    IndicatorProgressFactory(indicator=demo, is_illustrative=True)
    return strategy


@pytest.mark.django_db
def test_strategy_activity_from_the_database(funded):
    strategy = funded
    activity = iati_build(strategy=strategy, today=datetime.date(2025, 5, 1))
    content = iati_xml(activity)
    assert codelist_errors(content) == []
    root = etree.fromstring(content)
    node = root.find("iati-activity")
    assert node.findtext("iati-identifier") == f"DK-CVR-43271911-{strategy.file_number}"
    assert node.get("default-currency") == "DKK"
    budgets = node.findall("budget")
    assert [b.find("value").text for b in budgets] == ["100000000.00"] * 4
    assert [b.get("status") for b in budgets] == ["1", "2", "1", "1"]
    assert len(node.findall("planned-disbursement")) == 4
    kinds = [
        (t.find("transaction-type").get("code"), t.find("value").text)
        for t in node.iter("transaction")
    ]
    assert kinds.count(("2", "48000000.00")) == 1 and ("3", "24000000.00") in kinds
    assert ("3", "5000000.00") not in kinds  # illustrative: left out
    aid = {(a.get("vocabulary"), a.get("code")) for a in node.iterfind("transaction/aid-type")}
    assert {("1", "B02"), ("2", "1"), ("1", "B03"), ("2", "2"), ("1", "D01")} <= aid
    indicators = node.findall("result/indicator")
    assert [i.findtext("title/narrative") for i in indicators] == ["Officials trained"]
    assert indicators[0].get("measure") == "2"
    assert activity.left_out == 3  # one disbursement, one indicator, its one year


@pytest.mark.django_db
def test_illustrative_records_are_published_only_on_request_and_say_so(funded):
    activity = iati_build(strategy=funded, include_illustrative=True)
    content = iati_xml(activity)
    assert activity.left_out == 0
    assert b"5000000.00" in content and b"Demo indicator" in content
    assert b"Illustrative demo data, not a recorded fact." in content


@pytest.mark.django_db
def test_export_iati_command(funded, tmp_path):
    target = tmp_path / "activity.xml"
    call_command("export_iati", funded.slug, "--output", str(target))
    assert schema_errors(target.read_bytes()) == []
    assert b"Demo indicator" not in target.read_bytes()
    call_command("export_iati", funded.slug, "--output", str(target), "--include-illustrative")
    assert b"Demo indicator" in target.read_bytes()


def test_budget_line_kinds_have_aid_types():
    from reports.builders import AID_TYPES

    assert set(BudgetLineKind.values) <= set(AID_TYPES)
    assert {code for code, _ in AID_TYPES.values()} <= codelist("AidType")
    assert {code for _, code in AID_TYPES.values() if code} <= codelist("EarmarkingCategory")
