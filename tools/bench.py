"""The benchmark: what each main page costs at 1 and at 40 strategies, and what the exports cost.

Run it with `make bench` (or `python -m tools.bench --help`). In one run it

1. loads a throwaway PostgreSQL database as `make run` does (the IOM strategy, the demo data,
   its milestones): the portfolio of one strategy;
2. copies it and adds generated, illustrative strategies (`manage.py generate_portfolio`) until
   the copy holds 40: the portfolio at scale;
3. serves each database with gunicorn (DEBUG off, two workers) under
   `tools.settings_bench`, which adds a `Server-Timing` header with the server's
   own time and SQL query count of each request, and the floor page: the least a logged-in
   page can cost;
4. issues one consultation brief of the IOM strategy (before the copy, so both databases hold
   it) and requests every main page of the IOM strategy, the download of that issued brief, the
   desk officer's tasks, the portfolio dashboard as a manager (who sees every strategy) and the
   floor page, alternating between the two servers so both see the same machine, and takes the
   median and 95th percentile of the server times and the query counts;
5. times the consultation brief end to end against WeasyPrint alone on the brief's finished
   HTML with the same options, and the brief with its annex in the same rounds; the workbook
   against openpyxl alone writing the same cells with the same styles (and the same columns,
   row heights and charts) from rows prepared in memory, with the workbook's peak memory; each
   in a warm process of its own;
6. asks for the progress page's status (`/jobs/<id>/status/`, polled every two seconds by
   every open progress page) of a job of the desk officer, as a page beside the others;
7. builds the portfolio export (one ZIP of every strategy's workbook, as the manager sees
   them all) at 40 strategies with its peak memory, and imports a workbook of 20,000 rows
   (the importer's limit) through its job, each in a process of its own;
8. prints a table that says which targets are met and by how much the others are missed, and
   writes `var/bench.json`: one entry per measurement, {"name", "value", "unit", "floor",
   "ratio"}, where "floor" is what the value is compared with and "ratio" is value / floor.

The targets:

a. a strategy's pages cost the same whatever the portfolio: each median at 40 strategies is
   within 1.3 times the median at 1; the portfolio dashboard within 3 times;
b. every page runs the same number of queries at both sizes;
c. every page's median is within 20 times the floor page's at 40 strategies, and downloading an
   issued brief (the stored file, streamed as it is) within 3 times;
d. the brief takes at most 1.3 times what WeasyPrint alone takes on its HTML, and under half
   the time of the brief with its annex;
e. the workbook (built from the database and written) takes at most 1.5 times what openpyxl
   alone needs to write the same cells with the same styles from rows prepared in memory, and
   peaks under 200 MB;
f. the progress status answers within 2 times the floor page's median;
g. the portfolio export of every strategy peaks under 200 MB;
h. the import of 20,000 rows ends done through its job, with nothing refused.

The timings are this machine's: compare them with each other (the ratios), not with another
machine's.
"""

import argparse
import io
import json
import os
import shutil
import subprocess  # nosec B404 # runs this module again, in a fresh process
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from tools import loopback
from tools.loopback import HarnessError, Summary, say, summary

SMALL = 1
DEFAULT_STRATEGIES = 40
DEFAULT_ROUNDS = 40
DEFAULT_WARMUP = 5
DEFAULT_RUNS = 5
DEFAULT_WORKERS = 2
OUTPUT = loopback.BASE_DIR / "var" / "bench.json"
SERVER_TIMING = "server-timing"
QUERY_COUNT = "x-query-count"

# Targets
STRATEGY_GROWTH = 1.3
PORTFOLIO_GROWTH = 3.0
FLOOR_MULTIPLE = 20.0
ISSUED_BRIEF_FLOOR_MULTIPLE = 3.0
BRIEF_MULTIPLE = 1.3
BRIEF_ANNEX_SHARE = 0.5
WORKBOOK_MULTIPLE = 1.5
WORKBOOK_PEAK_MB = 200.0
PROGRESS_MULTIPLE = 2.0
PORTFOLIO_PEAK_MB = 200.0
DEFAULT_IMPORT_ROWS = 20_000
# The job whose status the progress page polls: one of the desk officer's, the same in both
# databases (it is written before the large one is copied from the small).
BENCH_JOB = "5e1c0b7a-1b2c-4d3e-8f40-000000000019"

STRATEGY, PORTFOLIO, PERSONAL, FLOOR = "strategy", "portfolio", "personal", "floor"
PROGRESS = "progress"


@dataclass(frozen=True)
class Page:
    """A page measured: its label, kind, the user who asks for it, and its URL name."""

    label: str
    kind: str
    user: str
    url_name: str
    kwargs: tuple = ()
    floor_multiple: float = FLOOR_MULTIPLE

    @property
    def growth_limit(self) -> float | None:
        """Return how much slower the page may be at scale (target a)."""
        if self.kind == FLOOR:
            return None
        return PORTFOLIO_GROWTH if self.kind == PORTFOLIO else STRATEGY_GROWTH


SLUG = ("slug", loopback.IOM_SLUG)
ISSUED_BRIEF_URL = "reports:issuedbrief_download"
# The brief the run issues is the first of a fresh database; `_page_path` uses the number the
# issuing reports, should it ever differ.
ISSUED_BRIEF_PK = ("pk", 1)
PAGES = (
    Page("Portfolio dashboard", PORTFOLIO, "manager", "home"),
    Page("Strategy overview", STRATEGY, "desk", "priorities:strategy_detail", (SLUG,)),
    Page(
        "Priority area 3",
        STRATEGY,
        "desk",
        "priorities:priorityarea_detail",
        (SLUG, ("number", 3)),
    ),
    Page("Funding budget", STRATEGY, "desk", "funding:budget", (SLUG,)),
    Page("Risk register", STRATEGY, "desk", "risks:risk_list", (SLUG,)),
    Page("Risk heat map", STRATEGY, "desk", "risks:heatmap", (SLUG,)),
    Page("Meetings", STRATEGY, "desk", "engagement:meeting_list", (SLUG,)),
    Page("My tasks", PERSONAL, "desk", "reports:my_tasks"),
    Page("Strategy dashboard", STRATEGY, "desk", "reports:strategy_dashboard", (SLUG,)),
    Page("Change history", STRATEGY, "desk", "reports:strategy_history", (SLUG,)),
    Page(
        "Issued brief download",
        STRATEGY,
        "desk",
        ISSUED_BRIEF_URL,
        (SLUG, ISSUED_BRIEF_PK),
        floor_multiple=ISSUED_BRIEF_FLOOR_MULTIPLE,
    ),
    Page("Job progress status", PROGRESS, "desk", "reports:job_status", (("pk", BENCH_JOB),)),
    Page("Floor page", FLOOR, "desk", "bench_floor"),
)


# --- Measuring pages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One request as the server timed it."""

    page: str
    size: int
    app_ms: float
    queries: int


def server_timing_parse(header: str) -> dict[str, float]:
    """Return the durations of a Server-Timing header by metric name, in milliseconds."""
    durations = {}
    for metric in header.split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "dur" and name:
                durations[name] = float(value.strip().strip('"'))
    return durations


def sample_from(page: Page, size: int, response) -> Sample:
    """Return the server's timing of one response; refuse anything but a 200 with timing."""
    if response.status != 200:
        raise HarnessError(f"{page.label} at {size} strategies answered {response.status}.")
    header = response.headers.get(SERVER_TIMING)
    if not header or QUERY_COUNT not in response.headers:
        raise HarnessError(f"{page.label} answered without the server-timing headers.")
    return Sample(
        page=page.label,
        size=size,
        app_ms=server_timing_parse(header)["app"],
        queries=int(response.headers[QUERY_COUNT]),
    )


def pages_measure(
    targets: Sequence[tuple[Page, int, Callable[[], object]]],
    *,
    rounds: int,
    warmup: int,
) -> list[Sample]:
    """Request every target `warmup` times unmeasured, then `rounds` times, interleaved.

    Each target is (page, size, fetch) where `fetch()` requests the page and returns the
    response. Every round asks for every target once, so that a slow moment of the machine
    falls on all of them alike rather than on one page or one size.
    """
    samples = []
    for number in range(warmup + rounds):
        for page, size, fetch in targets:
            sample = sample_from(page, size, fetch())
            if number >= warmup:
                samples.append(sample)
    return samples


@dataclass(frozen=True)
class PageResult:
    """A page's server times and query counts at each size."""

    page: Page
    times: dict[int, Summary]
    queries: dict[int, tuple[int, ...]]

    def query_count(self, size: int) -> int:
        """Return the query count most requests at `size` ran."""
        return self.queries[size][0]


def pages_aggregate(samples: Sequence[Sample], pages: Sequence[Page]) -> list[PageResult]:
    """Return each page's summary per size; query counts most common first."""
    results = []
    for page in pages:
        mine = [sample for sample in samples if sample.page == page.label]
        sizes = sorted({sample.size for sample in mine})
        times, queries = {}, {}
        for size in sizes:
            at_size = [sample for sample in mine if sample.size == size]
            times[size] = summary([sample.app_ms for sample in at_size])
            counts = Counter(sample.queries for sample in at_size)
            queries[size] = tuple(count for count, _ in counts.most_common())
        results.append(PageResult(page=page, times=times, queries=queries))
    return results


# --- Entries, targets and the table --------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One measurement as var/bench.json records it."""

    name: str
    value: float
    unit: str
    floor: float | None
    ratio: float | None


def entry(name: str, value: float, unit: str, floor: float | None = None) -> Entry:
    """Return an entry, with its ratio to the floor when there is one."""
    ratio = round(value / floor, 3) if floor else None
    return Entry(
        name=name,
        value=round(value, 3),
        unit=unit,
        floor=None if floor is None else round(floor, 3),
        ratio=ratio,
    )


@dataclass(frozen=True)
class Check:
    """A target and whether the measurement meets it."""

    target: str
    subject: str
    value: float
    limit: float
    unit: str = "×"

    @property
    def met(self) -> bool:
        return self.value <= self.limit

    @property
    def verdict(self) -> str:
        """Say "met", or by how much the target is missed."""
        if self.met:
            return "met"
        if self.unit in ("queries", "problems"):
            return f"missed by {self.value - self.limit:g} {self.unit}"
        over = (self.value / self.limit - 1) * 100 if self.limit else float("inf")
        return f"missed by {over:.0f}%"

    def describe(self) -> str:
        counted = self.unit in ("queries", "problems")
        value = f"{self.value:g}" if counted else f"{self.value:.2f}"
        limit = f"{self.limit:g}"
        unit = "" if self.unit in ("×", "queries") else f" {self.unit}"
        return (
            f"({self.target}) {self.subject}: {value}{unit} against {limit}{unit}: {self.verdict}"
        )


def page_entries(results: Sequence[PageResult], *, large: int) -> list[Entry]:
    """Return the entries of the pages: times and queries at each size, growth, floor ratio."""
    floor = next(result for result in results if result.page.kind == FLOOR)
    entries = []
    for result in results:
        name = result.page.label
        is_floor = result.page.kind == FLOOR
        for size, times in result.times.items():
            floor_times = None if is_floor else floor.times[size]
            entries += [
                entry(
                    f"{name}: median at {size}",
                    times.median,
                    "ms",
                    None if is_floor else floor_times.median,
                ),
                entry(
                    f"{name}: p95 at {size}", times.p95, "ms", None if is_floor else floor_times.p95
                ),
                entry(
                    f"{name}: queries at {size}",
                    result.query_count(size),
                    "queries",
                    None if is_floor else floor.query_count(size),
                ),
            ]
        if SMALL in result.times and large in result.times:
            entries.append(
                entry(
                    f"{name}: median at {large} against at {SMALL}",
                    result.times[large].median,
                    "ms",
                    result.times[SMALL].median,
                )
            )
    return entries


def page_checks(results: Sequence[PageResult], *, large: int) -> list[Check]:
    """Return targets (a), (b) and (c) for every page."""
    floor = next(result for result in results if result.page.kind == FLOOR)
    checks = []
    for result in results:
        page = result.page
        if page.growth_limit is not None:
            checks.append(
                Check(
                    "a",
                    f"{page.label}, median at {large} / at {SMALL}",
                    result.times[large].median / result.times[SMALL].median,
                    page.growth_limit,
                )
            )
        small_counts, large_counts = set(result.queries[SMALL]), set(result.queries[large])
        difference = 0
        if small_counts != large_counts:
            difference = max(abs(a - b) for a in large_counts for b in small_counts)
        checks.append(
            Check(
                "b",
                f"{page.label}, queries differing between {SMALL} and {large}",
                difference,
                0,
                unit="queries",
            )
        )
        if page.kind != FLOOR:
            checks.append(
                Check(
                    "c",
                    f"{page.label}, median at {large} / floor page's",
                    result.times[large].median / floor.times[large].median,
                    page.floor_multiple,
                )
            )
        if page.kind == PROGRESS:
            checks += [
                Check(
                    "f",
                    f"{page.label}, median at {size} / floor page's",
                    result.times[size].median / floor.times[size].median,
                    PROGRESS_MULTIPLE,
                )
                for size in (SMALL, large)
            ]
    return checks


def pages_table(results: Sequence[PageResult], *, large: int) -> str:
    """Return the table of the pages."""
    floor = next(result for result in results if result.page.kind == FLOOR)
    header = (
        f"{'Page':<22}{'queries':>13}{'median ms':>17}{'p95 ms':>17}{'growth':>15}{'× floor':>15}"
    )
    sub = (
        f"{'':<22}{SMALL:>6}{large:>7}{SMALL:>8}{large:>9}{SMALL:>8}{large:>9}"
        f"{'':>15}{'at ' + str(large):>15}"
    )
    lines = [header, sub, "-" * len(header)]
    for result in results:
        page = result.page
        small_t, large_t = result.times[SMALL], result.times[large]
        queries = [
            "/".join(str(count) for count in result.queries[size]) for size in (SMALL, large)
        ]
        growth, multiple = "", ""
        if page.growth_limit is not None:
            ratio = large_t.median / small_t.median
            verdict = "ok" if ratio <= page.growth_limit else f">{page.growth_limit:g}"
            growth = f"{ratio:.2f} {verdict}"
            ratio = large_t.median / floor.times[large].median
            verdict = "ok" if ratio <= page.floor_multiple else f">{page.floor_multiple:g}"
            multiple = f"{ratio:.1f} {verdict}"
        lines.append(
            f"{page.label:<22}{queries[0]:>6}{queries[1]:>7}"
            f"{small_t.median:>8.1f}{large_t.median:>9.1f}{small_t.p95:>8.1f}{large_t.p95:>9.1f}"
            f"{growth:>15}{multiple:>15}"
        )
    return "\n".join(lines)


# --- Exports -------------------------------------------------------------------------------------


def cell_census(content: bytes) -> Counter:
    """Count the cells of an XLSX workbook that hold a value, by kind of value."""
    from openpyxl import load_workbook

    census: Counter = Counter()
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if value is None:
                    continue
                if isinstance(value, bool):
                    census["bool"] += 1
                elif isinstance(value, int | float):
                    census["number"] += 1
                elif hasattr(value, "year"):
                    census["date"] += 1
                else:
                    census["text"] += 1
    workbook.close()
    return census


@dataclass(frozen=True)
class SheetPlan:
    """One sheet of a workbook as rows prepared in memory, with everything around its cells."""

    name: str
    rows: list  # per row: a list of (value, named style, data type) or None for an empty cell
    heights: dict  # row number -> (height, outline level)
    columns: dict  # letter -> (width, hidden)
    freeze_panes: str | None
    auto_filter: str | None
    print_title_rows: str | None
    page_setup: dict
    fit_to_page: bool
    summary_below: bool
    validations: list
    conditional_formatting: list  # (range, rule)
    charts: list


@dataclass(frozen=True)
class WorkbookPlan:
    """A whole workbook as rows prepared in memory: what the workbook floor writes."""

    styles: list  # keyword arguments of each named style, in the workbook's order
    sheets: list
    properties: dict


def workbook_plan(content: bytes) -> WorkbookPlan:
    """Read an exported workbook back into rows prepared in memory, with its named styles,
    columns, row heights, panes, filters, validations, conditional formats, page set-up and
    charts: the same cells with the same styles, for `workbook_floor()` to write."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    styles = [
        {
            "name": style.name,
            "font": style.font,
            "fill": style.fill,
            "border": style.border,
            "alignment": style.alignment,
            "number_format": style.number_format,
            "protection": style.protection,
        }
        for style in workbook._named_styles
        if style.name != "Normal"
    ]
    sheets = []
    for sheet in workbook.worksheets:
        rows = []
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                if cell.value is None and cell.style == "Normal":
                    cells.append(None)
                else:
                    cells.append((cell.value, cell.style, cell.data_type))
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(cells)
        setup = sheet.page_setup
        sheets.append(
            SheetPlan(
                name=sheet.title,
                rows=rows,
                heights={
                    number: (dimension.height, dimension.outline_level)
                    for number, dimension in sheet.row_dimensions.items()
                    if dimension.height is not None or dimension.outline_level
                },
                columns={
                    letter: (dimension.width, dimension.hidden)
                    for letter, dimension in sheet.column_dimensions.items()
                },
                freeze_panes=sheet.freeze_panes,
                auto_filter=sheet.auto_filter.ref,
                print_title_rows=sheet.print_title_rows,
                page_setup={
                    "paperSize": setup.paperSize,
                    "orientation": setup.orientation,
                    "fitToWidth": setup.fitToWidth,
                    "fitToHeight": setup.fitToHeight,
                },
                fit_to_page=bool(sheet.sheet_properties.pageSetUpPr.fitToPage),
                summary_below=sheet.sheet_properties.outlinePr.summaryBelow,
                validations=list(sheet.data_validations.dataValidation),
                conditional_formatting=[
                    (str(item.sqref), rule)
                    for item in sheet.conditional_formatting
                    for rule in item.rules
                ],
                charts=list(sheet._charts),
            )
        )
    properties = {
        "creator": workbook.properties.creator,
        "title": workbook.properties.title,
    }
    workbook.close()
    return WorkbookPlan(styles=styles, sheets=sheets, properties=properties)


def workbook_floor(plan: WorkbookPlan) -> bytes:
    """Write `plan` with openpyxl alone, as lean as it goes: write-only mode, each named style
    made once and assigned by name, the rows appended as prepared. The least the workbook's
    cells, styles, dimensions and charts cost openpyxl to write."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import NamedStyle

    workbook = Workbook(write_only=True)
    workbook.properties.creator = plan.properties["creator"]
    workbook.properties.title = plan.properties["title"]
    workbook.calculation.fullCalcOnLoad = True
    for style in plan.styles:
        workbook.add_named_style(NamedStyle(**style))
    for spec in plan.sheets:
        sheet = workbook.create_sheet(spec.name)
        for letter, (width, hidden) in spec.columns.items():
            sheet.column_dimensions[letter].width = width
            sheet.column_dimensions[letter].hidden = hidden
        sheet.freeze_panes = spec.freeze_panes
        sheet.sheet_properties.outlinePr.summaryBelow = spec.summary_below
        sheet.sheet_properties.pageSetUpPr.fitToPage = spec.fit_to_page
        for key, value in spec.page_setup.items():
            setattr(sheet.page_setup, key, value)
        if spec.print_title_rows:
            sheet.print_title_rows = spec.print_title_rows
        for number, row in enumerate(spec.rows, start=1):
            if number in spec.heights:
                height, outline = spec.heights[number]
                sheet.row_dimensions[number].height = height
                if outline:
                    sheet.row_dimensions[number].outline_level = outline
            cells = []
            for item in row:
                if item is None:
                    cells.append(None)
                    continue
                value, style, data_type = item
                cell = WriteOnlyCell(sheet, value)
                if style != "Normal":
                    cell.style = style
                if data_type == "s" and value is not None:
                    cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
        if spec.auto_filter:
            sheet.auto_filter.ref = spec.auto_filter
        for validation in spec.validations:
            sheet.data_validations.append(validation)
        for where, rule in spec.conditional_formatting:
            sheet.conditional_formatting.add(where, rule)
        for chart in spec.charts:
            sheet.add_chart(chart)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def traced_peak(action: Callable[[], object]) -> float:
    """Return the peak of Python memory allocated while `action` runs, in MB."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1_000_000


def timed(action: Callable[[], object]) -> float:
    """Return the seconds `action` takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def brief_measure(*, strategy, year: int, runs: int) -> dict:
    """Time the six-page brief against WeasyPrint alone and the brief with its annex.

    The floor is WeasyPrint laying out the brief's finished HTML with the same options (tagged
    PDF, `PDF_OPTIONS`), so the ratio is what building the brief and rendering its template
    add. The annex brief is timed in the same rounds: the brief must take under half its time,
    or the annex is not what makes the full document long. Returns plain figures.
    """
    from weasyprint import HTML

    from reports.builders import brief_build
    from reports.render.pdf import BASE_URL, PDF_OPTIONS, StaticFilesFetcher, brief_html, brief_pdf

    def brief() -> bytes:
        return brief_pdf(brief_build(strategy=strategy, year=year))

    def brief_with_annex() -> bytes:
        return brief_pdf(brief_build(strategy=strategy, year=year, annex=True))

    def document(html: str):
        return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())

    # Warm up: imports, fonts, templates and the first layout are not what is measured.
    brief()
    brief_with_annex()
    html = brief_html(brief_build(strategy=strategy, year=year))
    annex_html = brief_html(brief_build(strategy=strategy, year=year, annex=True))

    def weasyprint_alone() -> bytes:
        return document(html).write_pdf(**PDF_OPTIONS)

    brief_times, weasyprint_times, annex_times = [], [], []
    for _ in range(runs):
        brief_times.append(timed(brief))
        weasyprint_times.append(timed(weasyprint_alone))
        annex_times.append(timed(brief_with_annex))
    return {
        "brief_pages": len(document(html).render(**PDF_OPTIONS).pages),
        "brief_seconds": brief_times,
        "weasyprint_seconds": weasyprint_times,
        "annex_pages": len(document(annex_html).render(**PDF_OPTIONS).pages),
        "annex_seconds": annex_times,
    }


def exports_measure(*, slug: str, runs: int) -> dict:
    """Measure one strategy's brief and workbook in this (warm) process; return plain figures.

    Needs Django set up against the database to read.
    """
    from django.utils import timezone

    from priorities.models import Strategy
    from reports.builders import workbook_build
    from reports.render.xlsx import workbook_xlsx

    strategy = Strategy.objects.select_related("organisation").get(slug=slug)
    # The brief a consultation this year reads: last year's, else the strategy's last year.
    year = timezone.localdate().year - 1
    if year not in strategy.years:
        year = strategy.end_year

    def workbook() -> bytes:
        return workbook_xlsx(workbook_build(strategy=strategy))

    brief_figures = brief_measure(strategy=strategy, year=year, runs=runs)

    content = workbook()
    census = cell_census(content)
    plan = workbook_plan(content)
    workbook_floor(plan)
    workbook_times, floor_times = [], []
    for _ in range(runs):
        workbook_times.append(timed(workbook))
        floor_times.append(timed(lambda: workbook_floor(plan)))
    return {
        "slug": slug,
        "year": year,
        **brief_figures,
        "cells": sum(census.values()),
        "census": dict(census),
        "workbook_seconds": workbook_times,
        "floor_seconds": floor_times,
        "workbook_peak_mb": traced_peak(workbook),
        "floor_peak_mb": traced_peak(lambda: workbook_floor(plan)),
    }


@dataclass(frozen=True)
class ExportResult:
    """The medians of one strategy's export measurements."""

    slug: str
    year: int
    brief_pages: int
    brief: float
    weasyprint: float
    cells: int
    workbook: float
    floor: float
    workbook_peak_mb: float
    floor_peak_mb: float
    # The brief with its annex, timed in the same rounds as the brief.
    annex: float | None = None
    annex_pages: int | None = None


def exports_aggregate(figures: dict) -> ExportResult:
    """Return the medians of the figures `exports_measure()` returned."""
    median = loopback.percentile
    return ExportResult(
        slug=figures["slug"],
        year=figures["year"],
        brief_pages=figures["brief_pages"],
        brief=median(figures["brief_seconds"], 0.5),
        weasyprint=median(figures["weasyprint_seconds"], 0.5),
        cells=figures["cells"],
        workbook=median(figures["workbook_seconds"], 0.5),
        floor=median(figures["floor_seconds"], 0.5),
        workbook_peak_mb=figures["workbook_peak_mb"],
        floor_peak_mb=figures["floor_peak_mb"],
        annex=median(figures["annex_seconds"], 0.5) if figures.get("annex_seconds") else None,
        annex_pages=figures.get("annex_pages"),
    )


def export_entries(result: ExportResult) -> list[Entry]:
    """Return the entries of one strategy's exports."""
    annex = []
    if result.annex:
        annex.append(
            entry(
                f"Brief PDF {result.slug} {result.year} / with annex",
                result.brief,
                "s",
                result.annex,
            )
        )
    return [
        entry(f"Brief PDF {result.slug} {result.year}", result.brief, "s", result.weasyprint),
        *annex,
        entry(f"Workbook {result.slug}", result.workbook, "s", result.floor),
        entry(
            f"Workbook {result.slug}: peak memory",
            result.workbook_peak_mb,
            "MB",
            result.floor_peak_mb,
        ),
    ]


def export_checks(result: ExportResult) -> list[Check]:
    """Return targets (d) and (e) for one strategy's exports."""
    annex = []
    if result.annex:
        annex.append(
            Check(
                "d",
                f"Brief PDF {result.slug} / brief with annex",
                result.brief / result.annex,
                BRIEF_ANNEX_SHARE,
            )
        )
    return [
        Check(
            "d",
            f"Brief PDF {result.slug} / WeasyPrint alone",
            result.brief / result.weasyprint,
            BRIEF_MULTIPLE,
        ),
        *annex,
        Check(
            "e",
            f"Workbook {result.slug} / openpyxl floor",
            result.workbook / result.floor,
            WORKBOOK_MULTIPLE,
        ),
        Check(
            "e",
            f"Workbook {result.slug}, peak memory",
            result.workbook_peak_mb,
            WORKBOOK_PEAK_MB,
            unit="MB",
        ),
    ]


def exports_table(results: Sequence[ExportResult]) -> str:
    """Return the table of the exports."""
    header = f"{'Export':<40}{'value':>12}{'floor':>12}{'ratio':>8}  target"
    lines = [header, "-" * (len(header) + 8)]
    for result in results:
        annex = ()
        if result.annex:
            annex = (
                (
                    f"Brief / with annex ({result.annex_pages} p.)",
                    f"{result.brief:.3f} s",
                    f"{result.annex:.3f} s",
                    result.brief / result.annex,
                    f"< {BRIEF_ANNEX_SHARE:g}× the brief with annex",
                ),
            )
        rows = (
            (
                f"Brief PDF {result.slug} {result.year} ({result.brief_pages} p.)",
                f"{result.brief:.3f} s",
                f"{result.weasyprint:.3f} s",
                result.brief / result.weasyprint,
                f"≤ {BRIEF_MULTIPLE:g}× WeasyPrint alone",
            ),
            *annex,
            (
                f"Workbook {result.slug} ({result.cells} cells)",
                f"{result.workbook:.3f} s",
                f"{result.floor:.3f} s",
                result.workbook / result.floor,
                f"≤ {WORKBOOK_MULTIPLE:g}× openpyxl",
            ),
            (
                f"Workbook {result.slug}, peak memory",
                f"{result.workbook_peak_mb:.1f} MB",
                f"{result.floor_peak_mb:.1f} MB",
                result.workbook_peak_mb / result.floor_peak_mb,
                f"< {WORKBOOK_PEAK_MB:g} MB",
            ),
        )
        for label, value, floor, ratio, target in rows:
            lines.append(f"{label:<40}{value:>12}{floor:>12}{ratio:>8.2f}  {target}")
    return "\n".join(lines)


# --- Jobs: the portfolio export and a large import ------------------------------------------------


def portfolio_measure(*, username: str) -> dict:
    """Build the portfolio export of `username` as its job does; return its time and peak memory.

    Needs Django set up against the database to read. The ZIP goes to a temporary file, as in
    the job; tracemalloc sees every allocation of the Python side (openpyxl, the builders).
    """
    import tempfile

    from django.contrib.auth import get_user_model

    from priorities.selectors import strategy_list
    from reports.tasks import portfolio_zip_write

    user = get_user_model().objects.get(username=username)
    strategies = list(strategy_list(user=user))
    sizes = []

    def export() -> None:
        with tempfile.TemporaryFile() as target:
            portfolio_zip_write(strategies=strategies, target=target)
            sizes.append(target.tell())

    # One strategy first, so that imports and templates are not what is measured.
    with tempfile.TemporaryFile() as target:
        portfolio_zip_write(strategies=strategies[:1], target=target)
    seconds = timed(export)
    return {
        "strategies": len(strategies),
        "seconds": seconds,
        "peak_mb": traced_peak(export),
        "zip_bytes": sizes[0],
    }


def import_measure(*, rows: int, slug: str, username: str) -> dict:
    """Import a workbook of `rows` risk rows as a new strategy, through a job, as a worker would.

    The workbook is the strategy `slug`'s, as a new strategy whose Risk register is grown to
    `rows` rows; the job runs its task in this process, as the worker runs it.
    """
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from priorities.models import Strategy
    from reports.models import Job, JobKind
    from reports.tasks import workbook_import_job
    from risks.models import Risk
    from tests.reports.jobdata import workbook_grown, workbook_of

    strategy = Strategy.objects.get(slug=slug)
    existing = Risk.objects.filter(strategy=strategy).count()
    content = workbook_grown(
        workbook_of(strategy), slug=f"bench-import-{rows}", risks=max(0, rows - existing)
    )
    user = get_user_model().objects.get(username=username)
    job = Job(user=user, kind=JobKind.IMPORT, title="Benchmark import", parameters={})
    job.file.save("upload", ContentFile(content), save=True)
    seconds = timed(lambda: workbook_import_job.call(job_id=str(job.pk)))
    job.refresh_from_db()
    imported = Risk.objects.filter(strategy__slug=f"bench-import-{rows}").count()
    return {
        "rows": rows,
        "seconds": seconds,
        "state": job.state,
        "problems": len(job.outcome.get("problems", ())) + (1 if job.error else 0),
        "imported_risks": imported,
    }


def job_entries(portfolio: dict | None, imported: dict | None) -> list[Entry]:
    """Return the entries of the portfolio export and of the large import."""
    entries = []
    if portfolio:
        name = f"Portfolio export of {portfolio['strategies']} strategies"
        entries += [
            entry(name, portfolio["seconds"], "s"),
            entry(f"{name}: peak memory", portfolio["peak_mb"], "MB", PORTFOLIO_PEAK_MB),
        ]
    if imported:
        entries.append(entry(f"Import of {imported['rows']} rows", imported["seconds"], "s"))
    return entries


def job_checks(portfolio: dict | None, imported: dict | None) -> list[Check]:
    """Return targets (g) and (h)."""
    checks = []
    if portfolio:
        checks.append(
            Check(
                "g",
                f"Portfolio export of {portfolio['strategies']} strategies, peak memory",
                portfolio["peak_mb"],
                PORTFOLIO_PEAK_MB,
                unit="MB",
            )
        )
    if imported:
        checks.append(
            Check(
                "h",
                f"Import of {imported['rows']} rows through its job ({imported['state']})",
                imported["problems"] + (0 if imported["state"] == "done" else 1),
                0,
                unit="problems",
            )
        )
    return checks


def jobs_table(portfolio: dict | None, imported: dict | None) -> str:
    """Return the table of the portfolio export and the large import."""
    lines = []
    if portfolio:
        lines.append(
            f"Portfolio export of {portfolio['strategies']} strategies: "
            f"{portfolio['seconds']:.1f} s, {portfolio['zip_bytes'] / 1_000_000:.1f} MB ZIP, "
            f"peak memory {portfolio['peak_mb']:.1f} MB (target < {PORTFOLIO_PEAK_MB:g} MB)"
        )
    if imported:
        lines.append(
            f"Import of {imported['rows']} rows through its job: {imported['seconds']:.1f} s, "
            f"{imported['state']}, {imported['imported_risks']} risks written "
            "(target: done, nothing refused)"
        )
    return "\n".join(lines)


def json_write(entries: Sequence[Entry], path: Path) -> None:
    """Write the entries as a JSON list, one object per measurement."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(item) for item in entries], indent=2) + "\n")


# --- The run -------------------------------------------------------------------------------------


def _django_setup(site: loopback.Site, database: str) -> None:
    os.environ.update(site.env(database))
    import django

    django.setup()


def _page_path(page: Page, *, issued_brief_pk: int | None = None) -> str:
    from django.urls import reverse

    kwargs = dict(page.kwargs)
    if page.url_name == ISSUED_BRIEF_URL and issued_brief_pk is not None:
        kwargs["pk"] = issued_brief_pk
    return reverse(page.url_name, kwargs=kwargs)


def _brief_issue(site: loopback.Site, database: str) -> int:
    """Issue a consultation brief of the IOM strategy as its desk officer; return its number."""
    output = loopback.manage(
        site,
        database,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "from priorities.models import Strategy; from reports.issued import brief_issue; "
        "strategy = Strategy.objects.select_related('organisation')"
        f".get(slug='{loopback.IOM_SLUG}'); "
        "user = get_user_model().objects.get(username='desk'); "
        "print(brief_issue(strategy=strategy, year=strategy.start_year, user=user).pk)",
    )
    return int(output.strip().splitlines()[-1])


def _exports_child(site: loopback.Site, database: str, slug: str, runs: int) -> dict:
    """Measure the exports in a fresh process, so that nothing else warms or fills it."""
    return _child(site, database, "--exports-of", slug, "--runs", str(runs))


def _child(site: loopback.Site, database: str, *args: str) -> dict:
    """Run this module with `args` in a fresh process against `database`; return its JSON."""
    result = subprocess.run(  # nosec B603 # this module, fixed arguments
        [sys.executable, "-m", "tools.bench", *args],
        env=site.env(database, DJANGO_SETTINGS_MODULE="strategy_monitor.settings"),
        cwd=loopback.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise HarnessError(f"{' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# Written in the small database before the large one is copied from it.
JOB_CREATE = (
    "from django.contrib.auth import get_user_model; from reports.models import Job; "
    f"Job.objects.create(pk='{BENCH_JOB}', user=get_user_model().objects.get(username='desk'), "
    "kind='workbook', title='Monitoring workbook', state='running', percent=40, "
    "step='Writing the workbook')"
)


def _largest_generated(site: loopback.Site, database: str) -> str:
    output = loopback.manage(
        site,
        database,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.db.models import Count; from priorities.models import Strategy; "
        "print(Strategy.objects.exclude(slug='iom-2023-2026').annotate(n=Count('priority_areas'))"
        ".order_by('-n', 'slug').values_list('slug', flat=True).first() or '')",
    )
    return output.strip().splitlines()[-1] if output.strip() else ""


def run(args: argparse.Namespace) -> int:
    """Run the whole benchmark; return the exit status."""
    started = time.perf_counter()
    large = args.strategies
    work = loopback.workdir("strategy-monitor-bench")
    try:
        return _run(args, work=work, large=large, started=started)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(args: argparse.Namespace, *, work: Path, large: int, started: float) -> int:
    with loopback.Postgres(prefix="bench") as postgres:
        say("Collecting static files …")
        site = loopback.site_prepare(settings_module="tools.settings_bench", var_dir=work)
        small_db = postgres.create("small")
        say(f"Loading the IOM strategy and the demo data into {small_db} …")
        loopback.site_load(site, small_db)
        say("Issuing a consultation brief of the IOM strategy …")
        issued_brief_pk = _brief_issue(site, small_db)
        loopback.manage(site, small_db, "shell", "-v", "0", "-c", JOB_CREATE)
        postgres.analyze(small_db)
        large_db = postgres.create("large", template=small_db)
        say(f"Generating a portfolio of {large} strategies in {large_db} …")
        generate_seconds = timed(
            lambda: loopback.manage(
                site,
                large_db,
                "generate_portfolio",
                "--strategies",
                str(large),
                "--seed",
                str(args.seed),
            )
        )
        postgres.analyze(large_db)
        _django_setup(site, small_db)
        paths = {page.label: _page_path(page, issued_brief_pk=issued_brief_pk) for page in PAGES}

        say(f"Serving both with gunicorn ({args.workers} workers each) …")
        with (
            loopback.Gunicorn(
                site=site, database=small_db, workers=args.workers, log_path=work / "small.log"
            ) as small_server,
            loopback.Gunicorn(
                site=site, database=large_db, workers=args.workers, log_path=work / "large.log"
            ) as large_server,
        ):
            targets = []
            for size, server in ((SMALL, small_server), (large, large_server)):
                sessions = {}
                for username in {page.user for page in PAGES}:
                    session = loopback.Session(server.port)
                    session.login(username, site.password)
                    sessions[username] = session
                for page in PAGES:
                    session, path = sessions[page.user], paths[page.label]
                    targets.append((page, size, lambda s=session, p=path: s.get(p)))
            # Pages alternate by size within each round: page 1 at 1 and at 40, page 2 …
            targets.sort(key=lambda target: PAGES.index(target[0]))
            say(
                f"Measuring {len(PAGES)} pages at {SMALL} and {large} strategies: "
                f"{args.warmup} rounds of warm-up, {args.rounds} measured …"
            )
            samples = pages_measure(targets, rounds=args.rounds, warmup=args.warmup)

        results = pages_aggregate(samples, PAGES)
        entries = [entry(f"generate_portfolio --strategies {large}", generate_seconds, "s")]
        entries += page_entries(results, large=large)
        checks = page_checks(results, large=large)

        export_results = []
        if args.runs:
            slugs = [loopback.IOM_SLUG, _largest_generated(site, large_db)]
            for slug in filter(None, slugs):
                say(f"Measuring the brief and the workbook of {slug} ({args.runs} runs each) …")
                export_results.append(
                    exports_aggregate(_exports_child(site, large_db, slug, args.runs))
                )
        for result in export_results:
            entries += export_entries(result)
            checks += export_checks(result)

        portfolio = imported = None
        if args.portfolio:
            say(f"Building the portfolio export of {large} strategies …")
            portfolio = _child(site, large_db, "--portfolio-as", "manager")
        if args.import_rows:
            say(f"Importing a workbook of {args.import_rows} rows through its job …")
            imported = _child(site, large_db, "--import-rows-child", str(args.import_rows))
        entries += job_entries(portfolio, imported)
        checks += job_checks(portfolio, imported)

    json_write(entries, args.output)
    print()
    print(
        f"Server time per request, in ms: median and 95th percentile of {args.rounds} requests "
        f"per page and size, gunicorn with {args.workers} workers, PostgreSQL, {os.cpu_count()} "
        "CPUs. Growth: median at "
        f"{large} / median at {SMALL} (target ≤ {STRATEGY_GROWTH:g}, portfolio ≤ "
        f"{PORTFOLIO_GROWTH:g}). × floor: median at {large} / the floor page's (target ≤ "
        f"{FLOOR_MULTIPLE:g}, the issued brief's download ≤ {ISSUED_BRIEF_FLOOR_MULTIPLE:g}). "
        "Queries: per request, at each size (must be equal)."
    )
    print()
    print(pages_table(results, large=large))
    if export_results:
        print()
        print(f"Exports, medians of {args.runs} runs in a warm process, at {large} strategies:")
        print()
        print(exports_table(export_results))
    if portfolio or imported:
        print()
        print(jobs_table(portfolio, imported))
    print()
    missed = [check for check in checks if not check.met]
    print(f"Targets: {len(checks) - len(missed)} of {len(checks)} met.")
    for check in missed:
        print(f"  {check.describe()}")
    print(
        f"generate_portfolio --strategies {large}: {generate_seconds:.1f} s. "
        f"Wrote {len(entries)} entries to {args.output}. "
        f"The whole run took {time.perf_counter() - started:.0f} s."
    )
    return 1 if missed and args.strict else 0


def parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench",
        description="Measure the main pages at 1 and at many strategies, and the exports.",
    )
    parser.add_argument("--strategies", type=int, default=DEFAULT_STRATEGIES)
    parser.add_argument(
        "--rounds", type=int, default=DEFAULT_ROUNDS, help="Measured requests per page and size."
    )
    parser.add_argument("--warmup", type=int, default=DEFAULT_WARMUP)
    parser.add_argument(
        "--runs", type=int, default=DEFAULT_RUNS, help="Runs of each export (0: skip the exports)."
    )
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--strict", action="store_true", help="Exit with status 1 when a target is missed."
    )
    parser.add_argument(
        "--no-portfolio",
        dest="portfolio",
        action="store_false",
        help="Skip the portfolio export's measurement.",
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=DEFAULT_IMPORT_ROWS,
        help="Rows of the workbook imported through its job (0: skip the import).",
    )
    parser.add_argument("--exports-of", metavar="SLUG", help=argparse.SUPPRESS)
    parser.add_argument("--portfolio-as", metavar="USERNAME", help=argparse.SUPPRESS)
    parser.add_argument("--import-rows-child", type=int, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.exports_of:
        import django

        django.setup()
        print(json.dumps(exports_measure(slug=args.exports_of, runs=args.runs)))
        return 0
    if args.portfolio_as:
        import django

        django.setup()
        print(json.dumps(portfolio_measure(username=args.portfolio_as)))
        return 0
    if args.import_rows_child:
        import django

        django.setup()
        result = import_measure(
            rows=args.import_rows_child, slug=loopback.IOM_SLUG, username="admin"
        )
        print(json.dumps(result))
        return 0
    if args.strategies <= SMALL or args.rounds < 1:
        print("--strategies must be above 1 and --rounds at least 1.", file=sys.stderr)
        return 2
    try:
        return run(args)
    except HarnessError as error:
        print(f"The benchmark stopped: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
