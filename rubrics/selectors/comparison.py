"""What changed between two versions of a rubric, word by word, each indicator paired with
its old self by the key it keeps across versions."""

import difflib
import re
from dataclasses import dataclass, field

from rubrics.models import RubricVersion
from rubrics.selectors.grid import GridIndicator, RubricGrid, rubric_version_matrix

_TOKEN = re.compile(r"\s+|[^\s]+")


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def text_diff(old: str, new: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Word-level diff as two lists of (kind, text) segments: kind is "same", "del" (only in
    the old text) or "ins" (only in the new text). Templates render them without |safe."""
    a, b = _words(old), _words(new)
    left: list[tuple[str, str]] = []
    right: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(("same", "".join(a[i1:i2])))
            right.append(("same", "".join(b[j1:j2])))
        else:
            if i2 > i1:
                left.append(("del", "".join(a[i1:i2])))
            if j2 > j1:
                right.append(("ins", "".join(b[j1:j2])))
    return left, right


@dataclass
class CellDiff:
    level_name: str
    old: str
    new: str
    old_segments: list[tuple[str, str]] = field(default_factory=list)
    new_segments: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class IndicatorDiff:
    status: str  # "same", "changed", "renamed", "added", "removed"
    old_name: str
    new_name: str
    cells: list[CellDiff]
    new_pk: int | None = None

    @property
    def label(self) -> str:
        return {
            "same": "Unchanged",
            "changed": "Text changed",
            "renamed": "Renamed",
            "added": "Added",
            "removed": "Removed",
        }[self.status]


@dataclass
class CategoryDiff:
    key: str
    old_name: str
    new_name: str
    old_description: str
    new_description: str
    indicators: list[IndicatorDiff]

    @property
    def changed(self) -> bool:
        return (
            self.old_name != self.new_name
            or self.old_description != self.new_description
            or any(i.status != "same" for i in self.indicators)
        )


@dataclass
class VersionComparison:
    old: RubricGrid
    new: RubricGrid
    levels: list[tuple[str, str]]  # (old name, new name)
    categories: list[CategoryDiff]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"added": 0, "removed": 0, "changed": 0}
        for category in self.categories:
            for item in category.indicators:
                if item.status == "added":
                    counts["added"] += 1
                elif item.status == "removed":
                    counts["removed"] += 1
                elif item.status in ("changed", "renamed"):
                    counts["changed"] += 1
        return counts

    @property
    def any_change(self) -> bool:
        return any(o != n for o, n in self.levels) or any(c.changed for c in self.categories)


def _indicator_diff(old: GridIndicator | None, new: GridIndicator | None) -> IndicatorDiff:
    old_cells = old.cells if old else []
    new_cells = new.cells if new else []
    width = max(len(old_cells), len(new_cells))
    cells = []
    for n in range(width):
        old_text = old_cells[n].text if n < len(old_cells) else ""
        new_text = new_cells[n].text if n < len(new_cells) else ""
        level = (new_cells[n] if n < len(new_cells) else old_cells[n]).level
        left, right = text_diff(old_text, new_text)
        cells.append(CellDiff(level.name, old_text, new_text, left, right))
    if old is None:
        status = "added"
    elif new is None:
        status = "removed"
    elif old.name != new.name:
        status = "renamed"
    elif any(c.changed for c in cells):
        status = "changed"
    else:
        status = "same"
    return IndicatorDiff(
        status=status,
        old_name=old.name if old else "",
        new_name=new.name if new else "",
        cells=cells,
        new_pk=new.indicator.pk if new else None,
    )


def _pair_indicators(
    old: list[GridIndicator], new: list[GridIndicator]
) -> list[tuple[GridIndicator | None, GridIndicator | None]]:
    """Match a category's indicators across versions by their key, which a copied draft
    carries over: an indicator reworded or renamed is still itself, one added in the editor
    has a key of its own (added), and one whose key is gone was removed."""
    old_by_key = {item.indicator.key: item for item in old}
    result: list[tuple[GridIndicator | None, GridIndicator | None]] = [
        (old_by_key.pop(item.indicator.key, None), item) for item in new
    ]
    result.extend((item, None) for item in old if item.indicator.key in old_by_key)
    return result


def rubric_versions_compare(*, old: RubricVersion, new: RubricVersion) -> VersionComparison:
    """What changed from ``old`` (usually the current version) to ``new`` (usually a draft)."""
    old_grid = rubric_version_matrix(version=old)
    new_grid = rubric_version_matrix(version=new)
    old_levels = {level.value: level.name for level in old_grid.levels}
    levels = [(old_levels.get(level.value, ""), level.name) for level in new_grid.levels]
    categories = []
    for new_category in new_grid.categories:
        old_category = old_grid.category(new_category.key)
        old_rows = old_category.indicators if old_category else []
        categories.append(
            CategoryDiff(
                key=new_category.key,
                old_name=old_category.name if old_category else "",
                new_name=new_category.name,
                old_description=old_category.category.description if old_category else "",
                new_description=new_category.category.description,
                indicators=[
                    _indicator_diff(o, n)
                    for o, n in _pair_indicators(old_rows, new_category.indicators)
                ],
            )
        )
    return VersionComparison(old=old_grid, new=new_grid, levels=levels, categories=categories)
