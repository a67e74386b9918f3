"""Writes for strategies: progress, ratings, evidence, the yearly workflow and the set-up.

A year moves draft → submitted → approved. A desk officer submits a draft year; a manager
approves it, or returns it to draft with a comment; a manager may reopen an approved year, with
a reason. Only a draft year takes changes: a submitted year waits for the manager's decision
(returning it opens it again), an approved year is locked. The rule is the model's
(`StrategyYear.edit_check`, called from the records' `clean()`); the services here check it
again after locking the year's row, so that a submission or approval racing an edit cannot let
the edit through. Every write records who made it and why in the change history, and every
edit of an existing record refuses a stale copy (`strategy_monitor.concurrency`).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from priorities.choices import DefinitionStatus, PriorityKind, YearState
from priorities.models import (
    Assessment,
    Evidence,
    Indicator,
    IndicatorProgress,
    Organisation,
    PriorityArea,
    PriorityAreaNode,
    RelevantSDG,
    ResultsFramework,
    ResultsNode,
    Strategy,
    StrategyYear,
    TeamMembership,
    indicator_value_errors,
    node_code_level,
    node_code_normalise,
    node_code_parent,
    node_code_validate,
)
from priorities.validators import evidence_file_check, original_name_clean
from strategy_monitor.concurrency import STALE_CODE, lock_unchanged

# Simple-history keeps at most 100 characters of a change reason.
REASON_LENGTH = 100


def _reason(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def _save(instance: models.Model, *, user, reason: str) -> models.Model:
    """Validate `instance`, then save it with the user and reason the history records."""
    instance.full_clean()
    instance._history_user = user
    instance._change_reason = _reason(reason)
    instance.save()
    return instance


def _delete(instance: models.Model, *, user, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = _reason(reason)
    instance.delete()


def _display(value) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, Decimal):
        return figure_text(value)
    return str(value)


def figure_text(value: Decimal | None) -> str:
    """Return a figure as people write it: 2.5, 4450, 12.25 (no trailing zeros)."""
    if value is None:
        return "–"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _created_meanwhile(instance: models.Model, fields: Iterable[str]) -> ValidationError:
    """Return the error for a form opened before someone else created the same record."""
    latest = instance.history.order_by("-history_date").first()
    who = ""
    if latest is not None:
        user = latest.history_user
        when = timezone.localtime(latest.history_date).strftime("%d %b %Y %H:%M")
        who = (f" by {user.get_full_name() or user.username}" if user else "") + f" at {when}"
    values = "; ".join(
        f"{instance._meta.get_field(name).verbose_name.capitalize()}: "
        f"{_display(getattr(instance, name))}"
        for name in fields
    )
    return ValidationError(
        "Someone else saved this record after you opened the form, so your changes were not "
        f"saved. Saved{who}: {values}. Review the current values below and save again.",
        code=STALE_CODE,
    )


def _year_for_update(strategy: Strategy, year: int, field: str = "year") -> StrategyYear:
    """Lock and return the strategy's year `year`; refuse a year outside the period."""
    strategy.year_check(year, field)
    # No ordering: the default one joins the strategy, whose row would be locked as well.
    strategy_year = (
        StrategyYear.objects.select_for_update()
        .filter(strategy=strategy, year=year)
        .order_by()
        .first()
    )
    if strategy_year is None:
        raise ValidationError(
            {field: ValidationError(f"The strategy has no year {year}.", code="no_such_year")}
        )
    return strategy_year


# --- The yearly workflow ----------------------------------------------------------------------


def _year_transition(
    *,
    strategy_year: StrategyYear,
    version: str | None,
    allowed_from: YearState,
    to: YearState,
    comment: str,
    reason: str,
    user,
) -> StrategyYear:
    with transaction.atomic():
        lock_unchanged(strategy_year, version)
        year = StrategyYear.objects.select_for_update().get(pk=strategy_year.pk)
        if year.state != allowed_from:
            raise ValidationError(
                f"{year.year} is {year.get_state_display().lower()}; it must be "
                f"{YearState(allowed_from).label.lower()} for this step.",
                code="invalid_transition",
            )
        year.state = to
        year.state_changed_at = timezone.now()
        year.state_changed_by = user
        year.state_comment = comment.strip()
        _save(year, user=user, reason=reason + (f": {comment.strip()}" if comment else ""))
    return year


def _comment_required(comment: str, what: str) -> None:
    if not (comment or "").strip():
        raise ValidationError(
            {"comment": ValidationError(f"Give {what}.", code="comment_required")}
        )


def year_submit(
    *, strategy_year: StrategyYear, comment: str = "", version: str | None = None, user
) -> StrategyYear:
    """Submit a draft year for a manager's approval; it is closed to edits meanwhile."""
    return _year_transition(
        strategy_year=strategy_year,
        version=version,
        allowed_from=YearState.DRAFT,
        to=YearState.SUBMITTED,
        comment=comment,
        reason=f"Submitted {strategy_year.year} for approval",
        user=user,
    )


def year_approve(
    *, strategy_year: StrategyYear, comment: str = "", version: str | None = None, user
) -> StrategyYear:
    """Approve a submitted year; it is locked from then on."""
    return _year_transition(
        strategy_year=strategy_year,
        version=version,
        allowed_from=YearState.SUBMITTED,
        to=YearState.APPROVED,
        comment=comment,
        reason=f"Approved {strategy_year.year}",
        user=user,
    )


def year_return(
    *, strategy_year: StrategyYear, comment: str, version: str | None = None, user
) -> StrategyYear:
    """Return a submitted year to draft with the changes the manager asks for."""
    _comment_required(comment, "the changes you ask for")
    return _year_transition(
        strategy_year=strategy_year,
        version=version,
        allowed_from=YearState.SUBMITTED,
        to=YearState.DRAFT,
        comment=comment,
        reason=f"Returned {strategy_year.year} for changes",
        user=user,
    )


def year_reopen(
    *, strategy_year: StrategyYear, reason: str, version: str | None = None, user
) -> StrategyYear:
    """Reopen an approved year for changes, recording why."""
    _comment_required(reason, "the reason for reopening the year")
    return _year_transition(
        strategy_year=strategy_year,
        version=version,
        allowed_from=YearState.APPROVED,
        to=YearState.DRAFT,
        comment=reason,
        reason=f"Reopened {strategy_year.year}",
        user=user,
    )


# --- Progress, ratings and evidence -----------------------------------------------------------


def year_edit_check(*, strategy_year_id: int) -> StrategyYear:
    """Lock a year and refuse a change to its records unless it is a draft; return the year.

    Call inside a transaction: the lock makes a submission or approval racing the change wait
    for it. Adding, changing and deleting figures, ratings and evidence all go through it.
    """
    year = StrategyYear.objects.select_for_update().get(pk=strategy_year_id)
    year.edit_check()
    return year


# The evidence files written in the blocks of `_evidence_files_guard` now running, innermost last.
_written_files: ContextVar[tuple[list, ...]] = ContextVar("written_evidence_files", default=())


@contextmanager
def _evidence_files_guard() -> Iterator[None]:
    """Run a block in a transaction; if the block fails, remove the evidence files it wrote.

    A file is written to storage when its row is saved, and a rollback takes back the row but
    not the file. The outermost block covers the files of the blocks inside it, so figures
    refused on their second file leave neither the first file nor its row. (A caller's own
    transaction that rolls back after the block has finished is beyond its reach.)
    """
    written: list = []
    token = _written_files.set((*_written_files.get(), written))
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for file in written:
            # Only a file that reached storage has a stored name to remove.
            if file.name and file._committed:
                file.storage.delete(file.name)
        raise
    finally:
        _written_files.reset(token)


def _evidence_file_written(file) -> None:
    for written in _written_files.get():
        written.append(file)


def evidence_files_delete_on_commit(evidence: Iterable[Evidence]) -> None:
    """Remove the files of `evidence` being deleted, once the deletion is committed.

    A rolled-back deletion keeps its rows, and so must keep their files. Call it before
    deleting, inside the deletion's transaction (outside one, the files go at once).
    """
    for item in evidence:
        storage, name = item.file.storage, item.file.name
        if name:
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


def evidence_add(*, progress: IndicatorProgress, upload, user) -> Evidence:
    """Store an evidence file for a year's figures, after checking its content and size.

    If the change fails after the file is written, the file is removed again.
    """
    kind = evidence_file_check(upload)
    with _evidence_files_guard():
        year = year_edit_check(strategy_year_id=progress.strategy_year_id)
        evidence = Evidence(
            progress=progress,
            original_name=original_name_clean(upload.name),
            content_type=kind.content_type,
            size=upload.size,
            uploaded_by=user,
        )
        upload.seek(0)
        evidence.file = upload
        _evidence_file_written(evidence.file)
        _save(
            evidence,
            user=user,
            reason=f"Added evidence for {progress.indicator.key} {year.year}",
        )
    return evidence


def evidence_delete(*, evidence: Evidence, user) -> None:
    """Remove an evidence file of a draft year; the file goes once the removal is committed."""
    with transaction.atomic():
        year_edit_check(strategy_year_id=evidence.progress.strategy_year_id)
        evidence_files_delete_on_commit([evidence])
        _delete(evidence, user=user, reason=f"Removed evidence {evidence.original_name}")


def progress_delete(*, progress: IndicatorProgress, user) -> None:
    """Remove an indicator's figures for a draft year, with their evidence and its files."""
    with transaction.atomic():
        year = year_edit_check(strategy_year_id=progress.strategy_year_id)
        evidence = list(progress.evidence.all())
        evidence_files_delete_on_commit(evidence)
        for item in evidence:
            _delete(item, user=user, reason=f"Removed evidence {item.original_name}")
        _delete(
            progress,
            user=user,
            reason=f"Removed the figures of {progress.indicator.key} {year.year}",
        )


def assessment_delete(*, assessment: Assessment, user) -> None:
    """Remove a priority area's rating for a draft year."""
    with transaction.atomic():
        year = year_edit_check(strategy_year_id=assessment.strategy_year_id)
        label = assessment.priority_area.number or assessment.priority_area.slug
        _delete(assessment, user=user, reason=f"Removed the rating of area {label} for {year.year}")


def progress_save(
    *,
    indicator: Indicator,
    year: int,
    target: Decimal | None,
    actual: Decimal | None,
    comment: str = "",
    source: str = "",
    files: Iterable = (),
    version: str | None = None,
    user,
) -> IndicatorProgress:
    """Record an indicator's target and actual for a year, with evidence files.

    `version` is the version of the record the form was opened from: "" when there was none
    yet, None to skip the check (scripts). Entered figures are recorded facts, so they lose the
    illustrative flag that demo data carries.
    """
    fields = ("target", "actual", "comment", "source")
    with _evidence_files_guard():
        strategy_year = _year_for_update(indicator.priority_area.strategy, year)
        strategy_year.edit_check()
        progress = IndicatorProgress.objects.filter(
            indicator=indicator, strategy_year=strategy_year
        ).first()
        if progress is None:
            progress = IndicatorProgress(indicator=indicator, strategy_year=strategy_year)
        elif version == "":
            raise _created_meanwhile(progress, fields)
        else:
            lock_unchanged(progress, version)
        progress.target = target
        progress.actual = actual
        progress.comment = comment
        progress.source = source
        progress.is_illustrative = False
        _save(progress, user=user, reason=f"Recorded {indicator.key} {year}")
        for upload in files:
            try:
                evidence_add(progress=progress, upload=upload, user=user)
            except ValidationError as error:
                raise ValidationError({"files": error.error_list}) from error
    return progress


def assessment_save(
    *,
    priority_area: PriorityArea,
    year: int,
    rating: str,
    narrative: str,
    version: str | None = None,
    user,
) -> Assessment:
    """Rate a priority area's progress in a year, with a narrative."""
    with transaction.atomic():
        strategy_year = _year_for_update(priority_area.strategy, year)
        strategy_year.edit_check()
        assessment = Assessment.objects.filter(
            priority_area=priority_area, strategy_year=strategy_year
        ).first()
        if assessment is None:
            assessment = Assessment(priority_area=priority_area, strategy_year=strategy_year)
        elif version == "":
            raise _created_meanwhile(assessment, ("rating", "narrative"))
        else:
            lock_unchanged(assessment, version)
        assessment.rating = rating
        assessment.narrative = narrative
        assessment.is_illustrative = False
        label = priority_area.number or priority_area.slug
        _save(assessment, user=user, reason=f"Rated priority area {label} for {year}")
    return assessment


# --- Indicators -------------------------------------------------------------------------------


def area_node_ids(priority_area: PriorityArea) -> set[int]:
    """Return the nodes an indicator of the area may measure: mapped nodes and their ancestors."""
    mapped = set(priority_area.node_links.values_list("node_id", flat=True))
    if not mapped:
        return set()
    parents = dict(
        ResultsNode.objects.filter(
            framework__organisation_id=priority_area.strategy.organisation_id
        ).values_list("pk", "parent_id")
    )
    shown = set()
    for node_id in mapped:
        current = node_id
        while current is not None and current not in shown:
            shown.add(current)
            current = parents.get(current)
    return shown


def _indicator_key(priority_area: PriorityArea, code: str, title: str) -> str:
    base = slugify(code or title)[:50].strip("-") or "indicator"
    taken = set(
        Indicator.objects.filter(priority_area=priority_area, key__startswith=base).values_list(
            "key", flat=True
        )
    )
    key, number = base, 2
    while key in taken:
        key = f"{base}-{number}"
        number += 1
    return key


INDICATOR_FIELDS = (
    "node",
    "code",
    "title",
    "unit",
    "allows_negative",
    "baseline",
    "baseline_year",
    "direction",
    "status",
    "source",
)


def _indicator_node_check(priority_area: PriorityArea, node: ResultsNode) -> None:
    if node.pk not in area_node_ids(priority_area):
        raise ValidationError(
            {
                "node": ValidationError(
                    "Choose a results-framework node this priority area follows.",
                    code="node_not_followed",
                )
            }
        )


def indicator_create(*, priority_area: PriorityArea, user, **values) -> Indicator:
    """Define an indicator under a node the area follows, defined or under development."""
    values = {name: values[name] for name in INDICATOR_FIELDS if name in values}
    with transaction.atomic():
        _indicator_node_check(priority_area, values["node"])
        indicator = Indicator(priority_area=priority_area, **values)
        indicator.key = _indicator_key(
            priority_area, values.get("code", ""), values.get("title", "")
        )
        indicator.order = (
            Indicator.objects.filter(priority_area=priority_area).aggregate(
                top=models.Max("order")
            )["top"]
            or 0
        ) + 1
        _save(indicator, user=user, reason="Defined the indicator")
    return indicator


def indicator_update(*, indicator: Indicator, version: str | None, user, **values) -> Indicator:
    """Change an indicator's definition; figures already recorded must still fit its unit."""
    with transaction.atomic():
        lock_unchanged(indicator, version)
        for name in INDICATOR_FIELDS:
            if name in values:
                setattr(indicator, name, values[name])
        _indicator_node_check(indicator.priority_area, indicator.node)
        recorded = IndicatorProgress.objects.filter(indicator=indicator).select_related(
            "strategy_year"
        )
        for progress in recorded:
            errors = indicator_value_errors(
                unit=indicator.unit,
                allows_negative=indicator.allows_negative,
                values={"target": progress.target, "actual": progress.actual},
            )
            if errors:
                raise ValidationError(
                    {
                        "unit": ValidationError(
                            f"The figures recorded for {progress.strategy_year.year} do not fit "
                            "this unit: "
                            + " ".join(m for e in errors.values() for m in e.messages),
                            code="recorded_figures_do_not_fit",
                        )
                    }
                )
        _save(indicator, user=user, reason="Changed the indicator's definition")
    return indicator


# --- Set-up: strategies and their years --------------------------------------------------------

STRATEGY_FIELDS = (
    "organisation",
    "title",
    "slug",
    "is_draft",
    "file_number",
    "responsible_unit",
    "start_year",
    "end_year",
    "finance_act_code",
    "desk_officer",
    "financial_officer",
    "stated_commitment_total",
    "stated_disbursement_total",
    "introduction",
    "overall_objective",
    "objective_text",
    "justification",
    "results_monitoring",
    "governance_involvement",
    "risks_summary",
    "lessons_learnt",
    "budget_text",
    "budget_note",
    "risks_text",
    "engagement_text",
    "partnership_agreement",
    "mid_term_review_year",
    "mid_term_review_half",
    "mid_term_review_scope",
    "source",
)


def organisation_create(*, name: str, acronym: str, user) -> Organisation:
    """Add a partner organisation by its name and acronym."""
    slug = slugify(acronym or name)[:50] or "partner"
    organisation = Organisation(name=name.strip(), acronym=acronym.strip(), slug=slug)
    return _save(organisation, user=user, reason="Added the partner")


def _year_has_data(strategy_year: StrategyYear) -> str:
    """Return what a year holds that keeps it from being dropped, or ""."""
    from funding.models import (
        AllocationRound,
        Commitment,
        Disbursement,
        ParliamentaryApproval,
        PlannedAmount,
    )

    strategy, year = strategy_year.strategy, strategy_year.year
    if strategy_year.state != YearState.DRAFT:
        return f"it is {strategy_year.get_state_display().lower()}"
    checks = (
        (strategy_year.indicator_progress.exists(), "indicator figures"),
        (strategy_year.assessments.exists(), "ratings"),
        (
            strategy_year.planned_commitment is not None
            or strategy_year.planned_disbursement is not None,
            "planned commitment or disbursement",
        ),
        (PlannedAmount.objects.filter(line__strategy=strategy, year=year).exists(), "budget"),
        (
            ParliamentaryApproval.objects.filter(line__strategy=strategy, year=year).exists()
            or Commitment.objects.filter(line__strategy=strategy, year=year).exists()
            or Disbursement.objects.filter(line__strategy=strategy, year=year).exists()
            or AllocationRound.objects.filter(line__strategy=strategy, year=year).exists(),
            "funding records",
        ),
    )
    held = [label for found, label in checks if found]
    return f"it holds {', '.join(held)}" if held else ""


def _years_sync(strategy: Strategy, *, user) -> None:
    """Give the strategy a year row for each year of its period; drop only empty extra years."""
    existing = {
        year.year: year
        for year in StrategyYear.objects.select_for_update()
        .filter(strategy=strategy)
        .order_by("year")
    }
    for year, strategy_year in sorted(existing.items()):
        if year in strategy.years:
            continue
        held = _year_has_data(strategy_year)
        if held:
            field = "start_year" if year < strategy.start_year else "end_year"
            raise ValidationError(
                {
                    field: ValidationError(
                        f"{year} cannot leave the period: {held}.", code="year_has_data"
                    )
                }
            )
        _delete(strategy_year, user=user, reason=f"Dropped {year} from the period")
    for year in strategy.years:
        if year not in existing:
            _save(
                StrategyYear(strategy=strategy, year=year),
                user=user,
                reason=f"Added {year} to the period",
            )


def _sdgs_set(strategy: Strategy, goals: Iterable[int], *, user) -> None:
    wanted = {int(goal) for goal in goals}
    current = {sdg.goal: sdg for sdg in RelevantSDG.objects.filter(strategy=strategy)}
    for goal, sdg in current.items():
        if goal not in wanted:
            _delete(sdg, user=user, reason=f"Removed SDG {goal}")
    for goal in sorted(wanted - set(current)):
        _save(RelevantSDG(strategy=strategy, goal=goal), user=user, reason=f"Added SDG {goal}")


# Paths under strategies/ that are pages, so a strategy's slug must not take them.
RESERVED_SLUGS = {"new", "import"}


def _slug_check(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            {
                "slug": ValidationError(
                    f"“{slug}” is reserved; choose another slug, e.g. unhcr-2024-2027.",
                    code="reserved_slug",
                )
            }
        )


def strategy_create(*, user, sdgs: Iterable[int] = (), **values) -> Strategy:
    """Create a strategy from its front page, with a reporting year for each year of its period."""
    _slug_check(values.get("slug", ""))
    with transaction.atomic():
        strategy = Strategy(**{name: values[name] for name in STRATEGY_FIELDS if name in values})
        _save(strategy, user=user, reason="Set up the strategy")
        _years_sync(strategy, user=user)
        _sdgs_set(strategy, sdgs, user=user)
    return strategy


def strategy_update(
    *, strategy: Strategy, version: str | None, user, sdgs: Iterable[int] | None = None, **values
) -> Strategy:
    """Change a strategy's front page; a changed period adds years and drops only empty ones."""
    _slug_check(values.get("slug", strategy.slug))
    with transaction.atomic():
        lock_unchanged(strategy, version)
        for name in STRATEGY_FIELDS:
            if name in values:
                setattr(strategy, name, values[name])
        _save(strategy, user=user, reason="Changed the front page")
        _years_sync(strategy, user=user)
        if sdgs is not None:
            _sdgs_set(strategy, sdgs, user=user)
    return strategy


def strategy_year_update(
    *,
    strategy_year: StrategyYear,
    planned_commitment: Decimal | None,
    planned_disbursement: Decimal | None,
    version: str | None,
    user,
) -> StrategyYear:
    """Change a year's planned commitment and disbursement (front page)."""
    with transaction.atomic():
        lock_unchanged(strategy_year, version)
        strategy_year.planned_commitment = planned_commitment
        strategy_year.planned_disbursement = planned_disbursement
        _save(strategy_year, user=user, reason=f"Changed the plan for {strategy_year.year}")
    return strategy_year


# --- Set-up: priority areas, team, budget ------------------------------------------------------

AREA_FIELDS = (
    "kind",
    "number",
    "slug",
    "title",
    "front_page_title",
    "key_result",
    "text",
    "monitoring_note",
    "framework_under_development",
    "indicators_under_development",
    "order",
)


def priorityarea_save(
    *,
    strategy: Strategy,
    area: PriorityArea | None = None,
    version: str | None = None,
    user,
    **values,
) -> PriorityArea:
    """Add a priority area to a strategy or change one; numbered areas take their number as slug."""
    with transaction.atomic():
        if area is None:
            area = PriorityArea(strategy=strategy)
        else:
            lock_unchanged(area, version)
        for name in AREA_FIELDS:
            if name in values:
                setattr(area, name, values[name])
        if area.kind == PriorityKind.CROSS_CUTTING:
            area.number = None
        if not area.slug:
            area.slug = str(area.number) if area.number else slugify(area.title)[:60]
        if not area.order:
            area.order = area.number or 99
        _save(area, user=user, reason="Set up the priority area")
    return area


def priorityarea_delete(*, area: PriorityArea, user) -> None:
    """Remove a priority area that has no indicators, ratings or mapped nodes yet."""
    with transaction.atomic():
        if area.indicators.exists() or area.assessments.exists():
            raise ValidationError(
                f"{area.label} has indicators or ratings, so it cannot be removed.",
                code="area_has_data",
            )
        for link in area.node_links.all():
            _delete(link, user=user, reason="Removed with its priority area")
        _delete(area, user=user, reason="Removed the priority area")


def teammembership_add(*, strategy: Strategy, member, role: str, user) -> TeamMembership:
    """Put a user on the strategy's team in a role."""
    membership = TeamMembership(strategy=strategy, user=member, role=role)
    return _save(membership, user=user, reason=f"Added {member.username} to the team")


def teammembership_remove(*, membership: TeamMembership, user) -> None:
    """Take a user off the strategy's team in one role."""
    _delete(membership, user=user, reason=f"Removed {membership.user.username} from the team")


BUDGET_LINE_FIELDS = (
    "code",
    "name",
    "kind",
    "finance_act_code",
    "responsible_unit",
    "currency",
    "order",
)


def budgetline_save(
    *,
    strategy: Strategy,
    line=None,
    amounts: dict[int, Decimal | None],
    version: str | None = None,
    user,
    **values,
):
    """Add or change a budget line and its planned amount for each year of the period."""
    from funding.models import BudgetLine, PlannedAmount

    with transaction.atomic():
        if line is None:
            line = BudgetLine(strategy=strategy)
        else:
            lock_unchanged(line, version)
        for name in BUDGET_LINE_FIELDS:
            if name in values:
                setattr(line, name, values[name])
        _save(line, user=user, reason="Set up the budget line")
        current = {planned.year: planned for planned in line.planned_amounts.all()}
        for year, amount in amounts.items():
            strategy.year_check(year, f"amount_{year}")
            planned = current.get(year)
            if amount is None:
                if planned is not None:
                    _delete(planned, user=user, reason=f"Removed the plan for {year}")
                continue
            if planned is None:
                planned = PlannedAmount(line=line, year=year)
            elif planned.amount == amount:
                continue
            planned.amount = amount
            try:
                _save(planned, user=user, reason=f"Planned {line.code} {year}")
            except ValidationError as error:
                raise ValidationError(
                    {f"amount_{year}": error.messages}, code="invalid_amount"
                ) from error
    return line


# --- Set-up: the results framework ------------------------------------------------------------


def framework_create(*, organisation: Organisation, name: str, user) -> ResultsFramework:
    """Add a results framework to a partner."""
    framework = ResultsFramework(
        organisation=organisation, name=name.strip(), slug=slugify(name)[:60] or "framework"
    )
    return _save(framework, user=user, reason="Added the results framework")


def node_create(
    *,
    framework: ResultsFramework,
    code: str,
    title: str = "",
    status: str = DefinitionStatus.DEFINED,
    section: str = "",
    user,
) -> ResultsNode:
    """Add a node by its printed code; missing ancestors are created as implied nodes.

    The code is normalised ("3B.4." → "3b.4") and must be hierarchical; its level and parent
    follow from it. A node that was only implied so far becomes a listed one.
    """
    code = node_code_normalise(code or "")
    try:
        node_code_validate(code)
    except ValidationError as error:
        raise ValidationError({"code": error.error_list}) from error
    with transaction.atomic():
        ResultsFramework.objects.select_for_update().get(pk=framework.pk)
        existing = {
            node.code: node
            for node in ResultsNode.objects.filter(framework=framework).exclude(code="")
        }
        node = existing.get(code)
        if node is not None and not node.is_implied:
            raise ValidationError(
                {
                    "code": ValidationError(
                        f"The framework already has {code}.", code="duplicate_code"
                    )
                }
            )
        chain = []
        ancestor = node_code_parent(code)
        while ancestor is not None and ancestor not in existing:
            chain.append(ancestor)
            ancestor = node_code_parent(ancestor)
        for implied_code in reversed(chain):
            implied = ResultsNode(
                framework=framework,
                key=implied_code,
                code=implied_code,
                level=node_code_level(implied_code),
                parent=existing.get(node_code_parent(implied_code) or ""),
                is_implied=True,
                section=section,
            )
            existing[implied_code] = _save(
                implied, user=user, reason=f"Implied by {code}, not itself listed"
            )
        if node is None:
            node = ResultsNode(
                framework=framework,
                key=code,
                code=code,
                level=node_code_level(code),
                parent=existing.get(node_code_parent(code) or ""),
            )
        node.title = title.strip()
        node.status = status
        node.section = section or node.section
        node.is_implied = False
        _save(node, user=user, reason="Added the node")
    return node


def node_update(
    *, node: ResultsNode, version: str | None, title: str, status: str, section: str, user
) -> ResultsNode:
    """Change a node's title and status, e.g. once the partner publishes what it develops."""
    with transaction.atomic():
        lock_unchanged(node, version)
        node.title = title.strip()
        node.status = status
        node.section = section
        _save(node, user=user, reason="Changed the node")
    return node


def priorityarea_node_link(
    *, priority_area: PriorityArea, node: ResultsNode, user
) -> PriorityAreaNode:
    """Record that a priority area follows a node of the partner's framework."""
    link = PriorityAreaNode(
        priority_area=priority_area,
        node=node,
        order=priority_area.node_links.count() + 1,
    )
    return _save(link, user=user, reason="Mapped the node to the priority area")


def priorityarea_node_unlink(*, link: PriorityAreaNode, user) -> None:
    """Stop following a node under a priority area, unless indicators measure it there."""
    if Indicator.objects.filter(priority_area=link.priority_area, node=link.node).exists():
        raise ValidationError(
            "Indicators of this priority area measure the node; move them first.",
            code="node_has_indicators",
        )
    _delete(link, user=user, reason="Unmapped the node from the priority area")
