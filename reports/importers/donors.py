"""Writing the partner's donor tables."""

from funding.models import (
    DonorTable,
    EarmarkedDonor,
    FundingRow,
    StatedTotal,
    UnearmarkedContribution,
    UnearmarkedDonor,
)
from reports import layout

from .reading import Row


class _DonorWriter:
    """Write the partner's donor tables."""

    def donors_write(self):
        organisation = self.organisation
        tables = {table.key: table for table in organisation.donor_tables.all()}
        for row in self.rows("donor_tables"):
            saved = self.save(
                tables.get(row["key"]) or DonorTable(organisation=organisation, key=row["key"]),
                sheet=layout.DONORS,
                table="donor_tables",
                row=row.number,
                values={
                    "title": row["title"],
                    "currency": row["currency"] or "USD",
                    "year": row["year"],
                    "as_of": row["as_of"],
                    "notes": row["notes"] or "",
                    "source": row["source"] or "",
                },
            )
            if saved is not None:
                tables[saved.key] = saved

        def table_of(table_key: str, row: Row):
            table = tables.get(row["table"])
            if table is None:
                self.problem(
                    layout.DONORS,
                    row,
                    self.where(table_key, "table"),
                    f'No donor table "{row["table"]}": expected a key from the table Tables.',
                    "unknown_table",
                )
            return table

        def upsert(table_key: str, model, lookup_keys: tuple[str, ...], value_keys: dict):
            for row in self.rows(table_key):
                table = table_of(table_key, row)
                if table is None:
                    continue
                lookup = {"table": table, **{key: row[key] for key in lookup_keys}}
                values = {
                    name: (row[key] if row[key] is not None else default)
                    for name, (key, default) in value_keys.items()
                }
                self.save(
                    model.objects.filter(**lookup).first() or model(**lookup),
                    sheet=layout.DONORS,
                    table=table_key,
                    row=row.number,
                    values=values,
                )

        upsert(
            "funding_rows",
            FundingRow,
            ("order",),
            {
                "donor": ("donor", ""),
                "title": ("title", ""),
                "kind": ("kind", ""),
                "amount": ("amount", None),
                "is_refund": ("is_refund", False),
            },
        )
        upsert(
            "unearmarked_donors",
            UnearmarkedDonor,
            ("member_state",),
            {"order": ("order", 0), "stated_total": ("stated_total", None)},
        )
        for row in self.rows("contributions"):
            table = table_of("contributions", row)
            if table is None:
                continue
            donor = UnearmarkedDonor.objects.filter(
                table=table, member_state=row["member_state"]
            ).first()
            if donor is None:
                self.problem(
                    layout.DONORS,
                    row,
                    self.where("contributions", "member_state"),
                    f'No member state "{row["member_state"]}" in table {table.key}: expected '
                    "it in the table of member states.",
                    "unknown_donor",
                )
                continue
            self.save(
                UnearmarkedContribution.objects.filter(donor=donor, year=row["year"]).first()
                or UnearmarkedContribution(donor=donor, year=row["year"]),
                sheet=layout.DONORS,
                table="contributions",
                row=row.number,
                values={"amount": row["amount"], "is_pledged": bool(row["is_pledged"])},
            )
        upsert(
            "earmarked_donors",
            EarmarkedDonor,
            ("rank",),
            {"donor": ("donor", ""), "amount": ("amount", None)},
        )
        upsert(
            "stated_totals",
            StatedTotal,
            ("key",),
            {
                "label": ("label", ""),
                "kind": ("kind", ""),
                "year": ("year", None),
                "amount": ("amount", None),
                "growth_percent": ("growth_percent", None),
            },
        )
