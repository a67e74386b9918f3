"""Writing the records that people own: risks, meetings and action points."""

from collections import defaultdict

from engagement import services
from engagement.models import ActionPoint, GoverningBody, Meeting
from reports import layout
from risks.models import Risk

from .reading import Row
from .results import Problem


class _EngagementWriter:
    """Write the risks, the meetings and the action points."""

    def owner(self, sheet: str, table: str, row: Row):
        user = self.person(sheet, row, "owner", table)
        if user is not None and user.username not in self.team:
            self.problem(
                sheet,
                row,
                self.where(table, "owner"),
                f"{user.username} is not on the strategy's team: expected the name or user name "
                "of a team member (see the table Team on the sheet Overview).",
                "not_on_team",
            )
            return None
        return user

    def risks_write(self):
        existing = {risk.key: risk for risk in Risk.objects.filter(strategy=self.strategy)}
        for row in self.rows("risks"):
            values = {
                "title": row["title"],
                "category": row["category"] or "",
                "description": row["description"] or "",
                "response": row["response"] or "",
                "likelihood": row["likelihood"],
                "impact": row["impact"],
                "residual_likelihood": row["residual_likelihood"],
                "residual_impact": row["residual_impact"],
                "residual_justification": row["residual_justification"] or "",
                "status": row["status"] or "open",
                "closed_reason": row["closed_reason"] or "",
                "next_review": row["next_review"],
                "owner": self.owner(layout.RISKS, "risks", row),
                "rating_is_illustrative": bool(row["rating_is_illustrative"]),
                "order": row["order"] or 0,
            }
            risk = self.save(
                existing.get(row["key"]) or Risk(strategy=self.strategy, key=row["key"]),
                sheet=layout.RISKS,
                table="risks",
                row=row.number,
                values=values,
                exclude=("score", "residual_score"),
            )
            if risk is None:
                continue
            linked = set(risk.priority_areas.values_list("slug", flat=True))
            for slug in (part.strip() for part in (row["priority_areas"] or "").split(",")):
                if not slug or slug in linked:
                    continue
                area = self.areas.get(slug)
                if area is None:
                    self.problem(
                        layout.RISKS,
                        row,
                        self.where("risks", "priority_areas"),
                        f'No priority area "{slug}": expected slugs from the sheet Priority '
                        "areas, separated by commas.",
                        "unknown_area",
                    )
                    continue
                risk.priority_areas.add(area)

    def body_create(self, name: str, row: Row, order: int):
        """Add a governing body the workbook names and the partner lacks, with a warning."""
        taken = set(
            GoverningBody.objects.filter(organisation=self.organisation).values_list(
                "key", flat=True
            )
        )
        key = services.body_key_new(name, taken)
        body = self.save(
            GoverningBody(organisation=self.organisation, key=key, name=name, order=order + 1),
            sheet=layout.ACTIONS,
            table="meetings",
            row=row.number,
            values={},
            columns={"name": "body", "key": "body"},
        )
        if body is not None:
            self.warnings.append(
                Problem(
                    layout.ACTIONS,
                    row.number,
                    self.where("meetings", "body"),
                    f'The partner had no governing body "{name}": it was added, meeting once a '
                    "year; set its sessions on the strategy's set-up page Rhythm.",
                    "body_created",
                )
            )
        return body

    def engagement_write(self):
        meetings = {
            (meeting.title, meeting.held_on): meeting
            for meeting in Meeting.objects.filter(strategy=self.strategy)
        }
        bodies = {}
        for body in GoverningBody.objects.filter(organisation=self.organisation):
            for name in (body.key, body.name, body.short_name):
                if name:
                    bodies.setdefault(name.casefold(), body)
        for row in self.rows("meetings"):
            body = None
            if row["body"]:
                body = bodies.get(str(row["body"]).strip().casefold())
                if body is None:
                    body = self.body_create(str(row["body"]).strip(), row, len(bodies))
                    if body is None:
                        continue
                    bodies[body.name.casefold()] = body
            saved = self.save(
                meetings.get((row["title"], row["held_on"]))
                or Meeting(strategy=self.strategy, title=row["title"], held_on=row["held_on"]),
                sheet=layout.ACTIONS,
                table="meetings",
                row=row.number,
                values={
                    "kind": row["kind"],
                    "body": body,
                    "location": row["location"] or "",
                    "summary": row["summary"] or "",
                    "is_illustrative": bool(row["is_illustrative"]),
                },
                check=services.meeting_check,
            )
            if saved is not None:
                meetings[(saved.title, saved.held_on)] = saved
        pool = defaultdict(list)
        for record in ActionPoint.objects.filter(strategy=self.strategy).order_by("pk"):
            pool[(record.meeting_id, record.text)].append(record)
        for row in self.rows("actions"):
            meeting = None
            if row["meeting"] or row["meeting_date"]:
                meeting = meetings.get((row["meeting"], row["meeting_date"]))
                if meeting is None:
                    self.problem(
                        layout.ACTIONS,
                        row,
                        self.where("actions", "meeting"),
                        f'No meeting "{row["meeting"]}" on {row["meeting_date"]}: expected a '
                        "meeting and date from the table Meetings.",
                        "unknown_meeting",
                    )
                    continue
            area = self.area(layout.ACTIONS, "actions", row, "priority_area")
            if row["priority_area"] and area is None:
                continue
            key = (meeting.pk if meeting else None, row["text"])
            instance = (
                pool[key].pop(0)
                if pool[key]
                else ActionPoint(strategy=self.strategy, meeting=meeting, text=row["text"])
            )
            self.save(
                instance,
                sheet=layout.ACTIONS,
                table="actions",
                row=row.number,
                values={
                    "owner": self.owner(layout.ACTIONS, "actions", row),
                    "due_on": row["due_on"],
                    "status": row["status"] or "open",
                    "closing_note": row["closing_note"] or "",
                    "priority_area": area,
                    "is_illustrative": bool(row["is_illustrative"]),
                },
                check=lambda point: services.dates_in_range_check(
                    strategy=self.strategy, dates={"due_on": point.due_on}
                ),
            )
