"""Writing the partner and the strategy, with its years, team and SDGs."""

from django.db import models
from django.utils import timezone

from priorities.models import Organisation, RelevantSDG, Strategy, StrategyYear, TeamMembership
from priorities.services import RESERVED_SLUGS
from reports import layout

from ._common import CHANGE_REASON, _label

IMPORT_RESERVED_SLUGS = {*RESERVED_SLUGS, "import"}


class _StrategyWriter:
    """Write the partner, the strategy and its years, team and SDGs."""

    def strategy_write(self) -> bool:
        values = self.values
        rows = self.parsed.strategy_rows
        slug = values["slug"]
        if slug in IMPORT_RESERVED_SLUGS:
            self.problem(
                layout.OVERVIEW,
                rows.get("slug"),
                "B (Value)",
                f"“{slug}” is reserved; choose another strategy slug.",
                "reserved_slug",
            )
            return False
        organisation = Organisation.objects.filter(slug=values["organisation_slug"]).first()
        organisation = self.save(
            organisation or Organisation(slug=values["organisation_slug"]),
            sheet=layout.OVERVIEW,
            table="strategy",
            row=rows,
            values={
                "name": values["organisation_name"],
                "acronym": values["organisation_acronym"],
            },
            columns={
                "name": "organisation_name",
                "acronym": "organisation_acronym",
                "slug": "organisation_slug",
            },
        )
        if organisation is None:
            return False
        self.organisation = organisation
        strategy = Strategy.objects.filter(slug=slug).first()
        if strategy is not None:
            if strategy.organisation_id != organisation.pk:
                self.problem(
                    layout.OVERVIEW,
                    rows.get("organisation_slug"),
                    "B (Value)",
                    f"The strategy {slug} belongs to another partner "
                    f"({strategy.organisation.slug}).",
                    "other_organisation",
                )
                return False
            if (strategy.start_year, strategy.end_year) != (
                values["start_year"],
                values["end_year"],
            ):
                self.problem(
                    layout.OVERVIEW,
                    rows.get("start_year"),
                    "B (Value)",
                    f"The strategy runs {strategy.period}; the workbook says "
                    f"{values['start_year']}-{values['end_year']}. Change the period on the "
                    "strategy's set-up page first.",
                    "period_differs",
                )
                return False
        else:
            strategy = Strategy(slug=slug, organisation=organisation)
            self.strategy_created = True
        fields = {
            item.key: values.get(item.key)
            for item in layout.STRATEGY_FIELDS
            if item.key in values
            and item.key
            not in (
                "organisation_slug",
                "organisation_name",
                "organisation_acronym",
                "slug",
                "sdgs",
            )
        }
        for name, value in list(fields.items()):
            model_field = Strategy._meta.get_field(name)
            if value is None and not model_field.null:
                fields[name] = False if isinstance(model_field, models.BooleanField) else ""
        strategy = self.save(
            strategy,
            sheet=layout.OVERVIEW,
            table="strategy",
            row=rows,
            values=fields,
        )
        if strategy is None:
            return False
        self.strategy = strategy
        goals = [part.strip() for part in (values.get("sdgs") or "").split(",") if part.strip()]
        present = set(strategy.sdgs.values_list("goal", flat=True))
        for goal in goals:
            if not goal.isdigit() or not 1 <= int(goal) <= 17:
                self.problem(
                    layout.OVERVIEW,
                    rows.get("sdgs"),
                    "B (Value)",
                    f"Expected SDG numbers from 1 to 17 separated by commas, found {goal!r}.",
                    "sdg",
                )
                continue
            if int(goal) not in present:
                self.save(
                    RelevantSDG(strategy=strategy, goal=int(goal)),
                    sheet=layout.OVERVIEW,
                    table="strategy",
                    row=rows,
                    values={},
                )
        return True

    def years_write(self):
        strategy = self.strategy
        existing = {row.year: row for row in strategy.strategy_years.all()}
        listed = {row["year"]: row for row in self.rows("years")}
        self.strategy_years = {}
        for year in self.years:
            row = listed.get(year)
            instance = existing.get(year) or StrategyYear(strategy=strategy, year=year)
            values = {}
            if row is not None:
                values = {
                    "planned_commitment": row["planned_commitment"],
                    "planned_disbursement": row["planned_disbursement"],
                }
            saved = self.save(
                instance,
                sheet=layout.OVERVIEW,
                table="years",
                row=row.number if row else None,
                values=values,
            )
            if saved is not None:
                self.strategy_years[year] = saved
        for year, row in listed.items():
            if year not in self.years:
                self.problem(
                    layout.OVERVIEW,
                    row,
                    self.where("years", "year"),
                    f"{year} is outside the strategy period {self.years[0]}-{self.years[-1]}.",
                    "outside_period",
                )

    def team_write(self):
        present = set(
            TeamMembership.objects.filter(strategy=self.strategy).values_list(
                "user__username", "role"
            )
        )
        for row in self.rows("team"):
            user = self.person(layout.OVERVIEW, row, "username", "team")
            if user is None or (user.username, row["role"]) in present:
                if user is not None:
                    self.unchanged[_label(TeamMembership)] += 1
                continue
            self.save(
                TeamMembership(
                    strategy=self.strategy,
                    user=user,
                    role=row["role"],
                    is_illustrative=bool(row["is_illustrative"]),
                ),
                sheet=layout.OVERVIEW,
                table="team",
                row=row.number,
                values={},
                columns={"user": "username"},
            )
        self.team = set(
            TeamMembership.objects.filter(strategy=self.strategy).values_list(
                "user__username", flat=True
            )
        )

    def states_write(self):
        listed = {row["year"]: row for row in self.rows("years")}
        now = timezone.now()
        for year, strategy_year in self.strategy_years.items():
            row = listed.get(year)
            if row is None or not row["state"] or row["state"] == strategy_year.state:
                continue
            self.save(
                strategy_year,
                sheet=layout.OVERVIEW,
                table="years",
                row=row.number,
                values={
                    "state": row["state"],
                    "state_changed_at": now,
                    "state_changed_by": self.user,
                    "state_comment": CHANGE_REASON,
                },
            )
