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

from dataclasses import dataclass, field

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

TITLE_ROW = 1
NOTE_ROW = 2
FIRST_HEADER_ROW = 4
TOTAL_LABEL = "Total"
YES, NO = "Yes", "No"
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


ILLUSTRATIVE = _bool("is_illustrative", "Illustrative")


def user_key(key: str) -> str:
    """Return the key of the hidden column that holds the user name of the person in `key`."""
    return f"{key}_username"


def _user_key(key: str) -> Column:
    # The visible column shows the person's name; this one keeps the account for the import.
    header = {"owner": "Owner", "decided_by": "Decided by"}[key]
    return Column(user_key(key), f"{header} (user name)", width=14, hidden=True, optional=True)


HALVES = _choices(Half)
MID_TERM_HALVES = ((1, "First half"), (2, "Second half"))

STRATEGY_FIELDS = (
    Field("organisation_slug", "Partner slug", required=True),
    Field("organisation_name", "Partner", required=True),
    Field("organisation_acronym", "Partner acronym", required=True),
    Field("slug", "Strategy slug", required=True),
    Field("title", "Title", required=True),
    Field("is_draft", "Draft", BOOL),
    Field("file_number", "File no."),
    Field("responsible_unit", "Responsible unit"),
    Field("start_year", "First year", INT, required=True),
    Field("end_year", "Last year", INT, required=True),
    Field("finance_act_code", "Finance Act code"),
    Field("desk_officer", "Desk officer"),
    Field("financial_officer", "Financial officer"),
    Field("stated_commitment_total", "Commitment, total (DKK)", MONEY),
    Field("stated_disbursement_total", "Projected disbursement, total (DKK)", MONEY),
    Field("mid_term_review_year", "Mid-term review year", INT),
    Field("mid_term_review_half", "Mid-term review half", CHOICE, choices=MID_TERM_HALVES),
    Field("sdgs", "Relevant SDGs"),
    Field("overall_objective", "Strategic objective", LONGTEXT),
    Field("introduction", "Introduction", LONGTEXT),
    Field("justification", "Justification for support", LONGTEXT),
    Field("results_monitoring", "How results are monitored", LONGTEXT),
    Field("governance_involvement", "Danish involvement in governance", LONGTEXT),
    Field("risks_summary", "Risks and challenges (front page)", LONGTEXT),
    Field("objective_text", "Objective (chapter text)", LONGTEXT),
    Field("lessons_learnt", "Lessons learnt (chapter text)", LONGTEXT),
    Field("budget_text", "Budget (chapter text)", LONGTEXT),
    Field("budget_note", "Budget table notes", LONGTEXT),
    Field("risks_text", "Risks (chapter text)", LONGTEXT),
    Field("engagement_text", "Engagement (chapter text)", LONGTEXT),
    Field("partnership_agreement", "Partnership agreement", LONGTEXT),
    Field("mid_term_review_scope", "Mid-term review scope", LONGTEXT),
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

# Sheet names, in the workbook's order.
OVERVIEW = "Overview"
AREAS = "Priority areas"
FRAMEWORK = "Results framework"
INDICATORS = "Indicators"
ASSESSMENTS = "Assessments"
BUDGET = "Budget"
APPROVALS = "Approvals"
COMMITMENTS = "Commitments"
DISBURSEMENTS = "Disbursements"
ALLOCATIONS = "Allocations"
RISKS = "Risks"
ACTIONS = "Action points"
DONORS = "Donor data"

ILLUSTRATIVE_NOTE = (
    'Rows marked "Yes" in the column Illustrative (Rating illustrative on the Risks sheet) are '
    "illustrative demo data, not recorded facts of the strategy."
)


def _money(key: str, header: str, **options) -> Column:
    return Column(key, header, MONEY, width=options.pop("width", 16), **options)


def _line_year_columns(date_key: str, date_header: str) -> tuple[Column, ...]:
    return (
        Column("line", "Budget line", required=True, width=11),
        Column("year", "Year", INT, required=True, width=8),
        _money("amount", "Amount (DKK)", required=True),
        Column(date_key, date_header, DATE, required=True, width=13),
        Column("reference", "Reference", width=24),
        Column("note", "Note", LONGTEXT, width=36),
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
            "Overview",
            (
                Table(
                    "strategy",
                    "Strategy",
                    (
                        Column("field", "Field", width=34, required=True),
                        Column("value", "Value", LONGTEXT, width=90),
                    ),
                ),
                Table(
                    "years",
                    "Years",
                    (
                        Column("year", "Year", INT, required=True, width=34),
                        _money("planned_commitment", "Commitment (DKK)"),
                        _money("planned_disbursement", "Projected disbursement (DKK)"),
                        Column("state", "State", CHOICE, choices=_choices(YearState), width=12),
                    ),
                ),
                Table(
                    "team",
                    "Team",
                    (
                        Column("username", "User name", required=True, width=34),
                        Column("role", "Role", CHOICE, required=True, choices=_choices(TeamRole)),
                        Column("name", "Name", derived=True, width=24),
                        Column("is_illustrative", "Illustrative", BOOL, width=12),
                    ),
                ),
            ),
            note=ILLUSTRATIVE_NOTE,
        ),
        Sheet(
            AREAS,
            "Priority areas",
            (
                Table(
                    "areas",
                    AREAS,
                    (
                        Column("slug", "Slug", required=True, width=22, hidden=True),
                        Column("number", "Number", INT, width=9),
                        Column(
                            "kind", "Kind", CHOICE, required=True, choices=_choices(PriorityKind)
                        ),
                        Column("title", "Title", LONGTEXT, required=True, width=40),
                        Column("front_page_title", "Front-page title", LONGTEXT, width=30),
                        Column("key_result", "Key result", LONGTEXT, width=34),
                        Column("text", "Chapter text", LONGTEXT, width=60),
                        Column("monitoring_note", "Monitoring note", LONGTEXT, width=30),
                        _bool("framework_under_development", "Framework under development"),
                        _bool("indicators_under_development", "Indicators under development"),
                        Column("order", "Order", INT, width=8, hidden=True),
                    ),
                ),
            ),
        ),
        Sheet(
            FRAMEWORK,
            "Results framework of the partner",
            (
                Table(
                    "nodes",
                    FRAMEWORK,
                    (
                        Column("framework", "Framework", required=True, width=14, hidden=True),
                        Column("framework_name", "Framework name", width=26),
                        Column("key", "Key", required=True, width=16),
                        Column("code", "Code", width=10),
                        Column("depth", "Depth", INT, width=7),
                        Column("level", "Level", width=18),
                        Column("parent", "Parent key", width=16, hidden=True),
                        Column("title", "Title", LONGTEXT, width=60),
                        Column(
                            "status", "Status", CHOICE, choices=_choices(DefinitionStatus), width=18
                        ),
                        _bool("is_implied", "Implied"),
                        Column("section", "Section", width=20),
                        Column("priority_areas", "Followed by priority areas", width=22),
                        Column("order", "Order", INT, width=8, hidden=True),
                    ),
                    outline="depth",
                ),
                Table(
                    "frameworks",
                    "Frameworks and their levels",
                    (
                        Column("framework", "Framework", required=True, width=14, hidden=True),
                        Column("name", "Framework name", required=True, width=26),
                        Column("levels", "Levels, from the top (separated by ;)", width=50),
                        _bool("uses_codes", "Uses codes"),
                        Column("code_scheme", "Code scheme", CHOICE, choices=_choices(CodeScheme)),
                        Column("code_pattern", "Code pattern", width=20),
                        Column("order", "Order", INT, width=8, hidden=True),
                    ),
                ),
            ),
            freeze_column=4,
        ),
        Sheet(
            INDICATORS,
            "Indicators: baseline, and target and actual per year",
            (
                Table(
                    "indicators",
                    INDICATORS,
                    (
                        Column("area", "Priority area", required=True, width=18),
                        Column("key", "Key", required=True, width=14),
                        Column("code", "Code", width=9),
                        Column("title", "Title", LONGTEXT, width=44),
                        Column("framework", "Framework", required=True, width=12, hidden=True),
                        Column("node", "Node key", required=True, width=12, hidden=True),
                        Column("unit", "Unit", width=16),
                        _bool("allows_negative", "Allows negative"),
                        Column("baseline", "Baseline", DECIMAL, width=11),
                        Column("baseline_year", "Baseline year", INT, width=9),
                        Column("direction", "Direction", CHOICE, choices=_choices(Direction)),
                        Column(
                            "status", "Status", CHOICE, choices=_choices(DefinitionStatus), width=18
                        ),
                        Column("order", "Order", INT, width=8, hidden=True),
                        ILLUSTRATIVE,
                        *year_columns,
                    ),
                ),
            ),
            freeze_column=4,
        ),
        Sheet(
            ASSESSMENTS,
            "Ratings of the priority areas per year",
            (
                Table(
                    "assessments",
                    ASSESSMENTS,
                    (
                        Column("area", "Priority area", required=True, width=22),
                        Column("year", "Year", INT, required=True, width=8),
                        Column("rating", "Rating", CHOICE, required=True, choices=_choices(Rating)),
                        Column("narrative", "Narrative", LONGTEXT, width=80),
                        ILLUSTRATIVE,
                    ),
                ),
            ),
            freeze_column=2,
        ),
        Sheet(
            BUDGET,
            "Budget: planned amounts per line and year (DKK)",
            (
                Table(
                    "lines",
                    "Budget lines",
                    (
                        Column("code", "Code", required=True, width=8),
                        Column("name", "Budget line", LONGTEXT, required=True, width=44),
                        Column(
                            "kind",
                            "Kind",
                            CHOICE,
                            required=True,
                            choices=_choices(BudgetLineKind),
                            width=20,
                        ),
                        Column("finance_act_code", "Finance Act code", width=14),
                        Column("responsible_unit", "Responsible unit", width=18),
                        Column("currency", "Currency", CHOICE, choices=_choices(Currency), width=9),
                        Column("order", "Order", INT, width=7),
                        *(_money(key, f"Planned {key[-4:]} (DKK)") for key in planned),
                        _money("total", "Total (DKK)", derived=True, row_sum=planned),
                    ),
                    sum_columns=(*planned, "total"),
                ),
                Table(
                    "execution",
                    "Execution by line and year (computed from the other sheets)",
                    (
                        Column("code", "Code", width=8),
                        Column("year", "Year", INT, width=8),
                        _money("planned", "Planned (DKK)"),
                        _money("approved", "Approved (DKK)"),
                        _money("committed", "Committed (DKK)"),
                        _money("disbursed", "Disbursed (DKK)"),
                        _money(
                            "remaining",
                            "Remaining (DKK)",
                            derived=True,
                            formula="={committed}-{disbursed}",
                        ),
                        Column(
                            "execution_rate",
                            "Execution rate",
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
                    "Revised planned amounts (the plan above holds the current figures)",
                    (
                        Column("code", "Code", width=8),
                        Column("year", "Year", INT, width=8),
                        _money("original", "Original (DKK)"),
                        Column("original_source", "Stated in", width=28),
                        Column("revised_on", "Revised on", DATE, width=12),
                        _money("amount", "Revised to (DKK)"),
                        Column("source", "Stated in", width=28),
                        Column("reason", "Reason", LONGTEXT, width=40),
                    ),
                    derived=True,
                ),
                Table(
                    "printed_totals",
                    "Printed totals that differ from the sum of the years",
                    (
                        Column("total", "Total", width=28),
                        Column("warning", "Difference (DKK million)", LONGTEXT, width=70),
                    ),
                    derived=True,
                ),
            ),
            freeze_column=2,
        ),
        Sheet(
            APPROVALS,
            "Parliamentary approvals (Finance Act)",
            (
                Table(
                    "approvals",
                    APPROVALS,
                    _line_year_columns("approved_on", "Approved on"),
                    sum_columns=("amount",),
                ),
            ),
        ),
        Sheet(
            COMMITMENTS,
            "Commitments",
            (
                Table(
                    "commitments",
                    COMMITMENTS,
                    _line_year_columns("committed_on", "Committed on"),
                    sum_columns=("amount",),
                ),
            ),
        ),
        Sheet(
            DISBURSEMENTS,
            "Disbursements",
            (
                Table(
                    "disbursements",
                    DISBURSEMENTS,
                    _line_year_columns("paid_on", "Paid on"),
                    sum_columns=("amount",),
                ),
            ),
        ),
        Sheet(
            ALLOCATIONS,
            "Allocations decided in dialogue with the partner",
            (
                Table(
                    "allocations",
                    "Proposals",
                    (
                        Column("line", "Budget line", required=True, width=11),
                        Column("year", "Year", INT, required=True, width=8),
                        Column("half", "Half", CHOICE, required=True, choices=HALVES, width=12),
                        Column("office", "Office", width=18),
                        Column("theme", "Use", LONGTEXT, required=True, width=34),
                        _money("amount", "Amount (DKK)", required=True),
                        Column("description", "Description", LONGTEXT, width=40),
                        Column("decision", "Decision", CHOICE, choices=_choices(Decision)),
                        Column("decision_reason", "Reason", LONGTEXT, width=34),
                        Column("decided_by", "Decided by", width=20),
                        Column("decided_at", "Decided at", DATETIME, width=17),
                        ILLUSTRATIVE,
                        _user_key("decided_by"),
                    ),
                    sum_columns=("amount",),
                ),
                Table(
                    "rounds",
                    "Allocation rounds",
                    (
                        Column("line", "Budget line", required=True, width=11),
                        Column("year", "Year", INT, required=True, width=8),
                        Column("half", "Half", CHOICE, required=True, choices=HALVES, width=12),
                        Column("dialogue_on", "Dialogue on", DATE, width=13),
                        Column("note", "Note", LONGTEXT, width=40),
                        ILLUSTRATIVE,
                    ),
                ),
            ),
        ),
        Sheet(
            RISKS,
            "Risk register",
            (
                Table(
                    "risks",
                    RISKS,
                    (
                        Column("key", "Key", required=True, width=20, hidden=True),
                        Column("title", "Risk", LONGTEXT, required=True, width=36),
                        Column("category", "Category", CHOICE, choices=_choices(RiskCategory)),
                        Column("description", "Description", LONGTEXT, width=36),
                        Column("response", "Response", LONGTEXT, width=44),
                        Column("likelihood", "Likelihood", INT, width=10),
                        Column("impact", "Impact", INT, width=9),
                        Column(
                            "score",
                            "Score",
                            INT,
                            derived=True,
                            width=8,
                            formula="=IF(AND(N({likelihood})>0,N({impact})>0),"
                            '{likelihood}*{impact},"")',
                        ),
                        Column("residual_likelihood", "Residual likelihood", INT, width=10),
                        Column("residual_impact", "Residual impact", INT, width=9),
                        Column(
                            "residual_score",
                            "Residual score",
                            INT,
                            derived=True,
                            width=9,
                            formula="=IF(AND(N({residual_likelihood})>0,N({residual_impact})>0),"
                            '{residual_likelihood}*{residual_impact},"")',
                        ),
                        Column("residual_justification", "Justification", LONGTEXT, width=24),
                        Column("status", "Status", CHOICE, choices=_choices(RiskStatus), width=9),
                        Column("closed_reason", "Reason for closing", LONGTEXT, width=24),
                        Column("next_review", "Next review", DATE, width=12),
                        Column("owner", "Owner", width=20),
                        Column("priority_areas", "Priority areas", width=16),
                        _bool("rating_is_illustrative", "Rating illustrative"),
                        Column("order", "Order", INT, width=7, hidden=True),
                        _user_key("owner"),
                    ),
                    score_columns=("score", "residual_score"),
                ),
            ),
            freeze_column=2,
        ),
        Sheet(
            ACTIONS,
            "Action points and the meetings that agreed them",
            (
                Table(
                    "actions",
                    ACTIONS,
                    (
                        Column("meeting", "Meeting", width=28),
                        Column("meeting_date", "Meeting date", DATE, width=12),
                        Column("text", "Action point", LONGTEXT, required=True, width=50),
                        Column("owner", "Owner", width=20),
                        Column("due_on", "Due", DATE, width=12),
                        Column("status", "Status", CHOICE, choices=_choices(ActionStatus)),
                        Column("closing_note", "Closing note", LONGTEXT, width=30),
                        Column("priority_area", "Priority area", width=16),
                        ILLUSTRATIVE,
                        _user_key("owner"),
                    ),
                ),
                Table(
                    "meetings",
                    "Meetings",
                    (
                        Column("title", "Meeting", required=True, width=28),
                        Column("held_on", "Meeting date", DATE, required=True, width=12),
                        Column(
                            "kind", "Kind", CHOICE, required=True, choices=_choices(MeetingKind)
                        ),
                        Column("body", "Governing body", width=20),
                        Column("location", "Location", width=16),
                        Column("summary", "Summary", LONGTEXT, width=50),
                        ILLUSTRATIVE,
                    ),
                ),
            ),
        ),
        Sheet(
            DONORS,
            "Donor data of the annexes",
            (
                Table(
                    "donor_tables",
                    "Tables",
                    (
                        Column("key", "Table", required=True, width=22),
                        Column("title", "Title", LONGTEXT, required=True, width=40),
                        Column("currency", "Currency", CHOICE, choices=_choices(Currency), width=9),
                        Column("year", "Year", INT, width=8),
                        Column("as_of", "As of", DATE, width=12),
                        Column("notes", "Notes", LONGTEXT, width=40),
                        Column("source", "Source", width=16),
                    ),
                ),
                Table(
                    "funding_rows",
                    "Funding by project",
                    (
                        Column("table", "Table", required=True, width=22),
                        Column("order", "Order", INT, required=True, width=8),
                        Column("donor", "Donor", required=True, width=14),
                        Column("title", "Project", LONGTEXT, required=True, width=50),
                        Column(
                            "kind", "Kind", CHOICE, required=True, choices=_choices(FundingKind)
                        ),
                        Column("amount", "Amount", MONEY, required=True, width=14),
                        _bool("is_refund", "Refund"),
                    ),
                ),
                Table(
                    "unearmarked_donors",
                    "Unearmarked funding: member states",
                    (
                        Column("table", "Table", required=True, width=22),
                        Column("member_state", "Member state", required=True, width=26),
                        Column("order", "Order", INT, required=True, width=8),
                        Column("stated_total", "Total as printed", MONEY, width=14),
                    ),
                ),
                Table(
                    "contributions",
                    "Unearmarked funding: contributions (no amount where the table prints -)",
                    (
                        Column("table", "Table", required=True, width=22),
                        Column("member_state", "Member state", required=True, width=26),
                        Column("year", "Year", INT, required=True, width=8),
                        Column("amount", "Amount", MONEY, width=14),
                        _bool("is_pledged", "Pledged"),
                    ),
                ),
                Table(
                    "earmarked_donors",
                    "Top earmarked donors",
                    (
                        Column("table", "Table", required=True, width=22),
                        Column("rank", "Rank", INT, required=True, width=8),
                        Column("donor", "Donor", required=True, width=26),
                        Column("amount", "Amount", MONEY, required=True, width=14),
                    ),
                ),
                Table(
                    "stated_totals",
                    "Totals as printed",
                    (
                        Column("table", "Table", required=True, width=22),
                        Column("key", "Key", required=True, width=26),
                        Column("label", "Label", LONGTEXT, required=True, width=30),
                        Column("kind", "Kind", CHOICE, choices=_choices(FundingKind), width=14),
                        Column("year", "Year", INT, width=8),
                        Column("amount", "Amount", MONEY, required=True, width=14),
                        Column("growth_percent", "Growth (%)", DECIMAL, width=10),
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
