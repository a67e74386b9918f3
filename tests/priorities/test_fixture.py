"""The IOM 2023-2026 fixture holds the strategy document's facts, each where the document has it."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Sum

from engagement.models import EngagementChannel
from funding.models import (
    BudgetLine,
    BudgetTotal,
    DonorTable,
    EarmarkedDonor,
    FundingRow,
    PlannedAmount,
    StatedTotal,
    UnearmarkedContribution,
    UnearmarkedDonor,
)
from priorities.models import (
    KeyFigure,
    Office,
    Organisation,
    PriorityArea,
    PriorityAreaNode,
    RelevantSDG,
    ResultsFramework,
    ResultsNode,
    Strategy,
    StrategyYear,
    node_code_level,
    node_code_parent,
)
from risks.models import Risk

pytestmark = pytest.mark.django_db

FIXTURE = "iom_2023_2026"
SLUG = "iom-2023-2026"
YEARS = [2023, 2024, 2025, 2026]
APPS = ("priorities", "funding", "risks", "engagement")


def million(value: str) -> Decimal:
    return Decimal(value) * 1_000_000


@pytest.fixture
def iom(iom_loaded, db):
    """Return the strategy, loaded once for the module."""
    return Strategy.objects.get(slug=SLUG)


# --- front page -----------------------------------------------------------------------------------


def test_front_page_facts(iom):
    assert iom.title == (
        "Strategy for Denmark's engagement with International Organization for Migration 2023-2026"
    )
    assert iom.is_draft is True
    assert iom.file_number == "2022-18394"
    assert iom.responsible_unit == "Geneva"
    assert (iom.start_year, iom.end_year) == (2023, 2026)
    assert iom.finance_act_code == "§06.32.10.14"
    assert iom.desk_officer == "Lea Rasmussen"
    assert iom.financial_officer == "Michael Blichfeldt"
    assert iom.stated_commitment_total == million("400")
    assert iom.stated_disbursement_total == million("400")
    assert iom.organisation.slug == "iom"


def test_front_page_years_are_100m_each_and_add_up_to_the_stated_400m(iom):
    years = StrategyYear.objects.filter(strategy=iom).order_by("year")
    assert [y.year for y in years] == YEARS
    for year in years:
        assert year.planned_commitment == million("100")
        assert year.planned_disbursement == million("100")
        assert year.state == "draft"
        assert year.source == "Front page"
    assert sum(y.planned_commitment for y in years) == iom.stated_commitment_total
    assert sum(y.planned_disbursement for y in years) == iom.stated_disbursement_total


def test_front_page_bullets_one_per_line(iom):
    assert len(iom.justification.splitlines()) == 4
    assert len(iom.results_monitoring.splitlines()) == 3
    assert len(iom.risks_summary.splitlines()) == 3
    assert iom.risks_summary.splitlines()[2] == "IOM works in a risk prone environment."
    assert iom.overall_objective.startswith("The overall objective of Denmark's support to IOM")
    assert iom.introduction.startswith("IOM is the leading intergovernmental organization")
    assert "member of the IOM Council" in iom.governance_involvement


# --- sections 1-3 ---------------------------------------------------------------------------------


def test_section_1_relevant_sdgs(iom):
    goals = list(RelevantSDG.objects.filter(strategy=iom).values_list("goal", flat=True))
    assert sorted(goals) == [1, 3, 4, 5, 8, 10, 11, 13, 16, 17]
    sdg10 = RelevantSDG.objects.get(strategy=iom, goal=10)
    assert "orderly, safe, regular and responsible migration" in sdg10.note
    assert "Facilitate orderly, safe, regular and responsible migration and mobility" in sdg10.note
    assert RelevantSDG.objects.filter(strategy=iom, source="Section 1").count() == 10
    assert "SDG 1, 3, 4, 5, 8, 10, 11, 13, 16 and 17" in iom.objective_text


def test_section_2_organisation(iom):
    org = Organisation.objects.get(slug="iom")
    assert org.name == "International Organization for Migration"
    assert org.acronym == "IOM"
    assert (org.established, org.denmark_member_since, org.un_system_since) == (1951, 1954, 2016)
    assert (org.member_states, org.country_presence, org.staff) == (174, 174, 18000)
    assert (org.headquarters, org.head_title, org.head_name) == (
        "Geneva",
        "Director General",
        "António Vitorino",
    )
    assert org.mandate.startswith("IOM is the leading intergovernmental organization")
    assert "Denmark served on the Bureau 2018- 2021." in org.governance


def figure(key: str) -> KeyFigure:
    return KeyFigure.objects.get(organisation__slug="iom", key=key)


def test_section_2_key_figures(iom):
    expenditure = figure("expenditure-2021")
    assert (expenditure.value, expenditure.unit, expenditure.year) == (
        Decimal("2500000000"),
        "USD",
        2021,
    )
    income = [
        figure(f"income-{k}-share-2021").value for k in ("earmarked", "unearmarked", "assessed")
    ]
    assert income == [Decimal("95.9"), Decimal("1.7"), Decimal("2.4")]
    assert sum(income) == 100
    spend = [
        figure(f"expenditure-{k}-share-2021").value
        for k in ("humanitarian", "development", "global-agenda")
    ]
    assert spend == [56, 31, 13]
    assert figure("active-projects-2021").value == 3396
    assert (
        figure("spending-africa-share-2021").value,
        figure("spending-mena-share-2021").value,
    ) == (
        Decimal("27.4"),
        Decimal("15.6"),
    )
    assert figure("office-countries").value == 175
    assert figure("office-locations").value == 523
    assert figure("regional-offices").value == 9
    employees = figure("employees")
    assert (employees.value, employees.unit, employees.qualifier) == (18000, "people", "nearly")
    assert figure("denmark-contributions-2021").value == million("21.5")
    assert figure("denmark-unearmarked-2021").value == million("4.1")
    rank = figure("denmark-unearmarked-donor-rank-2021")
    assert (rank.value, rank.unit, rank.year) == (4, "count", 2021)
    assert "Sweden" in rank.note and "UK third" in rank.note
    sweden = figure("sweden-unearmarked-annual")
    assert (sweden.value, sweden.qualifier) == (million("12"), "around")
    assert figure("unearmarked-donors-2021").value == 15
    assert figure("multiyear-unearmarked-donors-2021").value == 6
    assert figure("largest-six-unearmarked-share").value == 85
    assert figure("council-bureau-member-states").value == 4
    assert figure("present-in-denmark-since").value == 2009


def test_section_3_and_5_key_figures(iom):
    migrants = figure("international-migrants-2020")
    assert (migrants.value, migrants.year, migrants.source) == (million("281"), 2020, "Section 3")
    climate = figure("internal-climate-migrants-2050")
    assert (climate.value, climate.year) == (million("216"), 2050)
    assert figure("resident-coordinator-contribution-rank").value == 10
    assert figure("climate-division-established").value == 2015
    country_funds = figure("danish-country-funds-annual")
    assert (country_funds.value, country_funds.unit, country_funds.source) == (
        million("25"),
        "DKK",
        "Section 5, footnote 9",
    )


def test_key_figures_are_sourced_and_ordered(iom):
    figures = KeyFigure.objects.filter(organisation__slug="iom")
    assert figures.count() == 29
    assert all(f.source for f in figures)
    orders = [f.order for f in figures]
    assert len(set(orders)) == len(orders)


def test_section_3_lessons_learnt(iom):
    assert iom.lessons_learnt.startswith("Relevance: The number of international migrants")
    # the page break inside "the rapid / growth" is joined
    assert "First of all, the rapid growth of the organization" in iom.lessons_learnt
    assert "Doing Development Differently Contact Group" in iom.lessons_learnt


# --- section 4 ------------------------------------------------------------------------------------


def test_section_4_priority_areas(iom):
    areas = PriorityArea.objects.filter(strategy=iom).order_by("order")
    assert [(a.kind, a.number, a.slug) for a in areas] == [
        ("priority", 1, "1"),
        ("priority", 2, "2"),
        ("priority", 3, "3"),
        ("priority", 4, "4"),
        ("cross_cutting", None, "gender-responsiveness"),
    ]
    two = areas.get(number=2)
    assert two.title == "Enhancement of IOM's role in the UN System and strengthened partnerships"
    assert two.front_page_title == "Enhancement of IOM's role in the UN system and partnerships"
    assert two.key_result == "Enhancing IOM's role in the UN system and partnerships."
    assert "UN Sustainable Development Cooperation Frameworks, Denmark" in two.text
    four = areas.get(number=4)
    assert four.front_page_title.startswith("Addressing the linkages between")
    assert four.title.startswith("Addressing the linkage between")
    assert [a.framework_under_development for a in areas] == [True, False, False, False, False]
    assert [a.indicators_under_development for a in areas] == [True, True, True, True, False]
    assert "Organizational Effectiveness" in areas.get(number=1).monitoring_note
    assert areas.get(number=1).text.count("\n\n") >= 4
    assert areas.get(slug="gender-responsiveness").text.startswith("Further, as a longstanding")


# --- section 5 ------------------------------------------------------------------------------------


def test_section_5_budget_lines_and_amounts(iom):
    lines = BudgetLine.objects.filter(strategy=iom).order_by("order")
    assert [(line.code, line.kind) for line in lines] == [
        ("a", "core"),
        ("b", "soft_earmarked"),
        ("c", "personnel"),
    ]
    assert {line.finance_act_code.code for line in lines} == {"06.32.10.14"}
    assert {line.currency for line in lines} == {"DKK"}
    assert lines[1].name == (
        "Soft earmarked: Migration management and capacity building in Africa and innovation"
    )
    assert [line.responsible_unit for line in lines] == [
        "UN Mission in Geneva",
        "Department of Migration, Stabilization and Fragility",
        "",
    ]
    expected = {"a": million("48"), "b": million("50"), "c": million("2")}
    for year in YEARS:
        amounts = {
            p.line.code: p.amount
            for p in PlannedAmount.objects.filter(line__strategy=iom, year=year)
        }
        assert amounts == expected
        assert sum(amounts.values()) == million("100")
        assert (
            sum(amounts.values())
            == StrategyYear.objects.get(strategy=iom, year=year).planned_commitment
        )


def test_section_5_budget_totals_match_their_lines(iom):
    totals = {t.key: t for t in BudgetTotal.objects.filter(strategy=iom)}
    assert set(totals) == {"total-core-soft", "total"}
    assert totals["total-core-soft"].label == "Total core incl. soft earmarked funding hereof:"
    assert sorted(totals["total-core-soft"].lines.values_list("code", flat=True)) == ["a", "b"]
    assert sorted(totals["total"].lines.values_list("code", flat=True)) == ["a", "b", "c"]
    for total, printed in (
        (totals["total-core-soft"], million("98")),
        (totals["total"], million("100")),
    ):
        assert [a.amount for a in total.amounts.order_by("year")] == [printed] * 4
        for amount in total.amounts.all():
            computed = PlannedAmount.objects.filter(
                line__in=total.lines.all(), year=amount.year
            ).aggregate(s=Sum("amount"))["s"]
            assert computed == amount.amount


def test_section_5_texts_and_mid_term_review(iom):
    assert (iom.mid_term_review_year, iom.mid_term_review_half) == (2024, 2)
    assert (
        "modalities for the allocation of the softly earmarked funds" in iom.mid_term_review_scope
    )
    assert iom.partnership_agreement.startswith(
        "A new Strategic Partnership Agreement for 2023-2026"
    )
    assert (
        "Funding as stipulated in the Danish Finance Act for 2022 (DKK million)" in iom.budget_note
    )
    assert "*Subject to annual parliamentary approval." in iom.budget_note
    assert "1) An unearmarked contribution of DKK 48 million annually" in iom.budget_text


# --- section 6 ------------------------------------------------------------------------------------


def test_section_6_risks_loaded_unrated(iom):
    risks = Risk.objects.filter(strategy=iom).order_by("order")
    assert [r.key for r in risks] == [
        "weak-core-structure",
        "budget-reform",
        "few-unearmarked-donors",
        "risk-prone-environment",
        "risk-management-maturity",
    ]
    for risk in risks:
        assert risk.likelihood is None and risk.impact is None
        assert risk.residual_likelihood is None and risk.residual_impact is None
        assert risk.score is None and risk.residual_score is None
        assert not risk.is_rated
        assert risk.category == ""
        assert risk.status == "open"
        assert risk.description and risk.source
    assert "strong prioritization" in risks.get(key="budget-reform").response
    assert "UNHCR" in risks.get(key="risk-prone-environment").response
    assert "“developing”" in risks.get(key="risk-management-maturity").description
    assert list(risks.get(key="budget-reform").priority_areas.values_list("number", flat=True)) == [
        1
    ]
    assert not risks.get(key="risk-prone-environment").priority_areas.exists()
    assert "CEB/2019/HLCM/25" in iom.risks_text


# --- section 7 (and 2, 5): engagement channels ---------------------------------------------------


def test_section_7_engagement_channels(iom):
    channels = {c.key: c for c in EngagementChannel.objects.filter(strategy=iom)}
    per_year = {key: c.per_year for key, c in channels.items()}
    assert per_year == {
        "annual-consultations": Decimal("1"),
        "high-level-consultations": Decimal("0.5"),
        "integrity-briefings": None,
        "iom-council": Decimal("1"),
        "standing-committee": Decimal("2"),
        "working-groups": None,
        "donor-group": None,
        "ddd-contact-group": None,
        "softly-earmarked-dialogue": Decimal("2"),
    }
    assert channels["softly-earmarked-dialogue"].kind == "allocation_dialogue"
    assert channels["softly-earmarked-dialogue"].source == "Section 5"
    assert "2018-2021" in channels["iom-council"].denmark_role
    assert "Working Group on Budget Reform" in channels["working-groups"].name
    assert "Working Group on IOM Partnerships" in channels["working-groups"].name
    assert channels["donor-group"].name == "IOM Donor Group"
    assert iom.engagement_text.startswith("Based on the priority areas specified above")


# --- annex 1 --------------------------------------------------------------------------------------


def test_annex_1_office_counts(iom):
    offices = Office.objects.filter(organisation__slug="iom")
    assert Counter(offices.values_list("kind", flat=True)) == {
        "regional": 9,
        "special_liaison": 1,
        "un_office": 1,
        "country": 160,
    }
    per_ro = Counter(offices.filter(kind="country").values_list("regional_office__key", flat=True))
    assert per_ro == {
        "ro-dakar": 21,
        "ro-pretoria": 13,
        "ro-nairobi": 10,
        "ro-cairo": 13,
        "ro-san-jose": 18,
        "ro-buenos-aires": 10,
        "ro-bangkok": 29,
        "ro-brussels": 27,
        "ro-vienna": 19,
    }
    assert set(offices.values_list("as_of", flat=True)) == {date(2022, 5, 1)}
    assert set(offices.values_list("source", flat=True)) == {"Annex 1"}


def office(key: str) -> Office:
    return Office.objects.get(organisation__slug="iom", key=key)


def test_annex_1_office_rows(iom):
    vienna = office("ro-vienna")
    assert (vienna.name, vienna.region, vienna.head) == (
        "Vienna",
        "South-East. Europe, East. Europe and Central Asia",
        "Renate HELD",
    )
    assert "Eastern Europe, South-Eastern Europe and Central Asia—RO Vienna" in vienna.note
    assert office("ro-san-jose").head == "Michele KLEIN-SOLOMON"
    slo = office("slo-addis-ababa")
    assert (slo.kind, slo.head, slo.is_officer_in_charge) == ("special_liaison", "Jian ZHAO", True)
    un = office("un-new-york")
    assert (un.kind, un.is_vacant, un.head) == ("un_office", True, "")
    assert office("guinea-bissau").is_vacant and office("guinea-bissau").head == ""
    assert office("cameroun").is_accreditation_pending
    assert office("benin").is_non_resident and office("benin").head == "Abibatou WANE"
    sierra = office("sierra-leone")
    assert sierra.is_officer_in_charge
    assert sierra.note == "CO reports directly to RO until further notice"
    assert office("maldives").covered_by == "CoM Sri Lanka"
    assert office("tonga").covered_by == "CoM Australia"
    guyana = office("guyana")
    assert (guyana.name, guyana.function, guyana.note) == (
        "Guyana",
        "coordinating",
        "+ Reg. Coord. Caribbean",
    )
    usa = office("united-states-of-america")
    assert (usa.function, usa.is_officer_in_charge) == ("resource_mobilisation", True)
    czechia = office("czechia")
    assert czechia.is_officer_in_charge and czechia.is_non_resident
    denmark = office("denmark")
    assert (denmark.head, denmark.is_officer_in_charge, denmark.regional_office.key) == (
        "Jacob JORGENSEN",
        True,
        "ro-brussels",
    )
    assert office("mauritius").note == "incl. Seychelles"
    assert "+ Malta" in office("italy").note
    assert office("bhutan").note == "DG's Special Envoy" and office("bhutan").is_non_resident
    assert office("republic-of-moldova").head == "Lars Johan LÖNNBACK"
    assert not Office.objects.filter(name__contains="*").exists()
    functions = Counter(
        Office.objects.filter(organisation__slug="iom")
        .exclude(function="")
        .values_list("function", flat=True)
    )
    assert functions == {"coordinating": 6, "resource_mobilisation": 3}


# --- annex 2 --------------------------------------------------------------------------------------


def test_annex_2_danish_funding(iom):
    table = DonorTable.objects.get(organisation__slug="iom", key="danish-funding-2021")
    assert (table.currency, table.year) == ("USD", 2021)
    rows = FundingRow.objects.filter(table=table).order_by("order")
    assert rows.count() == 25
    assert [r.order for r in rows] == list(range(1, 26))
    assert set(rows.values_list("donor", flat=True)) == {"Denmark"}
    first = rows.first()
    assert (first.title, first.kind, first.amount) == ("Unearmarked income", "unearmarked", 4101050)
    refunds = rows.filter(is_refund=True)
    assert refunds.count() == 7
    assert all(r.amount < 0 for r in refunds)
    assert rows.get(order=19).amount == Decimal("-21")
    assert rows.filter(is_refund=False, amount__lt=0).count() == 0
    earmarked_sum = rows.filter(kind="earmarked").aggregate(s=Sum("amount"))["s"]
    stated = StatedTotal.objects.get(table=table, key="total-earmarked")
    assert earmarked_sum == Decimal("17394702")
    assert stated.amount == Decimal("17394700")
    assert earmarked_sum - stated.amount == 2
    assert StatedTotal.objects.get(table=table, key="total-unearmarked").amount == first.amount
    assert stated.label == "Total: Denmark – Unearmarked and earmarked"


# --- annex 3 --------------------------------------------------------------------------------------


def test_annex_3_unearmarked_table(iom):
    table = DonorTable.objects.get(organisation__slug="iom", key="unearmarked-2017-2024")
    assert table.as_of == date(2022, 4, 8)
    assert "* Pledged but not yet received" in table.notes
    assert "** 2021 figures reflect preliminary unaudited results" in table.notes
    assert "Active multiyear agreement" in table.notes
    donors = UnearmarkedDonor.objects.filter(table=table).order_by("order")
    assert donors.count() == 17
    assert [d.member_state for d in donors[:3]] == ["Sweden", "United Kingdom", "Denmark"]
    assert donors.get(member_state="Sweden").stated_total == million("47.25")
    contributions = UnearmarkedContribution.objects.filter(donor__table=table)
    assert contributions.count() == 86
    dk = {c.year: c for c in contributions.filter(donor__member_state="Denmark")}
    assert sorted(dk) == [2017, 2018, 2019, 2020, 2021, 2022]
    assert dk[2017].amount is None  # printed "-"
    assert (dk[2022].amount, dk[2022].is_pledged) == (million("4.10"), True)
    assert (dk[2021].amount, dk[2021].is_pledged) == (million("4.10"), False)
    for state, total in (("Cyprus", "0.03"), ("Lithuania", "0.06")):
        only = contributions.filter(donor__member_state=state)
        assert [(c.year, c.amount) for c in only] == [(2021, million(total))]
    assert contributions.filter(donor__member_state="Belgium").count() == 8
    # the section-2 statement "only 15 donors provided unearmarked funding in 2021"
    assert contributions.filter(year=2021, amount__isnull=False).count() == 15


def test_annex_3_stated_totals(iom):
    table = DonorTable.objects.get(organisation__slug="iom", key="unearmarked-2017-2024")
    totals = {t.key: t for t in StatedTotal.objects.filter(table=table)}
    assert set(totals) == {f"total-{y}" for y in range(2017, 2025)} | {"grand-total"}
    assert totals["total-2017"].amount == million("14.88")
    assert totals["total-2021"].amount == million("38.79")
    assert totals["grand-total"].amount == million("157.83")
    growth = {y: totals[f"total-{y}"].growth_percent for y in range(2017, 2025)}
    assert growth == {
        2017: None,
        2018: Decimal("102"),
        2019: Decimal("-5"),
        2020: Decimal("10"),
        2021: Decimal("24"),
        2022: None,
        2023: None,
        2024: None,
    }
    # 2017 column sums exactly; stated totals are kept where rounding makes them differ
    computed_2017 = UnearmarkedContribution.objects.filter(donor__table=table, year=2017).aggregate(
        s=Sum("amount")
    )["s"]
    assert computed_2017 == totals["total-2017"].amount


def test_annex_3_top_20_earmarked(iom):
    table = DonorTable.objects.get(organisation__slug="iom", key="earmarked-top20-2021")
    assert table.title == "Earmarked Voluntary Contributions - 2021, Top 20 Donors"
    ranks = EarmarkedDonor.objects.filter(table=table).order_by("rank")
    assert [r.rank for r in ranks] == list(range(1, 21))
    denmark = ranks.get(donor="Denmark")
    assert (denmark.rank, denmark.amount) == (16, Decimal("17417177"))
    assert ranks.first().donor == "European Commission"
    assert ranks.last().donor == "Turkey"
    amounts = [r.amount for r in ranks]
    assert amounts == sorted(amounts, reverse=True)


# --- annex 4 --------------------------------------------------------------------------------------


def node(key: str) -> ResultsNode:
    return ResultsNode.objects.get(
        framework__organisation__slug="iom", framework__slug="srf", key=key
    )


def test_annex_4_framework(iom):
    srf = ResultsFramework.objects.get(organisation__slug="iom", slug="srf")
    assert (srf.name, srf.approved, srf.uses_codes) == (
        "IOM Strategic Results Framework",
        "December 2021",
        True,
    )
    assert srf.nodes.count() == 42
    assert srf.nodes.exclude(code="").count() == 38


def test_annex_4_framework_levels_are_the_column_headings(iom):
    srf = ResultsFramework.objects.get(organisation__slug="iom", slug="srf")
    # Annex 4's columns: IOM objective, Long Term Outcome, Short Term Outcome, Outputs.
    assert srf.level_names == ["Objective", "Long-term outcome", "Short-term outcome", "Output"]
    assert (srf.code_scheme, srf.code_pattern) == ("hierarchical", "")
    assert node("3b.4.4").level_name == "Output"
    with pytest.raises(ValidationError) as refused:
        srf.code_check("tp1")
    assert refused.value.code == "malformed_code"


def test_annex_4_parents_follow_codes(iom):
    assert node("3b.4.4").parent == node("3b.4")
    assert node("3b.4").parent == node("3b")
    assert node("3b").parent == node("3")
    assert node("3").parent is None
    for coded in ResultsNode.objects.exclude(code=""):
        assert coded.key == coded.code
        assert coded.level == node_code_level(coded.code)
        expected = node_code_parent(coded.code)
        assert (coded.parent.code if coded.parent else None) == expected


def test_annex_4_implied_and_misplaced_nodes(iom):
    implied = node("4a.2")
    assert (implied.is_implied, implied.title, implied.status) == (True, "", "defined")
    assert not PriorityAreaNode.objects.filter(node=implied).exists()
    assert list(ResultsNode.objects.filter(is_implied=True)) == [implied]
    assert node("4a.2.1").parent == implied
    assert node("2a.2.1").parent == node("2a.2")
    link = PriorityAreaNode.objects.get(node=node("2a.2.1"))
    assert link.priority_area.number == 4
    assert link.note == "Listed in Annex 4 in the row of short-term outcome 2a.1"
    assert (
        "row of short-term outcome 4a.1" in PriorityAreaNode.objects.get(node=node("4a.2.1")).note
    )


def test_annex_4_titles_as_printed(iom):
    assert node("3b.3").title.endswith(
        "mobility management systems, procedures, decisions and policies"
    )
    assert node("3b.3.2").title == (
        "Document security, identity management, biometric solutions, data management/protection"
    )
    assert node("2b.2.1").title == "Protecting the rights of migrations in vulnerable situations"
    assert node("3b.1.2").title.startswith("Information om Trafficking")


def test_annex_4_area_mapping(iom):
    links = PriorityAreaNode.objects.filter(priority_area__strategy=iom)
    assert Counter(links.values_list("priority_area__number", flat=True)) == {
        1: 4,
        2: 11,
        3: 19,
        4: 8,
    }
    objective_2 = node("2")
    assert sorted(
        PriorityAreaNode.objects.filter(node=objective_2).values_list(
            "priority_area__number", flat=True
        )
    ) == [3, 4]
    area_1 = [link.node for link in links.filter(priority_area__number=1).order_by("order")]
    assert [n.key for n in area_1] == [
        "oe-objective",
        "oe-long-term-outcome",
        "oe-short-term-outcome",
        "oe-output",
    ]
    assert [n.level for n in area_1] == [1, 2, 3, 4]
    assert area_1[0].parent is None
    for parent, child in zip(area_1, area_1[1:], strict=False):
        assert child.parent == parent
    for n in area_1:
        assert (n.status, n.code, n.title, n.section) == (
            "under_development",
            "",
            "",
            "Organizational Effectiveness",
        )
    area_3 = [link.node.key for link in links.filter(priority_area__number=3).order_by("order")]
    assert area_3[:5] == ["2", "2b", "2b.2", "2b.2.1", "2b.2.4"]
    assert area_3[-1] == "3b.4.4"


# --- loading twice --------------------------------------------------------------------------------


def snapshot() -> dict:
    """Return row counts of every model in the four apps, and the natural keys and pks of rows."""
    state = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            rows = model._default_manager.all()
            state[model._meta.label] = rows.count()
            if hasattr(model, "NATURAL_KEY") and model.NATURAL_KEY:
                state[model._meta.label + ":keys"] = sorted(
                    (row.pk, row.natural_key()) for row in rows
                )
    return state


def test_loading_twice_updates_rather_than_duplicates(iom):
    before = snapshot()
    assert before["priorities.Office"] == 171
    assert before["funding.UnearmarkedContribution"] == 86
    Strategy.objects.filter(pk=iom.pk).update(file_number="changed")
    PlannedAmount.objects.filter(line__code="a", year=2023).update(amount=1)

    call_command("loaddata", FIXTURE, verbosity=0)

    assert snapshot() == before
    assert Strategy.objects.get(slug=SLUG).file_number == "2022-18394"
    assert PlannedAmount.objects.get(line__code="a", year=2023).amount == million("48")
    assert BudgetTotal.objects.get(key="total").lines.count() == 3
    assert Risk.objects.get(key="budget-reform").priority_areas.count() == 1
