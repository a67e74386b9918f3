"""What the apps standing on priorities tell it about themselves, registered from their `ready()`.

Priorities holds the strategy that every other app hangs from, yet some of its pages and rules
must know what those apps hold. They learn it through these hooks, never by importing them
(see `strategy_monitor.registry`):

- `due_sources`: what each app has due for a user, for "My tasks" and the reminders;
- `year_data_checks`: what each app holds in a strategy year, which keeps the year in the period;
- `setup_sections`: the tabs of a strategy's set-up pages;
- `overview_sections`: the panels an app adds to the strategy overview;
- `strategy_created_from_onepager`: what each app sets up from a strategy's one-pager;
- `setup_checks`: what each app still misses for a strategy to be monitored.
- `strategy_traits`: what an app says a strategy has, e.g. a line whose use is agreed in
  allocation dialogues, which decides what its rhythm plans;
- `budget_years`: the years in which an app holds a budget for a strategy.
- `year_review_sections`: the panels an app adds to a year's review page, e.g. its money.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from priorities.choices import DueKind
from priorities.models import Strategy, StrategyYear
from strategy_monitor.registry import Hook

# --- What is due --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    """Something a user must do by a date, with the page where it is done."""

    kind: str
    item_id: int
    title: str
    due_on: datetime.date
    strategy_title: str
    strategy_label: str
    url: str
    detail: str = ""
    is_illustrative: bool = False

    @property
    def kind_label(self) -> str:
        return DueKind(self.kind).label

    @property
    def title_line(self) -> str:
        """Return the title on one line: an action point's text may run over several."""
        return " ".join(self.title.split())

    @property
    def detail_line(self) -> str:
        """Return the detail on one line, as a plain-text e-mail lists it."""
        return " ".join(self.detail.split())

    def is_overdue(self, today: datetime.date) -> bool:
        """Return whether the item was due before `today`."""
        return self.due_on < today


# Called with the user and the last day that counts; one query per source, whatever the data.
DueSource = Callable[[Any, datetime.date], Iterable[DueItem]]
due_sources: Hook[DueSource] = Hook(
    "due_sources", "What each app has due for a user by a date, overdue items included."
)

# --- What a year holds ------------------------------------------------------------------------

# Called with a draft year; returns what the year holds in the app, e.g. ["budget"], or nothing.
YearDataCheck = Callable[[StrategyYear], Iterable[str]]
year_data_checks: Hook[YearDataCheck] = Hook(
    "year_data_checks", "What each app holds in a strategy year, which keeps it in the period."
)

# --- Set-up and overview pages -------------------------------------------------------------


@dataclass(frozen=True)
class SetupSection:
    """A tab of the strategy set-up pages: a page that takes the strategy's slug."""

    url_name: str
    label: str


setup_sections: Hook[SetupSection] = Hook(
    "setup_sections", "The tabs of a strategy's set-up pages, registered with their order."
)


@dataclass(frozen=True)
class OverviewSection:
    """A panel of the strategy overview, built by an app and shown by its own template.

    `build(strategy=...)` returns the panel's plain data, with a fixed number of queries; the
    template reads it as `section`. If it has a true `has_illustrative`, the page carries the
    illustrative-data banner.
    """

    template_name: str
    build: Callable[..., Any]


overview_sections: Hook[OverviewSection] = Hook(
    "overview_sections",
    "The panels the strategy overview shows after the priority areas, with their order.",
)


# --- Set-up from the one-pager --------------------------------------------------------------


@dataclass(frozen=True)
class OnePagerPlan:
    """What a confirmed one-pager gives the apps above: its Finance Act codes and its table.

    `amounts` maps each year to its planned commitment and projected disbursement, exact DKK,
    either of which may be None.
    """

    finance_act_codes: tuple[str, ...]
    amounts: dict[int, tuple[Any, Any]]


# Called inside the transaction that creates the strategy, with the strategy, the plan and the
# user; returns a sentence saying what it set up (shown after the set-up), or "".
OnePagerSetUp = Callable[..., str]
strategy_created_from_onepager: Hook[OnePagerSetUp] = Hook(
    "strategy_created_from_onepager",
    "What each app sets up for a strategy created from its one-pager, e.g. its budget lines.",
)

# --- What a strategy still misses ----------------------------------------------------------


@dataclass(frozen=True)
class SetupCheck:
    """One item of the set-up checklist: done or missing, with the page that completes it."""

    label: str
    done: bool
    url_name: str
    detail: str = ""


# Called with a strategy; returns its checklist items, with a fixed number of queries.
SetupCheckSource = Callable[[Strategy], Iterable[SetupCheck]]
setup_checks: Hook[SetupCheckSource] = Hook(
    "setup_checks",
    "What each app still misses for a strategy to be monitored, for the set-up checklist.",
)
# --- What a strategy has ------------------------------------------------------------------------

# The strategy has a budget line whose use the partner proposes and Denmark approves in
# allocation dialogues (softly earmarked funds, in the documents' words).
ALLOCATED_IN_DIALOGUE = "allocated_in_dialogue"

# Called with a strategy; returns the traits the app sees in it, e.g. [ALLOCATED_IN_DIALOGUE].
StrategyTraits = Callable[[Strategy], Iterable[str]]
strategy_traits: Hook[StrategyTraits] = Hook(
    "strategy_traits", "What each app says a strategy has, which shapes its rhythm and pages."
)

# Called with a strategy; returns the years in which the app holds a budget for it.
BudgetYears = Callable[[Strategy], Iterable[int]]
budget_years: Hook[BudgetYears] = Hook(
    "budget_years", "The years in which each app holds a budget for a strategy."
)


# --- Reviewing a year ---------------------------------------------------------------------------


@dataclass(frozen=True)
class YearReviewSection:
    """A panel of a year's review page, built by an app and shown by its own template.

    `build(strategy_year=...)` returns the panel's plain data, with a fixed number of queries;
    the template reads it as `section`. If it has a true `has_illustrative`, the page carries the
    illustrative-data banner.
    """

    template_name: str
    build: Callable[..., Any]


year_review_sections: Hook[YearReviewSection] = Hook(
    "year_review_sections",
    "The panels a year's review page shows after the priority areas, with their order.",
)


def strategy_traits_get(strategy: Strategy) -> set[str]:
    """Return every trait the apps see in `strategy`: one query or so per registered app."""
    return {trait for source in strategy_traits for trait in source(strategy)}


def strategy_budget_years(strategy: Strategy) -> set[int]:
    """Return the years with a budget: a planned commitment, or a budget an app holds."""
    years = {
        year.year
        for year in strategy.strategy_years.all()
        if year.planned_commitment is not None and year.planned_commitment > 0
    }
    for source in budget_years:
        years.update(source(strategy))
    return {year for year in years if year in strategy.years}


# --- What fulfils a milestone -----------------------------------------------------------------


@dataclass(frozen=True)
class Fulfilment:
    """A record that fulfils a strategy's milestones of a kind and year, with its page.

    `year` None fulfils the milestones of that kind in any year (a mid-term review happens once).
    `label` says what was recorded ("Parliamentary approval recorded"), `done_on` when.
    """

    strategy_id: int
    kind: str
    year: int | None
    url: str
    label: str
    done_on: datetime.date


@dataclass(frozen=True)
class FulfilmentSource:
    """The milestone kinds an app's records fulfil, and how to read those records.

    `read(strategy_ids)` returns the fulfilments of those strategies, with one query whatever
    their number.
    """

    kinds: frozenset[str]
    read: Callable[[Iterable[int]], Iterable[Fulfilment]]


# The kind of milestone a recorded parliamentary approval fulfils, named here so that the app
# that records approvals need not know the app that plans milestones (tests hold the two equal).
PARLIAMENTARY_APPROVAL_KIND = "parliamentary_approval"
# The kind of milestone an approved year fulfils, named here for the same reason.
YEAR_APPROVED_KIND = "year_approved"

fulfilment_sources: Hook[FulfilmentSource] = Hook(
    "fulfilment_sources",
    "The records that fulfil milestones (approvals, consultations, reviews), by kind and year.",
)


def fulfilled_kinds() -> frozenset[str]:
    """Return the milestone kinds that a record fulfils; the others are closed by hand."""
    return frozenset(kind for source in fulfilment_sources for kind in source.kinds)


def fulfilments_get(
    strategy_ids: Iterable[int], kinds: Iterable[str] | None = None
) -> dict[tuple[int, str, int | None], Fulfilment]:
    """Return the fulfilments of the strategies by (strategy, kind, year): a query per source.

    Only the sources of `kinds` are read, where given, so that milestones closed by hand cost
    no query. Where two records fulfil the same milestone, the earlier one counts.
    """
    ids = list(strategy_ids)
    wanted = None if kinds is None else set(kinds)
    found: dict[tuple[int, str, int | None], Fulfilment] = {}
    if not ids:
        return found
    for source in fulfilment_sources:
        if wanted is not None and not source.kinds & wanted:
            continue
        for item in source.read(ids):
            key = (item.strategy_id, item.kind, item.year)
            if key not in found or item.done_on < found[key].done_on:
                found[key] = item
    return found
