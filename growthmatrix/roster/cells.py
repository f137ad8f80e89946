"""Reading the value of a cell, and where the problems found in a sheet's rows go.

A row is normalized into a plain, JSON-able dict (its ``payload`` item) using only the file
itself; the problems found on the way are :class:`~growthmatrix.roster.plan.RowError` rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from growthmatrix.roster.plan import RowError

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y")
FORMULA_MESSAGE = (
    "This is a spreadsheet formula; nothing is imported from formulas. Type the value "
    "itself (copy the cells and paste them as values only)."
)


def cell_text(value) -> str:
    """The cell as one line of text; a whole number typed in a spreadsheet loses its ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def cell_choice(value: str, choices) -> str | None:
    """The key of the choice the text names by key or label, ignoring case and hyphens."""
    wanted = value.strip().lower().replace("-", "")
    for key, label in choices:
        if wanted in (key, label.lower().replace("-", "")):
            return key
    return None


def cell_date(value) -> date:
    """A date cell of a workbook, or text in one of DATE_FORMATS; ValueError otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def is_formula(value) -> bool:
    """A cell a spreadsheet computes: a workbook formula, or text that begins with "=" (or
    with "+", "-" or "@" followed by more), as a spreadsheet reads a CSV cell."""
    if type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return text.startswith("=") or (len(text) > 1 and text[0] in "+-@")


@dataclass
class SheetRows:
    """One sheet's rows while they are normalized: the file's problems so far, the keys seen
    (a name or an email, with the row that had it first) and the day the import runs."""

    sheet: str
    errors: list[RowError]
    today: date
    seen: dict[str, int] = field(default_factory=dict)
    reported: set[tuple[int, str]] = field(default_factory=set)  # (row, column) with an error

    def error(self, item: dict, column: str, value, message: str) -> None:
        """Report a fault of one cell; a cell already reported keeps its first message, so a
        formula is not also an invalid address."""
        cell = (item["row"], column)
        if cell in self.reported:
            return
        self.reported.add(cell)
        text = cell_text(value)[:80]
        self.errors.append(RowError(self.sheet, item["row"], column, text, message))


def name_normalize(item: dict, cells: dict, rows: SheetRows) -> None:
    """The ``name`` of a school or team row: needed, and once per file whatever its case."""
    item["name"] = cell_text(cells.get("name"))
    if not item["name"]:
        rows.error(item, "name", "", "A name is needed.")
    key = item["name"].lower()
    if key and key in rows.seen:
        rows.error(
            item, "name", item["name"], f"Duplicate name in the file (also row {rows.seen[key]})."
        )
    rows.seen.setdefault(key, item["row"])
