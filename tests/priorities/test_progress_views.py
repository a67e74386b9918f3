"""The priority area page, its indicator table and the progress forms: content, rules, queries."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from priorities.choices import DefinitionStatus, PriorityKind, Rating
from priorities.models import Assessment, Indicator, IndicatorProgress, PriorityArea
from strategy_monitor.concurrency import version_token
from tests.priorities.builders import (
    approve,
    area_with_nodes,
    indicator_in,
    media_root,  # noqa: F401
    year_of,
)
from tests.priorities.factories import (
    AssessmentFactory,
    EvidenceFactory,
    IndicatorProgressFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def area_node(strategy):
    return area_with_nodes(strategy)


@pytest.fixture
def area(area_node):
    return area_node[0]


@pytest.fixture
def indicator(area_node):
    area, node = area_node
    return indicator_in(area, node, title="Border officials trained", code="3b.4.a")


def area_url(area) -> str:
    return reverse(
        "priorities:priorityarea_detail", kwargs={"slug": area.strategy.slug, "number": area.number}
    )


def progress_url(indicator, year: int = 2024) -> str:
    return reverse(
        "priorities:progress_edit",
        kwargs={"slug": indicator.priority_area.strategy.slug, "pk": indicator.pk, "year": year},
    )


def rating_url(area, year: int = 2024) -> str:
    return reverse(
        "priorities:assessment_edit",
        kwargs={"slug": area.strategy.slug, "pk": area.pk, "year": year},
    )


# The priority area page


def test_area_page_shows_text_tree_ratings_and_indicators(client_manager, area, indicator):
    area.text = "First paragraph.\n\nSecond paragraph."
    area.save()
    IndicatorProgressFactory(
        indicator=indicator, strategy_year=year_of(area.strategy, 2025), target=40, actual=None
    )
    AssessmentFactory(
        priority_area=area, rating=Rating.SOME_DELAYS, narrative="Delays in procurement"
    )
    response = client_manager.get(area_url(area))
    text = response.text
    assert response.status_code == 200
    assert "Second paragraph." in text
    assert "Objective 3" in text and "Short-term outcome 3b.4" in text
    assert "Some delays" in text and "Delays in procurement" in text
    assert "Border officials trained" in text
    for year in (2023, 2024, 2025, 2026):
        assert f"Target {year}" in text and f"Actual {year}" in text
    assert ">40<" in text


def test_area_page_marks_under_development_and_implied_nodes(client_desk, strategy):
    area, node = area_with_nodes(strategy, under_development=True)
    node.parent.is_implied = True
    node.parent.title = ""
    node.parent.save()
    response = client_desk.get(area_url(area))
    assert "Under development" in response.text
    assert "Implied, not listed" in response.text


def test_cross_cutting_priority_has_a_page_by_slug(client_desk, strategy):
    area = PriorityArea.objects.create(
        strategy=strategy, kind=PriorityKind.CROSS_CUTTING, slug="gender", title="Gender"
    )
    url = reverse(
        "priorities:priorityarea_detail_by_slug", kwargs={"slug": strategy.slug, "area": "gender"}
    )
    response = client_desk.get(url)
    assert response.status_code == 200
    assert "Cross-cutting priority" in response.text
    assert (
        f'href="{url}"'
        in client_desk.get(
            reverse("priorities:priorityarea_list", kwargs={"slug": strategy.slug})
        ).text
    )
    assert area.pk


def test_unknown_area_is_not_found(client_desk, strategy):
    url = reverse("priorities:priorityarea_detail", kwargs={"slug": strategy.slug, "number": 9})
    assert client_desk.get(url).status_code == 404


def test_illustrative_figures_are_labelled(client_desk, indicator):
    IndicatorProgressFactory(indicator=indicator, is_illustrative=True)
    text = client_desk.get(area_url(indicator.priority_area)).text
    assert "illustrative-banner" in text
    assert 'class="illustrative"' in text


def test_indicator_table_filters_by_node_and_status(client_desk, area_node):
    area, node = area_node
    under = indicator_in(
        area, node, title="Still developing", status=DefinitionStatus.UNDER_DEVELOPMENT
    )
    other = indicator_in(area, node.parent, title="On the outcome")
    url = area_url(area)
    text = client_desk.get(url, {"status": DefinitionStatus.UNDER_DEVELOPMENT}).text
    assert under.title in text and other.title not in text
    text = client_desk.get(url, {"node": node.pk}).text
    assert under.title in text and other.title not in text
    text = client_desk.get(url, {"node": node.parent.pk}).text
    assert under.title in text and other.title in text


def test_year_filter_narrows_the_columns(client_desk, indicator):
    text = client_desk.get(area_url(indicator.priority_area), {"year": 2024}).text
    assert "Target 2024" in text
    assert "Target 2023" not in text and "Actual 2026" not in text


def test_indicator_table_sorts_by_a_year_actual(client_desk, area_node):
    area, node = area_node
    low = indicator_in(area, node, title="Low one")
    high = indicator_in(area, node, title="High one")
    IndicatorProgressFactory(indicator=low, actual=5)
    IndicatorProgressFactory(indicator=high, actual=50)
    text = client_desk.get(area_url(area), {"sort": "-actual_2024"}).text
    assert text.index("High one") < text.index("Low one")
    text = client_desk.get(area_url(area), {"sort": "actual_2024"}).text
    assert text.index("Low one") < text.index("High one")


def test_indicator_table_exports_csv_with_every_year(client_desk, indicator):
    IndicatorProgressFactory(indicator=indicator, target=Decimal("20"), actual=Decimal("18.5"))
    response = client_desk.get(area_url(indicator.priority_area), {"_export": "csv"})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Code,Indicator,Unit,Node,Definition,Baseline,Baseline year")
    assert "Target 2026,Actual 2026" in lines[0]
    assert "18.5" in lines[1] and "Border officials trained" in lines[1]


def test_indicator_table_exports_xlsx_with_formulas_neutralised(client_desk, area_node):
    area, node = area_node
    indicator_in(area, node, title='=HYPERLINK("x")')
    response = client_desk.get(area_url(area), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    titles = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert titles[0] == "Indicator"
    assert titles[1].startswith("'=")


def populate(area, node, rows: int) -> None:
    for number in range(rows):
        indicator = indicator_in(area, node, title=f"Indicator {number}")
        for year in area.strategy.strategy_years.all():
            progress = IndicatorProgressFactory(
                indicator=indicator, strategy_year=year, is_illustrative=True
            )
            EvidenceFactory(progress=progress)
        AssessmentFactory.create(
            priority_area=area, strategy_year=year_of(area.strategy, 2023)
        ) if (number == 0) else None


@pytest.mark.parametrize("rows", [2, 20])
def test_area_page_query_count_does_not_grow_with_the_data(
    client_desk, django_assert_num_queries, area_node, rows
):
    area, node = area_node
    populate(area, node, rows)
    # session, user, strategy, user's groups, user's team roles; the area; strategy years;
    # mapped node ids, framework node parents (the nodes the area follows, for the filter);
    # area-node links, framework nodes, assessments (tree and ratings); paginator count, page
    # of indicators with their node and per-year figures and evidence counts (subqueries);
    # node choices of the filter.
    with django_assert_num_queries(15):
        response = client_desk.get(area_url(area))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_indicator_export_query_count_does_not_grow_with_the_data(
    client_desk, django_assert_num_queries, area_node, rows
):
    area, node = area_node
    populate(area, node, rows)
    # session, user, strategy, user's groups, user's team roles; the area; strategy years;
    # mapped node ids, framework node parents; area-node links, framework nodes, assessments;
    # count and page of indicators (the page context is built before the export replaces
    # it); count and every indicator with its node and per-year figures, for the export.
    with django_assert_num_queries(16):
        response = client_desk.get(area_url(area), {"_export": "csv"})
    assert response.status_code == 200
    assert len(response.content.decode().splitlines()) == rows + 1


# Entering figures


def post_progress(client, indicator, year=2024, **data):
    data.setdefault("target", "20")
    data.setdefault("actual", "18")
    progress = IndicatorProgress.objects.filter(
        indicator=indicator, strategy_year__year=year
    ).first()
    data.setdefault("version", version_token(progress) if progress else "")
    return client.post(progress_url(indicator, year), data)


def test_desk_officer_enters_figures_and_sees_a_confirmation(client_desk, indicator):
    response = post_progress(client_desk, indicator, comment="Above plan", source="Report p. 4")
    assert response.status_code == 302
    progress = IndicatorProgress.objects.get()
    assert (progress.target, progress.actual, progress.source) == (20, 18, "Report p. 4")
    page = client_desk.get(response.url)
    assert "Figures for 2024 saved: 3b.4.a Border officials trained." in page.text


@pytest.mark.parametrize("value", ["abc", "12.5.3", "1 0 0,0,0", "ten"])
def test_non_numeric_figure_gets_a_field_error(client_desk, indicator, value):
    response = post_progress(client_desk, indicator, actual=value)
    assert response.status_code == 200
    assert "Enter a number, such as 12, 12.5 or 12,5" in response.text
    assert response.context["form"].errors.as_data()["actual"][0].code == "invalid"
    assert not IndicatorProgress.objects.exists()


@pytest.mark.parametrize(("value", "actual"), [("12,5", Decimal("12.5")), ("1 000", 1000)])
def test_a_figure_written_the_danish_way_is_saved(client_desk, indicator, value, actual):
    assert post_progress(client_desk, indicator, actual=value).status_code == 302
    assert IndicatorProgress.objects.get().actual == actual


def test_negative_figure_gets_a_field_error(client_desk, indicator):
    response = post_progress(client_desk, indicator, actual="-5")
    assert response.context["form"].errors.as_data()["actual"][0].code == "negative"
    assert not IndicatorProgress.objects.exists()


def test_year_outside_the_strategy_is_not_found(client_desk, indicator):
    assert client_desk.get(progress_url(indicator, 2030)).status_code == 404
    assert post_progress(client_desk, indicator, year=2030).status_code == 404


def test_edit_of_a_locked_year_is_refused_on_the_form(client_desk, indicator):
    IndicatorProgressFactory(indicator=indicator)
    approve(indicator.priority_area.strategy)
    page = client_desk.get(progress_url(indicator))
    assert "2024 is approved and locked" in page.text
    assert "Save 2024" not in page.text
    response = post_progress(client_desk, indicator, actual="99")
    assert response.status_code == 200
    assert "2024 is approved and locked, so this change was not saved" in response.text
    assert response.context["form"].errors.as_data()["__all__"][0].code == "year_locked"
    assert IndicatorProgress.objects.get().actual == 18


def test_stale_edit_is_refused_on_the_form_with_what_changed(client_desk, indicator):
    progress = IndicatorProgressFactory(indicator=indicator)
    stale = version_token(progress)
    progress.actual = Decimal("25")
    progress._history_user = UserFactory(username="lea", first_name="Lea", last_name="Holm")
    progress.save()
    response = post_progress(client_desk, indicator, actual="30", version=stale)
    assert response.status_code == 200
    assert "Someone else saved this record after you opened it" in response.text
    assert "Lea Holm" in response.text
    assert IndicatorProgress.objects.get().actual == 25
    # The refused form now carries the current version: saving again is deliberate.
    assert response.context["form"].data["version"] == version_token(
        IndicatorProgress.objects.get()
    )


def test_rating_form_saves_and_confirms(client_desk, area):
    response = client_desk.post(
        rating_url(area),
        {"rating": Rating.SOME_DELAYS, "narrative": "Procurement delays", "version": ""},
        follow=True,
    )
    assert "Rating of Priority area 3: Area 3 for 2024 saved: Some delays." in response.text
    assert Assessment.objects.get().rating == Rating.SOME_DELAYS


def test_rating_without_narrative_gets_a_field_error(client_desk, area):
    response = client_desk.post(
        rating_url(area), {"rating": Rating.OFF_TRACK, "narrative": "", "version": ""}
    )
    assert response.context["form"].errors.as_data()["narrative"][0].code == "narrative_required"


def test_rating_of_a_locked_year_is_refused_on_the_form(client_desk, area):
    approve(area.strategy)
    response = client_desk.post(
        rating_url(area), {"rating": Rating.ON_TRACK, "narrative": "x", "version": ""}
    )
    assert "2024 is approved and locked" in response.text
    assert not Assessment.objects.exists()


# Defining indicators


def test_indicator_is_defined_under_a_node_under_development(client_desk, strategy):
    area, node = area_with_nodes(strategy, under_development=True)
    url = reverse("priorities:indicator_create", kwargs={"slug": strategy.slug, "pk": area.pk})
    response = client_desk.post(
        url,
        {
            "node": node.pk,
            "code": "",
            "title": "",
            "unit": "number of countries",
            "baseline": "",
            "baseline_year": "",
            "direction": "increase",
            "status": DefinitionStatus.UNDER_DEVELOPMENT,
            "source": "",
            "version": "",
        },
        follow=True,
    )
    assert "defined" in response.text
    indicator = Indicator.objects.get()
    assert indicator.node == node and indicator.status == DefinitionStatus.UNDER_DEVELOPMENT


def test_indicator_on_a_node_the_area_does_not_follow_is_refused(client_desk, strategy, area):
    other_area, other_node = area_with_nodes(strategy, number=4)
    url = reverse("priorities:indicator_create", kwargs={"slug": strategy.slug, "pk": area.pk})
    response = client_desk.post(
        url,
        {
            "node": other_node.pk,
            "title": "x",
            "direction": "increase",
            "status": "defined",
            "version": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["node"][0].code == "invalid_choice"
    assert not Indicator.objects.exists()
    assert other_area.pk


def test_indicator_definition_with_a_negative_baseline_is_refused(client_desk, area, indicator):
    url = reverse(
        "priorities:indicator_update", kwargs={"slug": area.strategy.slug, "pk": indicator.pk}
    )
    response = client_desk.post(
        url,
        {
            "node": indicator.node_id,
            "code": indicator.code,
            "title": indicator.title,
            "unit": "number",
            "baseline": "-4",
            "direction": "increase",
            "status": "defined",
            "version": version_token(indicator),
        },
    )
    assert response.context["form"].errors.as_data()["baseline"][0].code == "negative"


# Entering a year for every indicator of an area at once


def bulk_url(area, year: int = 2024) -> str:
    return reverse(
        "priorities:progress_bulk_edit",
        kwargs={"slug": area.strategy.slug, "pk": area.pk, "year": year},
    )


def bulk_data(rows: dict) -> dict:
    data = {}
    for indicator, (target, actual) in rows.items():
        prefix = f"indicator-{indicator.pk}"
        progress = IndicatorProgress.objects.filter(
            indicator=indicator, strategy_year__year=2024
        ).first()
        data[f"{prefix}-target"] = target
        data[f"{prefix}-actual"] = actual
        data[f"{prefix}-version"] = version_token(progress) if progress else ""
    return data


def test_year_figures_of_all_indicators_are_saved_together(client_desk, area_node):
    area, node = area_node
    first = indicator_in(area, node, title="First")
    second = indicator_in(area, node, title="Second")
    IndicatorProgressFactory(indicator=second, target=Decimal("5"), actual=None)
    response = client_desk.post(
        bulk_url(area), bulk_data({first: ("10", "9"), second: ("5", "6")}), follow=True
    )
    assert "Figures for 2024 saved for 2 indicators of Priority area 3" in response.text
    assert dict(IndicatorProgress.objects.values_list("indicator__title", "actual")) == {
        "First": Decimal("9"),
        "Second": Decimal("6"),
    }


def test_year_figures_are_all_or_nothing(client_desk, area_node):
    area, node = area_node
    first = indicator_in(area, node, title="First")
    second = indicator_in(area, node, title="Second", unit="%")
    response = client_desk.post(
        bulk_url(area), bulk_data({first: ("10", "9"), second: ("50", "120")})
    )
    assert response.status_code == 200
    assert "is a percentage and cannot be above 100" in response.text
    assert not IndicatorProgress.objects.exists()


def test_year_figures_of_a_locked_year_are_refused(client_desk, area_node):
    area, node = area_node
    first = indicator_in(area, node, title="First")
    approve(area.strategy)
    page = client_desk.get(bulk_url(area))
    assert "2024 is approved and locked" in page.text
    assert "Save 2024 figures" not in page.text
    response = client_desk.post(bulk_url(area), bulk_data({first: ("10", "9")}))
    assert "2024 is approved and locked, so this change was not saved" in response.text
    assert not IndicatorProgress.objects.exists()
