"""The grid of a year's figures for a priority area, the rating page's figures and "Log 2026"."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from priorities import services
from priorities.choices import YearState
from priorities.models import Evidence, IndicatorProgress
from priorities.selectors import year_in_progress
from strategy_monitor.concurrency import version_token
from tests.priorities.builders import (
    approve,
    area_with_nodes,
    indicator_in,
    media_root,  # noqa: F401
    year_of,
    year_set_state,
)
from tests.priorities.factories import PDF_BYTES, EvidenceFactory, IndicatorProgressFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area_node(strategy):
    return area_with_nodes(strategy)


def grid_url(area, year: int = 2024, **query) -> str:
    url = reverse(
        "priorities:progress_bulk_edit",
        kwargs={"slug": area.strategy.slug, "pk": area.pk, "year": year},
    )
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def area_page(area) -> str:
    return reverse(
        "priorities:priorityarea_detail", kwargs={"slug": area.strategy.slug, "number": area.number}
    )


def row(indicator, target="", actual="", comment="", *, year: int = 2024, files=None) -> dict:
    """Return the POST data of one row of the grid as the page would send it."""
    prefix = f"indicator-{indicator.pk}"
    progress = IndicatorProgress.objects.filter(
        indicator=indicator, strategy_year__year=year
    ).first()
    data = {
        f"{prefix}-target": target,
        f"{prefix}-actual": actual,
        f"{prefix}-comment": comment,
        f"{prefix}-version": version_token(progress) if progress else "",
    }
    if files:
        data[f"{prefix}-files"] = files
    return data


def pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


# What the grid shows


def test_grid_shows_each_indicator_with_unit_baseline_previous_actual_and_evidence(
    client_desk, area_node
):
    area, node = area_node
    first = indicator_in(
        area, node, code="3b.4.1", title="Officials trained", baseline=Decimal("1200")
    )
    first.baseline_year = 2022
    first.save()
    second = indicator_in(area, node, code="3b.4.2", title="Countries supported", unit="%")
    IndicatorProgressFactory(
        indicator=first, strategy_year=year_of(area.strategy, 2023), actual=Decimal("1350.5")
    )
    evidence = EvidenceFactory(
        progress=IndicatorProgressFactory(indicator=first, target=Decimal("1500"), actual=None),
        original_name="Annual report 2024.pdf",
    )

    response = client_desk.get(grid_url(area))

    assert response.status_code == 200
    text = response.text
    assert "3b.4.1" in text and "Officials trained" in text and "number of officials" in text
    assert "1,200" in text and "(2022)" in text
    assert "1,350.5" in text  # 2023's actual, read-only
    assert 'value="1500"' in text
    assert "Annual report 2024.pdf" in text
    assert reverse("priorities:evidence_download", args=[area.strategy.slug, evidence.pk]) in text
    # Labels that name the year and the indicator, for a screen reader moving along the grid.
    assert "2024 actual for 3b.4.1 Officials trained (number of officials)" in text
    assert "2024 narrative for 3b.4.2 Countries supported" in text
    assert "2024 evidence files for 3b.4.2 Countries supported" in text
    forms = response.context["forms"]
    assert [form.indicator for form in forms] == [first, second]
    assert list(forms[0].fields) == ["target", "actual", "comment", "files", "version"]


def test_grid_of_the_first_year_has_no_previous_actual(client_desk, area_node):
    area, node = area_node
    indicator_in(area, node, title="Officials trained")
    response = client_desk.get(grid_url(area, 2023))
    assert "before the strategy" in response.text


def test_grid_switches_between_areas_with_their_missing_actuals(client_desk, strategy, area_node):
    area, node = area_node
    indicator_in(area, node, title="Done")
    IndicatorProgressFactory(indicator=area.indicators.get(), actual=Decimal("3"))
    other, other_node = area_with_nodes(strategy, number=4)
    indicator_in(other, other_node, title="Open one")
    indicator_in(other, other_node, title="Open two")

    response = client_desk.get(grid_url(area))

    switch = response.text.split('class="area-switch"')[1].split("</nav>")[0]
    assert grid_url(other) in switch
    assert "2 actuals missing" in switch
    assert "all actuals in" in switch
    assert 'aria-current="page"' in switch
    # Switching areas keeps the way back to where the desk officer started.
    back = client_desk.get(grid_url(area), {"next": "/my/"}).text
    assert f'href="{grid_url(other)}?next=%2Fmy%2F"' in back.split('class="area-switch"')[1]


# Saving


def test_grid_saves_every_row_with_narrative_and_evidence_and_returns_to_the_area(
    client_desk, area_node, settings
):
    area, node = area_node
    first = indicator_in(area, node, title="First")
    second = indicator_in(area, node, title="Second")
    IndicatorProgressFactory(indicator=second, target=Decimal("5"), actual=None)
    data = {
        **row(first, "10", "9", "Nine of ten trained.", files=[pdf("a.pdf"), pdf("b.pdf")]),
        **row(second, "5", "6", "Ahead of plan."),
    }

    response = client_desk.post(grid_url(area), data)

    assert response.status_code == 302
    assert response["Location"] == area_page(area)
    saved = {
        item.indicator.title: (item.target, item.actual, item.comment)
        for item in IndicatorProgress.objects.select_related("indicator")
    }
    assert saved == {
        "First": (Decimal("10"), Decimal("9"), "Nine of ten trained."),
        "Second": (Decimal("5"), Decimal("6"), "Ahead of plan."),
    }
    stored = Evidence.objects.filter(progress__indicator=first)
    assert sorted(stored.values_list("original_name", flat=True)) == ["a.pdf", "b.pdf"]
    page = client_desk.get(response["Location"]).text
    assert (
        "Figures for 2024 saved for 2 indicators of Priority area 3: Area 3. "
        "2 evidence files added." in page
    )


def test_grid_keeps_unchanged_rows_as_they_are(client_desk, area_node):
    area, node = area_node
    kept = indicator_in(area, node, title="Kept")
    changed = indicator_in(area, node, title="Changed")
    progress = IndicatorProgressFactory(indicator=kept, comment="As before.")
    before = version_token(progress)
    data = {**row(kept, "20", "18", "As before."), **row(changed, "", "4")}

    client_desk.post(grid_url(area), data)

    progress.refresh_from_db()
    assert version_token(progress) == before
    assert IndicatorProgress.objects.get(indicator=changed).actual == Decimal("4")


def test_one_bad_row_refuses_every_row_and_says_why_next_to_its_field(
    client_desk, area_node, settings
):
    area, node = area_node
    first = indicator_in(area, node, title="First")
    second = indicator_in(area, node, title="Share", unit="%")
    data = {
        **row(first, "10", "9", "Fine.", files=[pdf()]),
        **row(second, "50", "120", "Too much."),
    }

    response = client_desk.post(grid_url(area), data)

    assert response.status_code == 200
    assert not IndicatorProgress.objects.exists()
    assert not Evidence.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    forms = response.context["forms"]
    assert forms[1].errors.as_data()["actual"][0].code == "over_100"
    cell = response.text.split(f'id="{forms[1]["actual"].auto_id}"')[1].split("</td>")[0]
    assert "is a percentage and cannot be above 100" in cell
    summary = response.text.split('id="error-summary"')[1].split("</div>")[0]
    assert "Nothing was saved." in summary
    assert summary.count("<li>") == 1
    assert f'href="#{forms[1]["actual"].auto_id}"' in summary
    # What the desk officer typed is kept, to correct rather than retype.
    assert "Too much." in response.text and 'value="9"' in response.text


def test_every_bad_row_is_marked_at_once(client_desk, area_node):
    area, node = area_node
    first = indicator_in(area, node, title="First")
    second = indicator_in(area, node, title="Second")
    response = client_desk.post(
        grid_url(area), {**row(first, "ten", ""), **row(second, "", "lots")}
    )
    forms = response.context["forms"]
    assert forms[0].errors.as_data()["target"][0].code == "invalid"
    assert forms[1].errors.as_data()["actual"][0].code == "invalid"
    summary = response.text.split('id="error-summary"')[1].split("</div>")[0]
    assert summary.count("<li>") == 2


def test_a_disguised_evidence_file_in_the_grid_refuses_every_row(client_desk, area_node):
    area, node = area_node
    first = indicator_in(area, node, title="First")
    second = indicator_in(area, node, title="Second")
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client_desk.post(
        grid_url(area), {**row(first, "1", "1"), **row(second, "2", "2", files=[fake])}
    )
    assert response.status_code == 200
    assert response.context["forms"][1].errors.as_data()["files"]
    assert not IndicatorProgress.objects.exists()


def test_a_row_changed_meanwhile_refuses_every_row(client_desk, area_node):
    area, node = area_node
    first = indicator_in(area, node, title="First")
    second = indicator_in(area, node, title="Second")
    progress = IndicatorProgressFactory(indicator=second, actual=Decimal("1"))
    data = {**row(first, "1", "1"), **row(second, "2", "2")}
    progress.actual = Decimal("7")
    progress.updated_at = progress.updated_at + datetime.timedelta(seconds=5)
    progress.save()

    response = client_desk.post(grid_url(area), data)

    assert response.status_code == 200
    assert response.context["forms"][1].non_field_errors()
    assert not IndicatorProgress.objects.filter(indicator=first).exists()
    progress.refresh_from_db()
    assert progress.actual == Decimal("7")


# Back to where the desk officer was


def test_grid_returns_to_its_next_address(client_desk, area_node):
    area, node = area_node
    indicator = indicator_in(area, node, title="First")
    back = reverse("priorities:assessment_edit", args=[area.strategy.slug, area.pk, 2024])
    page = client_desk.get(grid_url(area, next=back))
    assert f'name="next" value="{back}"' in page.text
    response = client_desk.post(grid_url(area), {**row(indicator, "1", "1"), "next": back})
    assert response["Location"] == back


@pytest.mark.parametrize(
    "target", ["https://evil.example/steal", "//evil.example/", "javascript:x"]
)
def test_grid_ignores_a_next_address_off_the_site(client_desk, area_node, target):
    area, node = area_node
    indicator = indicator_in(area, node, title="First")
    page = client_desk.get(grid_url(area), {"next": target})
    assert "evil.example" not in page.text and "javascript:x" not in page.text
    response = client_desk.post(grid_url(area), {**row(indicator, "1", "1"), "next": target})
    assert response["Location"] == area_page(area)


# Who may use it, and when


@pytest.mark.parametrize(
    "client_name", ["client_finance", "client_mission", "client_manager", "client_outsider"]
)
def test_only_the_strategys_desk_officers_open_or_save_the_grid(request, area_node, client_name):
    area, node = area_node
    indicator = indicator_in(area, node, title="First")
    client = request.getfixturevalue(client_name)
    assert client.get(grid_url(area)).status_code == 403
    assert client.post(grid_url(area), row(indicator, "1", "1")).status_code == 403
    assert not IndicatorProgress.objects.exists()


@pytest.mark.parametrize("state", [YearState.APPROVED, YearState.SUBMITTED])
def test_grid_of_a_closed_year_is_read_only(client_desk, area_node, state):
    area, node = area_node
    indicator = indicator_in(area, node, title="First")
    IndicatorProgressFactory(indicator=indicator, actual=Decimal("18"), comment="Shown as text.")
    year_set_state(area.strategy, 2024, state)

    page = client_desk.get(grid_url(area))

    assert "Save 2024 figures" not in page.text
    assert "<textarea" not in page.text and 'type="file"' not in page.text
    assert "Shown as text." in page.text and "18" in page.text
    response = client_desk.post(grid_url(area), row(indicator, "1", "1"))
    assert response.status_code == 200
    assert "so this change was not saved" in response.text
    assert IndicatorProgress.objects.get().actual == Decimal("18")


@pytest.mark.parametrize("rows", [2, 20])
def test_grid_query_count_does_not_grow_with_the_indicators(
    client_desk, django_assert_num_queries, strategy, area_node, rows
):
    area, node = area_node
    area_with_nodes(strategy, number=4)
    for number in range(rows):
        indicator = indicator_in(area, node, title=f"Indicator {number}")
        IndicatorProgressFactory(indicator=indicator, strategy_year=year_of(strategy, 2023))
        EvidenceFactory(progress=IndicatorProgressFactory(indicator=indicator))
    # session, user, strategy, user's team roles, user's groups; the area; the year;
    # indicators with their node; this and last year's figures; their evidence; the areas of
    # the strategy with their counts of missing actuals (for the switcher).
    with django_assert_num_queries(11):
        response = client_desk.get(grid_url(area))
    assert response.status_code == 200
    assert len(response.context["forms"]) == rows


# The rating page shows the year's figures


def test_rating_page_shows_the_years_figures_with_a_way_to_the_grid_and_back(
    client_desk, area_node
):
    area, node = area_node
    indicator = indicator_in(area, node, code="3b.4.1", title="Officials trained")
    IndicatorProgressFactory(
        indicator=indicator, strategy_year=year_of(area.strategy, 2023), actual=Decimal("77")
    )
    IndicatorProgressFactory(indicator=indicator, target=Decimal("90"), actual=Decimal("88"))
    url = reverse("priorities:assessment_edit", args=[area.strategy.slug, area.pk, 2024])

    text = client_desk.get(url).text

    figures = text.split('id="figures-heading"')[1].split('id="rating-heading"')[0]
    assert "Officials trained" in figures
    for value in ("100", "77", "90", "88"):  # baseline, 2023 actual, target, actual
        assert f'<td class="num">{value}' in figures
    assert figures.index("Officials trained") < text.index('name="rating"') - len(
        text.split('id="figures-heading"')[0]
    )
    assert f"{grid_url(area)}?next=" in figures
    assert "Enter or change the 2024 figures" in figures


# "Log 2026" on the overview


def overview(client, strategy):
    return client.get(reverse("priorities:strategy_detail", args=[strategy.slug])).text


@time_machine.travel(datetime.date(2026, 6, 30))
def test_overview_takes_the_desk_officer_to_the_grid_of_the_year_in_progress(client_desk, strategy):
    empty, _ = area_with_nodes(strategy, number=1)
    area, node = area_with_nodes(strategy, number=2)
    indicator_in(area, node, title="First")
    text = overview(client_desk, strategy)
    assert f'href="{grid_url(area, 2026)}">Log 2026</a>' in text
    assert grid_url(empty, 2026) not in text


@time_machine.travel(datetime.date(2026, 6, 30))
def test_overview_offers_no_log_to_other_roles_or_once_the_year_is_submitted(
    client_desk, client_finance, client_manager, strategy, area_node
):
    area, node = area_node
    indicator_in(area, node, title="First")
    assert "Log 2026" not in overview(client_finance, strategy)
    assert "Log 2026" not in overview(client_manager, strategy)
    year_set_state(strategy, 2026, YearState.SUBMITTED)
    assert "Log 2026" not in overview(client_desk, strategy)


def test_year_in_progress_is_this_year_while_it_is_a_draft(strategy):
    years = list(strategy.strategy_years.all())
    assert year_in_progress(years, today=datetime.date(2026, 6, 30)).year == 2026
    assert year_in_progress(years, today=datetime.date(2024, 1, 2)).year == 2024
    assert year_in_progress(years, today=datetime.date(2029, 3, 1)).year == 2026
    assert year_in_progress(years, today=datetime.date(2022, 3, 1)) is None
    approve(strategy, 2026)
    assert (
        year_in_progress(list(strategy.strategy_years.all()), today=datetime.date(2026, 6, 30))
        is None
    )


@pytest.mark.parametrize("rows", [2, 20])
def test_rating_page_query_count_does_not_grow_with_the_indicators(
    client_desk, django_assert_num_queries, area_node, rows
):
    area, node = area_node
    for number in range(rows):
        indicator = indicator_in(area, node, title=f"Indicator {number}")
        EvidenceFactory(progress=IndicatorProgressFactory(indicator=indicator))
    url = reverse("priorities:assessment_edit", args=[area.strategy.slug, area.pk, 2024])
    # session, user, strategy, user's team roles, user's groups; the area; the year; the
    # rating; indicators with their node; this and last year's figures; their evidence.
    with django_assert_num_queries(11):
        response = client_desk.get(url)
    assert len(response.context["figures"]) == rows


def test_year_figures_save_refuses_a_row_of_another_area_and_keeps_none(strategy, area_node, desk):
    area, node = area_node
    mine = indicator_in(area, node, title="Mine")
    other, other_node = area_with_nodes(strategy, number=4)
    theirs = indicator_in(other, other_node, title="Theirs")
    rows = [
        services.FiguresRow(indicator=mine, target=Decimal("1"), actual=Decimal("1"), version=""),
        services.FiguresRow(indicator=theirs, target=Decimal("2"), actual=None, version=""),
    ]
    with pytest.raises(services.FiguresRowError) as caught:
        services.year_figures_save(priority_area=area, year=2024, rows=rows, user=desk)
    assert caught.value.row == 1
    assert caught.value.error_list[0].code == "other_area"
    assert not IndicatorProgress.objects.exists()
