"""Writing the priority areas, the results framework, indicators and assessments."""

from django.core.exceptions import NON_FIELD_ERRORS

from priorities.models import (
    Assessment,
    Indicator,
    IndicatorProgress,
    PriorityArea,
    PriorityAreaNode,
    ResultsFramework,
    ResultsNode,
)
from reports import layout

from .reading import Row


class _FrameworkWriter:
    """Write the priority areas, the results framework, indicators and assessments."""

    def areas_write(self):
        existing = {area.slug: area for area in self.strategy.priority_areas.all()}
        self.areas = {}
        for row in self.rows("areas"):
            values = {
                key: row[key] if row[key] is not None else default
                for key, default in (
                    ("number", None),
                    ("kind", ""),
                    ("title", ""),
                    ("front_page_title", ""),
                    ("key_result", ""),
                    ("text", ""),
                    ("monitoring_note", ""),
                    ("framework_under_development", False),
                    ("indicators_under_development", False),
                    ("order", 0),
                )
            }
            area = self.save(
                existing.get(row["slug"]) or PriorityArea(strategy=self.strategy, slug=row["slug"]),
                sheet=layout.AREAS,
                table="areas",
                row=row.number,
                values=values,
            )
            if area is not None:
                self.areas[row["slug"]] = area
        for slug, area in existing.items():
            self.areas.setdefault(slug, area)

    def area(self, sheet: str, table: str, row: Row, key: str, required: bool = True):
        slug = row[key]
        if not slug:
            return None
        area = self.areas.get(slug)
        if area is None:
            self.problem(
                sheet,
                row,
                self.where(table, key),
                f'No priority area "{slug}": expected a slug from the sheet Priority areas.',
                "unknown_area",
            )
        return area

    def frameworks_write(self) -> dict:
        """Write the frameworks with their levels; return them by slug, with those stored."""
        organisation = self.organisation
        frameworks = {item.slug: item for item in organisation.frameworks.all()}
        for row in self.rows("frameworks"):
            slug = row["framework"]
            levels = [
                name.strip()
                for name in (row["levels"] or "").split(layout.LEVEL_SEPARATOR.strip())
                if name.strip()
            ]
            framework = self.save(
                frameworks.get(slug) or ResultsFramework(organisation=organisation, slug=slug),
                sheet=layout.FRAMEWORK,
                table="frameworks",
                row=row.number,
                values={
                    "name": row["name"] or slug,
                    "level_names": levels,
                    "uses_codes": bool(row["uses_codes"]),
                    "code_scheme": (row["code_scheme"] or "") if row["uses_codes"] else "",
                    "code_pattern": (row["code_pattern"] or "") if row["uses_codes"] else "",
                    "order": row["order"] or 0,
                },
                columns={"slug": "framework", "level_names": "levels"},
            )
            if framework is not None:
                frameworks[slug] = framework
        return frameworks

    def node_level(self, framework: ResultsFramework, row: Row) -> int | None:
        """Return the row's depth: as given, or found from the level's name in the framework."""
        if row["depth"]:
            return row["depth"]
        names = [name.casefold() for name in framework.level_names or ()]
        name = (row["level"] or "").strip().casefold()
        if name in names:
            return names.index(name) + 1
        self.problem(
            layout.FRAMEWORK,
            row,
            self.where("nodes", "depth"),
            f"Give the depth (1 at the top) or the name of a level of {framework.name}: "
            f"{', '.join(framework.level_names or ())}.",
            "unknown_level",
        )
        return None

    def framework_write(self):
        organisation = self.organisation
        frameworks = self.frameworks_write()
        nodes = {
            (node.framework.slug, node.key): node
            for node in ResultsNode.objects.filter(
                framework__organisation=organisation
            ).select_related("framework")
        }
        for row in self.rows("nodes"):
            slug = row["framework"]
            if slug not in frameworks:
                self.problem(
                    layout.FRAMEWORK,
                    row,
                    self.where("nodes", "framework"),
                    f'No framework "{slug}": list it with its levels in the table '
                    '"Frameworks and their levels" below.',
                    "unknown_framework",
                )
                continue
            if row["framework_name"] and frameworks[slug].name != row["framework_name"]:
                self.save(
                    frameworks[slug],
                    sheet=layout.FRAMEWORK,
                    table="nodes",
                    row=row.number,
                    values={"name": row["framework_name"]},
                    columns={"name": "framework_name"},
                )
            level = self.node_level(frameworks[slug], row)
            if level is None:
                continue
            parent = None
            if row["parent"]:
                parent = nodes.get((slug, row["parent"]))
                if parent is None:
                    self.problem(
                        layout.FRAMEWORK,
                        row,
                        self.where("nodes", "parent"),
                        f'No node "{row["parent"]}" above this row in framework {slug}: '
                        "expected the key of a node listed before it.",
                        "unknown_parent",
                    )
                    continue
            instance = nodes.get((slug, row["key"])) or ResultsNode(
                framework=frameworks[slug], key=row["key"]
            )
            instance.framework = frameworks[slug]  # with the levels just written
            node = self.save(
                instance,
                sheet=layout.FRAMEWORK,
                table="nodes",
                row=row.number,
                values={
                    "code": row["code"] or "",
                    "level": level,
                    "parent": parent,
                    "title": row["title"] or "",
                    "status": row["status"] or "defined",
                    "is_implied": bool(row["is_implied"]),
                    "section": row["section"] or "",
                    "order": row["order"] or 0,
                },
                columns={"level": "depth"},
            )
            if node is None:
                continue
            nodes[(slug, row["key"])] = node
            links = (
                set(
                    PriorityAreaNode.objects.filter(node=node).values_list(
                        "priority_area__slug", flat=True
                    )
                )
                if instance.pk
                else set()
            )
            for order, area_slug in enumerate(
                part.strip() for part in (row["priority_areas"] or "").split(",") if part.strip()
            ):
                area = self.areas.get(area_slug)
                if area is None:
                    self.problem(
                        layout.FRAMEWORK,
                        row,
                        self.where("nodes", "priority_areas"),
                        f'No priority area "{area_slug}": expected slugs from the sheet '
                        "Priority areas, separated by commas.",
                        "unknown_area",
                    )
                    continue
                if area_slug in links:
                    continue
                self.save(
                    PriorityAreaNode(
                        priority_area=area,
                        node=node,
                        order=area.node_links.count(),
                    ),
                    sheet=layout.FRAMEWORK,
                    table="nodes",
                    row=row.number,
                    values={},
                    columns={"priority_area": "priority_areas", "node": "key"},
                )
        self.nodes = nodes

    def indicators_write(self):
        existing = {
            (indicator.priority_area.slug, indicator.key): indicator
            for indicator in Indicator.objects.filter(
                priority_area__strategy=self.strategy
            ).select_related("priority_area")
        }
        progress = {
            (row.indicator_id, row.strategy_year.year): row
            for row in IndicatorProgress.objects.filter(
                indicator__priority_area__strategy=self.strategy
            ).select_related("strategy_year")
        }
        for row in self.rows("indicators"):
            area = self.area(layout.INDICATORS, "indicators", row, "area")
            node = self.nodes.get((row["framework"], row["node"]))
            if node is None:
                self.problem(
                    layout.INDICATORS,
                    row,
                    self.where("indicators", "node"),
                    f'No node "{row["node"]}" in framework {row["framework"]}: expected a key '
                    "from the sheet Results framework.",
                    "unknown_node",
                )
            if area is None or node is None:
                continue
            indicator = self.save(
                existing.get((area.slug, row["key"]))
                or Indicator(priority_area=area, key=row["key"]),
                sheet=layout.INDICATORS,
                table="indicators",
                row=row.number,
                values={
                    "node": node,
                    "code": row["code"] or "",
                    "title": row["title"] or "",
                    "unit": row["unit"] or "",
                    "allows_negative": bool(row["allows_negative"]),
                    "baseline": row["baseline"],
                    "baseline_year": row["baseline_year"],
                    "direction": row["direction"] or "increase",
                    "status": row["status"] or "defined",
                    "order": row["order"] or 0,
                    "is_illustrative": bool(row["is_illustrative"]),
                },
                columns={"priority_area": "area"},
            )
            if indicator is None:
                continue
            for year in self.years:
                figures = {
                    "target": row[f"target_{year}"],
                    "actual": row[f"actual_{year}"],
                    "comment": row[f"comment_{year}"] or "",
                    "is_illustrative": bool(row[f"illustrative_{year}"]),
                }
                current = progress.get((indicator.pk, year))
                if current is None and not any(
                    row[f"{name}_{year}"] not in (None, "")
                    for name in ("target", "actual", "comment", "illustrative")
                ):
                    continue
                self.save(
                    current
                    or IndicatorProgress(
                        indicator=indicator, strategy_year=self.strategy_years[year]
                    ),
                    sheet=layout.INDICATORS,
                    table="indicators",
                    row=row.number,
                    values=figures,
                    columns={
                        "target": f"target_{year}",
                        "actual": f"actual_{year}",
                        "comment": f"comment_{year}",
                        "is_illustrative": f"illustrative_{year}",
                        "strategy_year": f"target_{year}",
                        NON_FIELD_ERRORS: f"target_{year}",
                    },
                )

    def assessments_write(self):
        existing = {
            (item.priority_area.slug, item.strategy_year.year): item
            for item in Assessment.objects.filter(
                priority_area__strategy=self.strategy
            ).select_related("priority_area", "strategy_year")
        }
        for row in self.rows("assessments"):
            area = self.area(layout.ASSESSMENTS, "assessments", row, "area")
            year = self.strategy_years.get(row["year"])
            if year is None:
                self.problem(
                    layout.ASSESSMENTS,
                    row,
                    self.where("assessments", "year"),
                    f"Expected a year of the period {self.years[0]}-{self.years[-1]}.",
                    "outside_period",
                )
            if area is None or year is None:
                continue
            self.save(
                existing.get((area.slug, year.year))
                or Assessment(priority_area=area, strategy_year=year),
                sheet=layout.ASSESSMENTS,
                table="assessments",
                row=row.number,
                values={
                    "rating": row["rating"],
                    "narrative": row["narrative"] or "",
                    "is_illustrative": bool(row["is_illustrative"]),
                },
                columns={
                    "priority_area": "area",
                    "strategy_year": "year",
                    NON_FIELD_ERRORS: "rating",
                },
            )
