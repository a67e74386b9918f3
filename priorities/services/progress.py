"""Progress, ratings and evidence: a year's figures, ratings and evidence files."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from priorities.models import (
    Assessment,
    Evidence,
    Indicator,
    IndicatorProgress,
    PriorityArea,
    StrategyYear,
)
from priorities.validators import evidence_file_check, original_name_clean
from strategy_monitor.concurrency import created_meanwhile_error, lock_unchanged
from strategy_monitor.files import stored_file_delete
from strategy_monitor.history import recorded_delete, recorded_save

from ._common import _year_for_update

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
                stored_file_delete(storage=file.storage, name=file.name)
        raise
    finally:
        _written_files.reset(token)


def _evidence_file_written(file) -> None:
    for written in _written_files.get():
        written.append(file)


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
        recorded_save(
            evidence,
            user=user,
            reason=f"Added evidence for {progress.indicator.key} {year.year}",
        )
    return evidence


def evidence_delete(*, evidence: Evidence, user) -> None:
    """Remove an evidence file of a draft year; the file goes once the removal is committed.

    The file is removed by the evidence model's deletion signal, as in every cascade.
    """
    with transaction.atomic():
        year_edit_check(strategy_year_id=evidence.progress.strategy_year_id)
        recorded_delete(evidence, user=user, reason=f"Removed evidence {evidence.original_name}")


def progress_delete(*, progress: IndicatorProgress, user) -> None:
    """Remove an indicator's figures for a draft year, with their evidence and its files."""
    with transaction.atomic():
        year = year_edit_check(strategy_year_id=progress.strategy_year_id)
        for item in progress.evidence.all():
            recorded_delete(item, user=user, reason=f"Removed evidence {item.original_name}")
        recorded_delete(
            progress,
            user=user,
            reason=f"Removed the figures of {progress.indicator.key} {year.year}",
        )


def assessment_delete(*, assessment: Assessment, user) -> None:
    """Remove a priority area's rating for a draft year."""
    with transaction.atomic():
        year = year_edit_check(strategy_year_id=assessment.strategy_year_id)
        label = assessment.priority_area.number or assessment.priority_area.slug
        recorded_delete(
            assessment, user=user, reason=f"Removed the rating of area {label} for {year.year}"
        )


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
            raise created_meanwhile_error(progress, fields)
        else:
            lock_unchanged(progress, version)
        progress.target = target
        progress.actual = actual
        progress.comment = comment
        progress.source = source
        progress.is_illustrative = False
        recorded_save(progress, user=user, reason=f"Recorded {indicator.key} {year}")
        for upload in files:
            try:
                evidence_add(progress=progress, upload=upload, user=user)
            except ValidationError as error:
                raise ValidationError({"files": error.error_list}) from error
    return progress


@dataclass(frozen=True)
class FiguresRow:
    """One indicator's row of a year's grid as the desk officer left it."""

    indicator: Indicator
    target: Decimal | None
    actual: Decimal | None
    comment: str = ""
    source: str = ""
    files: tuple = ()
    version: str | None = None


class FiguresRowError(ValidationError):
    """A refusal of one row of a year's grid; `row` is its index in the rows given."""

    def __init__(self, row: int, error: ValidationError):
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.error_list)
        self.row = row


def year_figures_save(
    *, priority_area: PriorityArea, year: int, rows: Sequence[FiguresRow], user
) -> list[IndicatorProgress]:
    """Record a year's figures for several indicators of an area: all of them, or none.

    Each row is saved as `progress_save` saves one, with its own stale-edit check. One
    transaction covers them all, and the evidence files of rows already written are removed
    again when a later row is refused, so a refusal leaves neither figures nor files behind.
    """
    saved = []
    with _evidence_files_guard():
        for number, row in enumerate(rows):
            if row.indicator.priority_area_id != priority_area.pk:
                raise FiguresRowError(
                    number,
                    ValidationError(
                        _("The indicator belongs to another priority area."), code="other_area"
                    ),
                )
            try:
                saved.append(
                    progress_save(
                        indicator=row.indicator,
                        year=year,
                        target=row.target,
                        actual=row.actual,
                        comment=row.comment,
                        source=row.source,
                        files=row.files,
                        version=row.version,
                        user=user,
                    )
                )
            except ValidationError as error:
                raise FiguresRowError(number, error) from error
    return saved


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
            raise created_meanwhile_error(assessment, ("rating", "narrative"))
        else:
            lock_unchanged(assessment, version)
        assessment.rating = rating
        assessment.narrative = narrative
        assessment.is_illustrative = False
        label = priority_area.number or priority_area.slug
        recorded_save(assessment, user=user, reason=f"Rated priority area {label} for {year}")
    return assessment
