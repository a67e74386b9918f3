"""The layout of the monitoring workbook, shared by its export and its import.

A sheet holds one or more tables. Row 1 carries the sheet's title and row 2 a note; the first
table's header is row 4, its data start in row 5. Each further table follows after one blank
row: a row with its title, then its header, then its data. A table may end with a "Total" row
of live formulas. Columns name their kind, which sets the number format on export and the type
checked on import; derived columns (totals, scores, rates) are formulas or figures the export
computes, and the import ignores them. Technical columns (slugs, keys, order, user names) are
hidden in the file but keep their place, so that the import reads them as before; a person is
shown by name, with the user name in a hidden column at the end of the table that older
workbooks lack (an optional column). The export puts a Summary sheet before these sheets; the
import does not read it.

Amounts are stored in whole DKK (or USD for the donor tables) with two decimals, formatted with
thousands separators: a workbook is where financial officers work with exact figures. The
document's millions appear in the PDF brief.
"""

import re
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from engagement.choices import ActionStatus, MeetingKind
from funding.choices import BudgetLineKind, Currency, Decision, FundingKind, Half
from priorities.choices import (
    CodeScheme,
    DefinitionStatus,
    Direction,
    PriorityKind,
    Rating,
    TeamRole,
    YearState,
)
from risks.choices import RiskCategory, RiskStatus

# Headers with a year in them are translated as their pattern: "Target 2024" as
# "Target %(year)s". Marked here so that the catalogue holds them.
YEAR_HEADERS = (
    gettext_noop("Target %(year)s"),
    gettext_noop("Actual %(year)s"),
    gettext_noop("Comment %(year)s"),
    gettext_noop("Illustrative %(year)s"),
    gettext_noop("Planned %(year)s (DKK)"),
)
YEAR_IN_TEXT = re.compile(r"^(\D*?)(\d{4})(\D*)$")


def words(text: str) -> str:
    """Return the workbook's fixed `text` (a sheet name, title or header) in the active language.

    The layout names everything in English, the language the import keys on; the export writes
    each text as the active language has it.
    """
    if not text:
        return text
    translated = gettext(text)
    if translated != text:
        return translated
    match = YEAR_IN_TEXT.match(text)
    if match:
        prefix, year, suffix = match.groups()
        pattern = f"{prefix}%(year)s{suffix}"
        translated = gettext(pattern)
        if translated != pattern:
            return translated % {"year": year}
    return text


@cache
def _words_in(language: str, text: str) -> str:
    with translation.override(language):
        return words(text)


def words_read(text: str) -> tuple[str, ...]:
    """Return the ways a workbook may write `text`: in English and in each interface language."""
    variants = [text]
    for language, _ in settings.LANGUAGES:
        translated = _words_in(language, text)
        if translated not in variants:
            variants.append(translated)
    return tuple(variants)


TITLE_ROW = 1
NOTE_ROW = 2
FIRST_HEADER_ROW = 4
TOTAL_LABEL = gettext_noop("Total")
YES, NO = gettext_noop("Yes"), gettext_noop("No")
# Between a framework's level names in one cell.
LEVEL_SEPARATOR = "; "
# Excel keeps at most this many characters in a cell.
CELL_MAX = 32_767

TEXT = "text"
LONGTEXT = "longtext"
INT = "int"
DECIMAL = "decimal"
MONEY = "money"
PERCENT = "percent"
DATE = "date"
DATETIME = "datetime"
BOOL = "bool"
CHOICE = "choice"

NUMBER_FORMATS = {
    INT: "0",
    DECIMAL: "#,##0.####",
    MONEY: "#,##0.00",
    PERCENT: "0.0%",
    DATE: "yyyy-mm-dd",
    DATETIME: "yyyy-mm-dd hh:mm",
}
EXPECTED = {
    TEXT: "text",
    LONGTEXT: "text",
    INT: "a whole number",
    DECIMAL: "a number",
    MONEY: "an amount (a number)",
    PERCENT: "a percentage",
    DATE: "a date (YYYY-MM-DD)",
    DATETIME: "a date and time (YYYY-MM-DD HH:MM)",
    BOOL: f"{YES} or {NO}",
}


@dataclass(frozen=True)
class Column:
    """A column of a table: its key, header, kind and, for choices, the allowed values."""

    key: str
    header: str
    kind: str = TEXT
    width: int = 14
    required: bool = False
    choices: tuple[tuple[str | int, str], ...] = ()
    derived: bool = False
    formula: str = ""  # for derived columns: "={a}*{b}" with other columns' keys
    row_sum: tuple[str, ...] = ()  # for derived columns: the sum of these columns in the row
    # A technical column (slug, key, user name): kept for the import, hidden from the reader.
    hidden: bool = False
    # A column that older workbooks lack: the import reads it when its header is there.
    optional: bool = False

    @property
    def expected(self) -> str:
        """Return what a cell of this column must hold, for error messages."""
        if self.kind == CHOICE:
            return "one of: " + ", ".join(label for _, label in self.choices)
        return EXPECTED[self.kind]


@dataclass(frozen=True)
class Table:
    """A table of a sheet: a title (for all but the first table), columns and totals."""

    key: str
    title: str
    columns: tuple[Column, ...]
    sum_columns: tuple[str, ...] = ()
    derived: bool = False  # a table the export computes and the import skips
    outline: str = ""  # the column whose level (1-4) sets the row's outline level
    score_columns: tuple[str, ...] = ()  # columns that get conditional formatting by band

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


@dataclass(frozen=True)
class Sheet:
    """A sheet of the workbook and the tables on it, in order."""

    name: str
    title: str
    tables: tuple[Table, ...]
    freeze_column: int = 1  # columns kept in view when scrolling right
    note: str = ""

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


@dataclass(frozen=True)
class Field:
    """A field of the strategy listed on the Overview sheet, one per row."""

    key: str
    label: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[tuple[str | int, str], ...] = ()

    @property
    def expected(self) -> str:
        """Return what the field's value must be, for error messages."""
        return Column(self.key, self.label, self.kind, choices=self.choices).expected


def _choices(enum) -> tuple[tuple[str | int, str], ...]:
    return tuple((value, str(label)) for value, label in enum.choices)


def _bool(key: str, header: str) -> Column:
    return Column(key, header, BOOL, width=12)


ILLUSTRATIVE = _bool("is_illustrative", gettext_noop("Illustrative"))


def user_key(key: str) -> str:
    """Return the key of the hidden column that holds the user name of the person in `key`."""
    return f"{key}_username"


def _user_key(key: str) -> Column:
    # The visible column shows the person's name; this one keeps the account for the import.
    header = {
        "owner": gettext_noop("Owner (user name)"),
        "decided_by": gettext_noop("Decided by (user name)"),
    }[key]
    return Column(user_key(key), header, width=14, hidden=True, optional=True)


HALVES = _choices(Half)
MID_TERM_HALVES = ((1, "First half"), (2, "Second half"))

STRATEGY_FIELDS = (
    Field("organisation_slug", gettext_noop("Partner slug"), required=True),
    Field("organisation_name", gettext_noop("Partner"), required=True),
    Field("organisation_acronym", gettext_noop("Partner acronym"), required=True),
    Field("slug", gettext_noop("Strategy slug"), required=True),
    Field("title", gettext_noop("Title"), required=True),
    Field("is_draft", gettext_noop("Draft"), BOOL),
    Field("file_number", gettext_noop("File no.")),
    Field("responsible_unit", gettext_noop("Responsible unit")),
    Field("start_year", gettext_noop("First year"), INT, required=True),
    Field("end_year", gettext_noop("Last year"), INT, required=True),
    Field("finance_act_code", gettext_noop("Finance Act code")),
    Field("desk_officer", gettext_noop("Desk officer")),
    Field("financial_officer", gettext_noop("Financial officer")),
    Field("stated_commitment_total", gettext_noop("Commitment, total (DKK)"), MONEY),
    Field("stated_disbursement_total", gettext_noop("Projected disbursement, total (DKK)"), MONEY),
    Field("mid_term_review_year", gettext_noop("Mid-term review year"), INT),
    Field(
        "mid_term_review_half",
        gettext_noop("Mid-term review half"),
        CHOICE,
        choices=MID_TERM_HALVES,
    ),
    Field("sdgs", gettext_noop("Relevant SDGs")),
    Field("overall_objective", gettext_noop("Strategic objective"), LONGTEXT),
    Field("introduction", gettext_noop("Introduction"), LONGTEXT),
    Field("justification", gettext_noop("Justification for support"), LONGTEXT),
    Field("results_monitoring", gettext_noop("How results are monitored"), LONGTEXT),
    Field("governance_involvement", gettext_noop("Danish involvement in governance"), LONGTEXT),
    Field("risks_summary", gettext_noop("Risks and challenges (front page)"), LONGTEXT),
    Field("objective_text", gettext_noop("Objective (chapter text)"), LONGTEXT),
    Field("lessons_learnt", gettext_noop("Lessons learnt (chapter text)"), LONGTEXT),
    Field("budget_text", gettext_noop("Budget (chapter text)"), LONGTEXT),
    Field("budget_note", gettext_noop("Budget table notes"), LONGTEXT),
    Field("risks_text", gettext_noop("Risks (chapter text)"), LONGTEXT),
    Field("engagement_text", gettext_noop("Engagement (chapter text)"), LONGTEXT),
    Field("partnership_agreement", gettext_noop("Partnership agreement"), LONGTEXT),
    Field("mid_term_review_scope", gettext_noop("Mid-term review scope"), LONGTEXT),
)
FIELD_BY_KEY = {field.key: field for field in STRATEGY_FIELDS}
# Workbooks exported before the chapters became the strategy's own data labelled these fields
# with one document's chapter numbers; they still import.
OLD_FIELD_LABELS = {
    "1. Objective": "objective_text",
    "3. Lessons learnt": "lessons_learnt",
    "5. Budget": "budget_text",
    "6. Risks and assumptions": "risks_text",
    "7. Engagement": "engagement_text",
}
FIELD_BY_LABEL = {
    **{label.casefold(): FIELD_BY_KEY[key] for label, key in OLD_FIELD_LABELS.items()},
    **{field.label.casefold(): field for field in STRATEGY_FIELDS},
}


def field_by_label(label) -> Field | None:
    """Return the Overview field that `label` names, in English or another interface language."""
    text = " ".join(str(label or "").split()).casefold()
    item = FIELD_BY_LABEL.get(text)
    if item is not None:
        return item
    return next(
        (
            field
            for field in STRATEGY_FIELDS
            if text in {variant.casefold() for variant in words_read(field.label)}
        ),
        None,
    )


# Sheet names, in the workbook's order.
OVERVIEW = gettext_noop("Overview")
AREAS = gettext_noop("Priority areas")
FRAMEWORK = gettext_noop("Results framework")
INDICATORS = gettext_noop("Indicators")
ASSESSMENTS = gettext_noop("Assessments")
BUDGET = gettext_noop("Budget")
APPROVALS = gettext_noop("Approvals")
COMMITMENTS = gettext_noop("Commitments")
DISBURSEMENTS = gettext_noop("Disbursements")
ALLOCATIONS = gettext_noop("Allocations")
RISKS = gettext_noop("Risks")
ACTIONS = gettext_noop("Action points")
DONORS = gettext_noop("Donor data")

ILLUSTRATIVE_NOTE = gettext_noop(
    'Rows marked "Yes" in the column Illustrative (Rating illustrative on the Risks sheet) are '
    "illustrative demo data, not recorded facts of the strategy."
)


def _money(key: str, header: str, **options) -> Column:
    return Column(key, header, MONEY, width=options.pop("width", 16), **options)


def _line_year_columns(date_key: str, date_header: str) -> tuple[Column, ...]:
    return (
        Column("line", gettext_noop("Budget line"), required=True, width=11),
        Column("year", gettext_noop("Year"), INT, required=True, width=8),
        _money("amount", gettext_noop("Amount (DKK)"), required=True),
        Column(date_key, date_header, DATE, required=True, width=13),
        Column("reference", gettext_noop("Reference"), width=24),
        Column("note", gettext_noop("Note"), LONGTEXT, width=36),
        ILLUSTRATIVE,
    )


def layout(years: tuple[int, ...]) -> tuple[Sheet, ...]:
    """Return the workbook's sheets for a strategy whose period covers `years`."""
    year_columns = []
    for year in years:
        year_columns += [
            Column(f"target_{year}", f"Target {year}", DECIMAL, width=11),
            Column(f"actual_{year}", f"Actual {year}", DECIMAL, width=11),
            Column(f"comment_{year}", f"Comment {year}", LONGTEXT, width=24),
            _bool(f"illustrative_{year}", f"Illustrative {year}"),
        ]
    planned = tuple(f"planned_{year}" for year in years)
    return (
        Sheet(
            OVERVIEW,
            gettext_noop("Overview"),
            (
                Table(
                    "strategy",
                    gettext_noop("Strategy"),
                    (
                        Column("field", gettext_noop("Field"), width=34, required=True),
                        Column("value", gettext_noop("Value"), LONGTEXT, width=90),
                    ),
                ),
                Table(
                    "years",
                    gettext_noop("Years"),
                    (
                        Column("year", gettext_noop("Year"), INT, required=True, width=34),
                        _money("planned_commitment", gettext_noop("Commitment (DKK)")),
                        _money(
                            "planned_disbursement", gettext_noop("Projected disbursement (DKK)")
                        ),
                        Column(
                            "state",
                            gettext_noop("State"),
                            CHOICE,
                            choices=_choices(YearState),
                            width=12,
                        ),
                    ),
                ),
                Table(
                    "team",
                    gettext_noop("Team"),
                    (
                        Column("username", gettext_noop("User name"), required=True, width=34),
                        Column(
                            "role",
                            gettext_noop("Role"),
                            CHOICE,
                            required=True,
                            choices=_choices(TeamRole),
                        ),
                        Column("name", gettext_noop("Name"), derived=True, width=24),
                        Column("is_illustrative", gettext_noop("Illustrative"), BOOL, width=12),
                    ),
                ),
            ),
            note=ILLUSTRATIVE_NOTE,
        ),
        Sheet(
            AREAS,
            gettext_noop("Priority areas"),
            (
                Table(
                    "areas",
                    AREAS,
                    (
                        Column("slug", gettext_noop("Slug"), required=True, width=22, hidden=True),
                        Column("number", gettext_noop("Number"), INT, width=9),
                        Column(
                            "kind",
                            gettext_noop("Kind"),
                            CHOICE,
                            required=True,
                            choices=_choices(PriorityKind),
                        ),
                        Column("title", gettext_noop("Title"), LONGTEXT, required=True, width=40),
                        Column(
                            "front_page_title", gettext_noop("Front-page title"), LONGTEXT, width=30
                        ),
                        Column("key_result", gettext_noop("Key result"), LONGTEXT, width=34),
                        Column("text", gettext_noop("Chapter text"), LONGTEXT, width=60),
                        Column(
                            "monitoring_note", gettext_noop("Monitoring note"), LONGTEXT, width=30
                        ),
                        _bool(
                            "framework_under_development",
                            gettext_noop("Framework under development"),
                        ),
                        _bool(
                            "indicators_under_development",
                            gettext_noop("Indicators under development"),
                        ),
                        Column("order", gettext_noop("Order"), INT, width=8, hidden=True),
                    ),
                ),
            ),
        ),
        Sheet(
            FRAMEWORK,
            gettext_noop("Results framework of the partner"),
            (
                Table(
                    "nodes",
                    FRAMEWORK,
                    (
                        Column(
                            "framework",
                            gettext_noop("Framework"),
                            required=True,
                            width=14,
                            hidden=True,
                        ),
                        Column("framework_name", gettext_noop("Framework name"), width=26),
                        Column("key", gettext_noop("Key"), required=True, width=16),
                        Column("code", gettext_noop("Code"), width=10),
                        Column("depth", gettext_noop("Depth"), INT, width=7),
                        Column("level", gettext_noop("Level"), width=18),
                        Column("parent", gettext_noop("Parent key"), width=16, hidden=True),
                        Column("title", gettext_noop("Title"), LONGTEXT, width=60),
                        Column(
                            "status",
                            gettext_noop("Status"),
                            CHOICE,
                            choices=_choices(DefinitionStatus),
                            width=18,
                        ),
                        _bool("is_implied", gettext_noop("Implied")),
                        Column("section", gettext_noop("Section"), width=20),
                        Column(
                            "priority_areas", gettext_noop("Followed by priority areas"), width=22
                        ),
                        Column("order", gettext_noop("Order"), INT, width=8, hidden=True),
                    ),
                    outline="depth",
                ),
                Table(
                    "frameworks",
                    gettext_noop("Frameworks and their levels"),
                    (
                        Column(
                            "framework",
                            gettext_noop("Framework"),
                            required=True,
                            width=14,
                            hidden=True,
                        ),
                        Column("name", gettext_noop("Framework name"), required=True, width=26),
                        Column(
                            "levels",
                            gettext_noop("Levels, from the top (separated by ;)"),
                            width=50,
                        ),
                        _bool("uses_codes", gettext_noop("Uses codes")),
                        Column(
                            "code_scheme",
                            gettext_noop("Code scheme"),
                            CHOICE,
                            choices=_choices(CodeScheme),
                        ),
                        Column("code_pattern", gettext_noop("Code pattern"), width=20),
                        Column("order", gettext_noop("Order"), INT, width=8, hidden=True),
                    ),
                ),
            ),
            freeze_column=4,
        ),
        Sheet(
            INDICATORS,
            gettext_noop("Indicators: baseline, and target and actual per year"),
            (
                Table(
                    "indicators",
                    INDICATORS,
                    (
                        Column("area", gettext_noop("Priority area"), required=True, width=18),
                        Column("key", gettext_noop("Key"), required=True, width=14),
                        Column("code", gettext_noop("Code"), width=9),
                        Column("title", gettext_noop("Title"), LONGTEXT, width=44),
                        Column(
                            "framework",
                            gettext_noop("Framework"),
                            required=True,
                            width=12,
                            hidden=True,
                        ),
                        Column(
                            "node", gettext_noop("Node key"), required=True, width=12, hidden=True
                        ),
                        Column("unit", gettext_noop("Unit"), width=16),
                        _bool("allows_negative", gettext_noop("Allows negative")),
                        Column("baseline", gettext_noop("Baseline"), DECIMAL, width=11),
                        Column("baseline_year", gettext_noop("Baseline year"), INT, width=9),
                        Column(
                            "direction",
                            gettext_noop("Direction"),
                            CHOICE,
                            choices=_choices(Direction),
                        ),
                        Column(
                            "status",
                            gettext_noop("Status"),
                            CHOICE,
                            choices=_choices(DefinitionStatus),
                            width=18,
                        ),
                        Column("order", gettext_noop("Order"), INT, width=8, hidden=True),
                        ILLUSTRATIVE,
                        *year_columns,
                    ),
                ),
            ),
            freeze_column=4,
        ),
        Sheet(
            ASSESSMENTS,
            gettext_noop("Ratings of the priority areas per year"),
            (
                Table(
                    "assessments",
                    ASSESSMENTS,
                    (
                        Column("area", gettext_noop("Priority area"), required=True, width=22),
                        Column("year", gettext_noop("Year"), INT, required=True, width=8),
                        Column(
                            "rating",
                            gettext_noop("Rating"),
                            CHOICE,
                            required=True,
                            choices=_choices(Rating),
                        ),
                        Column("narrative", gettext_noop("Narrative"), LONGTEXT, width=80),
                        ILLUSTRATIVE,
                    ),
                ),
            ),
            freeze_column=2,
        ),
        Sheet(
            BUDGET,
            gettext_noop("Budget: planned amounts per line and year (DKK)"),
            (
                Table(
                    "lines",
                    gettext_noop("Budget lines"),
                    (
                        Column("code", gettext_noop("Code"), required=True, width=8),
                        Column(
                            "name", gettext_noop("Budget line"), LONGTEXT, required=True, width=44
                        ),
                        Column(
                            "kind",
                            gettext_noop("Kind"),
                            CHOICE,
                            required=True,
                            choices=_choices(BudgetLineKind),
                            width=20,
                        ),
                        Column("finance_act_code", gettext_noop("Finance Act code"), width=14),
                        Column("responsible_unit", gettext_noop("Responsible unit"), width=18),
                        Column(
                            "currency",
                            gettext_noop("Currency"),
                            CHOICE,
                            choices=_choices(Currency),
                            width=9,
                        ),
                        Column("order", gettext_noop("Order"), INT, width=7),
                        *(_money(key, f"Planned {key[-4:]} (DKK)") for key in planned),
                        _money("total", gettext_noop("Total (DKK)"), derived=True, row_sum=planned),
                    ),
                    sum_columns=(*planned, "total"),
                ),
                Table(
                    "execution",
                    gettext_noop("Execution by line and year (computed from the other sheets)"),
                    (
                        Column("code", gettext_noop("Code"), width=8),
                        Column("year", gettext_noop("Year"), INT, width=8),
                        _money("planned", gettext_noop("Planned (DKK)")),
                        _money("approved", gettext_noop("Approved (DKK)")),
                        _money("committed", gettext_noop("Committed (DKK)")),
                        _money("disbursed", gettext_noop("Disbursed (DKK)")),
                        _money(
                            "remaining",
                            gettext_noop("Remaining (DKK)"),
                            derived=True,
                            formula="={committed}-{disbursed}",
                        ),
                        Column(
                            "execution_rate",
                            gettext_noop("Execution rate"),
                            PERCENT,
                            derived=True,
                            formula='=IF(N({approved})=0,"",{disbursed}/{approved})',
                            width=12,
                        ),
                        ILLUSTRATIVE,
                    ),
                    sum_columns=("planned", "approved", "committed", "disbursed", "remaining"),
                    derived=True,
                ),
                Table(
                    "revisions",
                    gettext_noop(
                        "Revised planned amounts (the plan above holds the current figures)"
                    ),
                    (
                        Column("code", gettext_noop("Code"), width=8),
                        Column("year", gettext_noop("Year"), INT, width=8),
                        _money("original", gettext_noop("Original (DKK)")),
                        Column("original_source", gettext_noop("Stated in"), width=28),
                        Column("revised_on", gettext_noop("Revised on"), DATE, width=12),
                        _money("amount", gettext_noop("Revised to (DKK)")),
                        # Named apart from the original's: a table's headers are its columns'
                        # names, each once.
                        Column("source", gettext_noop("Revision stated in"), width=28),
                        Column("reason", gettext_noop("Reason"), LONGTEXT, width=40),
                    ),
                    derived=True,
                ),
                Table(
                    "printed_totals",
                    gettext_noop("Printed totals that differ from the sum of the years"),
                    (
                        Column("total", gettext_noop("Total"), width=28),
                        Column(
                            "warning", gettext_noop("Difference (DKK million)"), LONGTEXT, width=70
                        ),
                    ),
                    derived=True,
                ),
            ),
            freeze_column=2,
        ),
        Sheet(
            APPROVALS,
            gettext_noop("Parliamentary approvals (Finance Act)"),
            (
                Table(
                    "approvals",
                    APPROVALS,
                    _line_year_columns("approved_on", gettext_noop("Approved on")),
                    sum_columns=("amount",),
                ),
            ),
        ),
        Sheet(
            COMMITMENTS,
            gettext_noop("Commitments"),
            (
                Table(
                    "commitments",
                    COMMITMENTS,
                    _line_year_columns("committed_on", gettext_noop("Committed on")),
                    sum_columns=("amount",),
                ),
            ),
        ),
        Sheet(
            DISBURSEMENTS,
            gettext_noop("Disbursements"),
            (
                Table(
                    "disbursements",
                    DISBURSEMENTS,
                    _line_year_columns("paid_on", gettext_noop("Paid on")),
                    sum_columns=("amount",),
                ),
            ),
        ),
        Sheet(
            ALLOCATIONS,
            gettext_noop("Allocations decided in dialogue with the partner"),
            (
                Table(
                    "allocations",
                    gettext_noop("Proposals"),
                    (
                        Column("line", gettext_noop("Budget line"), required=True, width=11),
                        Column("year", gettext_noop("Year"), INT, required=True, width=8),
                        Column(
                            "half",
                            gettext_noop("Half"),
                            CHOICE,
                            required=True,
                            choices=HALVES,
                            width=12,
                        ),
                        Column("office", gettext_noop("Office"), width=18),
                        Column("theme", gettext_noop("Use"), LONGTEXT, required=True, width=34),
                        _money("amount", gettext_noop("Amount (DKK)"), required=True),
                        Column("description", gettext_noop("Description"), LONGTEXT, width=40),
                        Column(
                            "decision", gettext_noop("Decision"), CHOICE, choices=_choices(Decision)
                        ),
                        Column("decision_reason", gettext_noop("Reason"), LONGTEXT, width=34),
                        Column("decided_by", gettext_noop("Decided by"), width=20),
                        Column("decided_at", gettext_noop("Decided at"), DATETIME, width=17),
                        ILLUSTRATIVE,
                        _user_key("decided_by"),
                    ),
                    sum_columns=("amount",),
                ),
                Table(
                    "rounds",
                    gettext_noop("Allocation rounds"),
                    (
                        Column("line", gettext_noop("Budget line"), required=True, width=11),
                        Column("year", gettext_noop("Year"), INT, required=True, width=8),
                        Column(
                            "half",
                            gettext_noop("Half"),
                            CHOICE,
                            required=True,
                            choices=HALVES,
                            width=12,
                        ),
                        Column("dialogue_on", gettext_noop("Dialogue on"), DATE, width=13),
                        Column("note", gettext_noop("Note"), LONGTEXT, width=40),
                        ILLUSTRATIVE,
                    ),
                ),
            ),
        ),
        Sheet(
            RISKS,
            gettext_noop("Risk register"),
            (
                Table(
                    "risks",
                    RISKS,
                    (
                        Column("key", gettext_noop("Key"), required=True, width=20, hidden=True),
                        Column("title", gettext_noop("Risk"), LONGTEXT, required=True, width=36),
                        Column(
                            "category",
                            gettext_noop("Category"),
                            CHOICE,
                            choices=_choices(RiskCategory),
                        ),
                        Column("description", gettext_noop("Description"), LONGTEXT, width=36),
                        Column("response", gettext_noop("Response"), LONGTEXT, width=44),
                        Column("likelihood", gettext_noop("Likelihood"), INT, width=10),
                        Column("impact", gettext_noop("Impact"), INT, width=9),
                        Column(
                            "score",
                            gettext_noop("Score"),
                            INT,
                            derived=True,
                            width=8,
                            formula="=IF(AND(N({likelihood})>0,N({impact})>0),"
                            '{likelihood}*{impact},"")',
                        ),
                        Column(
                            "residual_likelihood",
                            gettext_noop("Residual likelihood"),
                            INT,
                            width=10,
                        ),
                        Column("residual_impact", gettext_noop("Residual impact"), INT, width=9),
                        Column(
                            "residual_score",
                            gettext_noop("Residual score"),
                            INT,
                            derived=True,
                            width=9,
                            formula="=IF(AND(N({residual_likelihood})>0,N({residual_impact})>0),"
                            '{residual_likelihood}*{residual_impact},"")',
                        ),
                        Column(
                            "residual_justification",
                            gettext_noop("Justification"),
                            LONGTEXT,
                            width=24,
                        ),
                        Column(
                            "status",
                            gettext_noop("Status"),
                            CHOICE,
                            choices=_choices(RiskStatus),
                            width=9,
                        ),
                        Column(
                            "closed_reason", gettext_noop("Reason for closing"), LONGTEXT, width=24
                        ),
                        Column("next_review", gettext_noop("Next review"), DATE, width=12),
                        Column("owner", gettext_noop("Owner"), width=20),
                        Column("priority_areas", gettext_noop("Priority areas"), width=16),
                        _bool("rating_is_illustrative", gettext_noop("Rating illustrative")),
                        Column("order", gettext_noop("Order"), INT, width=7, hidden=True),
                        _user_key("owner"),
                    ),
                    score_columns=("score", "residual_score"),
                ),
            ),
            freeze_column=2,
        ),
        Sheet(
            ACTIONS,
            gettext_noop("Action points and the meetings that agreed them"),
            (
                Table(
                    "actions",
                    ACTIONS,
                    (
                        Column("meeting", gettext_noop("Meeting"), width=28),
                        Column("meeting_date", gettext_noop("Meeting date"), DATE, width=12),
                        Column(
                            "text", gettext_noop("Action point"), LONGTEXT, required=True, width=50
                        ),
                        Column("owner", gettext_noop("Owner"), width=20),
                        Column("due_on", gettext_noop("Due"), DATE, width=12),
                        Column(
                            "status", gettext_noop("Status"), CHOICE, choices=_choices(ActionStatus)
                        ),
                        Column("closing_note", gettext_noop("Closing note"), LONGTEXT, width=30),
                        Column("priority_area", gettext_noop("Priority area"), width=16),
                        ILLUSTRATIVE,
                        _user_key("owner"),
                    ),
                ),
                Table(
                    "meetings",
                    gettext_noop("Meetings"),
                    (
                        Column("title", gettext_noop("Meeting"), required=True, width=28),
                        Column(
                            "held_on", gettext_noop("Meeting date"), DATE, required=True, width=12
                        ),
                        Column(
                            "kind",
                            gettext_noop("Kind"),
                            CHOICE,
                            required=True,
                            choices=_choices(MeetingKind),
                        ),
                        Column("body", gettext_noop("Governing body"), width=20),
                        Column("location", gettext_noop("Location"), width=16),
                        Column("summary", gettext_noop("Summary"), LONGTEXT, width=50),
                        ILLUSTRATIVE,
                    ),
                ),
            ),
        ),
        Sheet(
            DONORS,
            gettext_noop("Donor data of the annexes"),
            (
                Table(
                    "donor_tables",
                    gettext_noop("Tables"),
                    (
                        Column("key", gettext_noop("Table"), required=True, width=22),
                        Column("title", gettext_noop("Title"), LONGTEXT, required=True, width=40),
                        Column(
                            "currency",
                            gettext_noop("Currency"),
                            CHOICE,
                            choices=_choices(Currency),
                            width=9,
                        ),
                        Column("year", gettext_noop("Year"), INT, width=8),
                        Column("as_of", gettext_noop("As of"), DATE, width=12),
                        Column("notes", gettext_noop("Notes"), LONGTEXT, width=40),
                        Column("source", gettext_noop("Source"), width=16),
                    ),
                ),
                Table(
                    "funding_rows",
                    gettext_noop("Funding by project"),
                    (
                        Column("table", gettext_noop("Table"), required=True, width=22),
                        Column("order", gettext_noop("Order"), INT, required=True, width=8),
                        Column("donor", gettext_noop("Donor"), required=True, width=14),
                        Column("title", gettext_noop("Project"), LONGTEXT, required=True, width=50),
                        Column(
                            "kind",
                            gettext_noop("Kind"),
                            CHOICE,
                            required=True,
                            choices=_choices(FundingKind),
                        ),
                        Column("amount", gettext_noop("Amount"), MONEY, required=True, width=14),
                        _bool("is_refund", gettext_noop("Refund")),
                    ),
                ),
                Table(
                    "unearmarked_donors",
                    gettext_noop("Unearmarked funding: member states"),
                    (
                        Column("table", gettext_noop("Table"), required=True, width=22),
                        Column(
                            "member_state", gettext_noop("Member state"), required=True, width=26
                        ),
                        Column("order", gettext_noop("Order"), INT, required=True, width=8),
                        Column("stated_total", gettext_noop("Total as printed"), MONEY, width=14),
                    ),
                ),
                Table(
                    "contributions",
                    gettext_noop(
                        "Unearmarked funding: contributions (no amount where the table prints -)"
                    ),
                    (
                        Column("table", gettext_noop("Table"), required=True, width=22),
                        Column(
                            "member_state", gettext_noop("Member state"), required=True, width=26
                        ),
                        Column("year", gettext_noop("Year"), INT, required=True, width=8),
                        Column("amount", gettext_noop("Amount"), MONEY, width=14),
                        _bool("is_pledged", gettext_noop("Pledged")),
                    ),
                ),
                Table(
                    "earmarked_donors",
                    gettext_noop("Top earmarked donors"),
                    (
                        Column("table", gettext_noop("Table"), required=True, width=22),
                        Column("rank", gettext_noop("Rank"), INT, required=True, width=8),
                        Column("donor", gettext_noop("Donor"), required=True, width=26),
                        Column("amount", gettext_noop("Amount"), MONEY, required=True, width=14),
                    ),
                ),
                Table(
                    "stated_totals",
                    gettext_noop("Totals as printed"),
                    (
                        Column("table", gettext_noop("Table"), required=True, width=22),
                        Column("key", gettext_noop("Key"), required=True, width=26),
                        Column("label", gettext_noop("Label"), LONGTEXT, required=True, width=30),
                        Column(
                            "kind",
                            gettext_noop("Kind"),
                            CHOICE,
                            choices=_choices(FundingKind),
                            width=14,
                        ),
                        Column("year", gettext_noop("Year"), INT, width=8),
                        Column("amount", gettext_noop("Amount"), MONEY, required=True, width=14),
                        Column("growth_percent", gettext_noop("Growth (%)"), DECIMAL, width=10),
                    ),
                ),
            ),
        ),
    )


@dataclass(frozen=True)
class TableRows:
    """The rows of one table, each a mapping of column key to a plain value."""

    key: str
    rows: tuple[dict, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SheetRows:
    """The rows of a sheet's tables, and the notes the export adds to the sheet."""

    name: str
    tables: tuple[TableRows, ...]
    has_illustrative: bool = False

    def table(self, key: str) -> TableRows:
        return next((table for table in self.tables if table.key == key), TableRows(key))
