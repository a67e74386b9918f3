"""The workbook's Overview sheet labels demo team members and counts among illustrative sheets."""

import io

import openpyxl
import pytest
from django.core.management import call_command

from demo.loader import DEMO_USERS, demo_load
from priorities.choices import TeamRole
from priorities.models import Strategy, TeamMembership
from reports import layout
from reports.builders import workbook_build
from reports.render.xlsx import workbook_xlsx
from tests.priorities.factories import UserFactory

pytestmark = pytest.mark.django_db


def team_table(sheet) -> list[dict]:
    """Return the rows of the Overview sheet's team table, read back from the file."""
    title_row = next(row for row in range(1, sheet.max_row + 1) if sheet[f"A{row}"].value == "Team")
    header = [cell.value for cell in sheet[title_row + 1] if cell.value]
    rows = []
    for number in range(title_row + 2, sheet.max_row + 1):
        values = [sheet.cell(row=number, column=index + 1).value for index in range(len(header))]
        if not values[0]:
            break
        rows.append(dict(zip(header, values, strict=True)))
    return rows


def demo_member(strategy, role: str) -> TeamMembership:
    """Put the demo data's account for `role` on the team, as the demo data does."""
    spec = next(user for user in DEMO_USERS if user.team_role == role)
    user = UserFactory(username=spec.username, first_name=spec.first_name, last_name=spec.last_name)
    return TeamMembership.objects.create(
        strategy=strategy, user=user, role=role, is_illustrative=True
    )


def test_demo_team_members_are_labelled_and_overview_is_an_illustrative_sheet(strategy):
    demo_member(strategy, TeamRole.DESK_OFFICER)
    TeamMembership.objects.create(
        strategy=strategy, user=UserFactory(username="lea"), role=TeamRole.DESK_OFFICER
    )
    report = workbook_build(strategy=strategy)
    team = {
        row["username"]: row["is_illustrative"]
        for row in report.sheet("Overview").table("team").rows
    }
    assert team == {"desk": True, "lea": False}
    assert report.illustrative_sheets[0] == layout.OVERVIEW

    sheet = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(report)))[layout.OVERVIEW]
    assert f"Illustrative data on the sheets {layout.OVERVIEW}" in sheet["A3"].value
    labels = {row["User name"]: row["Illustrative"] for row in team_table(sheet)}
    assert labels == {"desk": layout.YES, "lea": layout.NO}


def test_overview_is_not_listed_as_illustrative_without_demo_team_members(strategy):
    # A user called "desk" is no demo account unless the demo data put it on the team.
    TeamMembership.objects.create(
        strategy=strategy, user=UserFactory(username="desk"), role=TeamRole.DESK_OFFICER
    )
    report = workbook_build(strategy=strategy)
    assert layout.OVERVIEW not in report.illustrative_sheets
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(report)))[layout.OVERVIEW]
    assert sheet["A3"].value == "The workbook holds no illustrative data."


def test_demo_data_team_is_labelled_beside_the_documents_officers():
    call_command("loaddata", "iom_2023_2026", verbosity=0)
    strategy = Strategy.objects.get(slug="iom-2023-2026")
    demo_load(strategy=strategy, password="x")
    report = workbook_build(strategy=strategy)
    team = report.sheet(layout.OVERVIEW).table("team").rows
    assert {row["username"] for row in team} >= {"desk", "finance"}
    assert all(row["is_illustrative"] for row in team)
    # The document's own officers stay in the strategy table, unlabelled.
    fields = {
        row["field"]: row["value"] for row in report.sheet(layout.OVERVIEW).table("strategy").rows
    }
    assert fields["Desk officer"] == "Lea Rasmussen"
    assert layout.OVERVIEW in report.illustrative_sheets
