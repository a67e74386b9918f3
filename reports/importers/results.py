"""What an import reports: the problems it found, its refusal, or what it did."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem of a workbook: where it is and what was expected there."""

    sheet: str
    row: int | None
    column: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"sheet {self.sheet}" if self.sheet else "",
                f"row {self.row}" if self.row else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class WorkbookRefused(Exception):
    """The workbook was not imported; `problems` says why, each with its place."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems[:5]))

    @property
    def codes(self) -> set[str]:
        return {problem.code for problem in self.problems}


@dataclass(frozen=True)
class ImportResult:
    """What an import created, changed and found unchanged, and what it warned about."""

    strategy_slug: str
    strategy_created: bool
    created: tuple[tuple[str, int], ...]
    updated: tuple[tuple[str, int], ...]
    unchanged: tuple[tuple[str, int], ...]
    warnings: tuple[Problem, ...] = ()
    dry_run: bool = False

    @property
    def created_count(self) -> int:
        return sum(count for _, count in self.created)

    @property
    def updated_count(self) -> int:
        return sum(count for _, count in self.updated)

    def summary(self) -> str:
        """Return one sentence on what the import did."""
        verb = "would create" if self.dry_run else "created"
        changed = "would change" if self.dry_run else "changed"
        return (
            f"{self.strategy_slug}: {verb} {self.created_count} and {changed} "
            f"{self.updated_count} records."
        )
