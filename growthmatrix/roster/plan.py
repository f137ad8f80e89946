"""What checking a roster produces: every bad row, and what each good row would change."""

from __future__ import annotations

from dataclasses import dataclass, field

from growthmatrix.roster.columns import KINDS


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    value: str
    message: str


@dataclass
class Change:
    kind: str  # schools, teams, people
    action: str  # create, update, unchanged
    label: str
    row: int
    details: list[str] = field(default_factory=list)


@dataclass
class RosterPlan:
    payload: dict
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        counts = {kind: {"create": 0, "update": 0, "unchanged": 0} for kind in KINDS}
        for change in self.changes:
            counts[change.kind][change.action] += 1
        return counts

    @property
    def has_work(self) -> bool:
        return any(c.action != "unchanged" for c in self.changes)

    def changed(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and c.action != "unchanged"]

    def __post_init__(self):
        self._reported = {(e.sheet, e.row, e.column) for e in self.errors}

    def is_reported(self, item: dict, column: str) -> bool:
        """Whether the row's cell in ``column`` already has an error: checks that depend on
        what it says are left out rather than reported from an empty reading."""
        return (item["sheet"], item["row"], column) in self._reported

    def error(self, item: dict, column: str, value, message: str) -> None:
        """Report a normalized row that does not fit the database or the rest of the file.
        One error per cell: a cell that could not be read (its value left empty) is not
        reported again as missing or unknown."""
        cell = (item["sheet"], item["row"], column)
        if cell in self._reported:
            return
        self._reported.add(cell)
        self.errors.append(RowError(*cell, str(value)[:80], message))
