"""Reads for the rubric editor: a version as a matrix, its gaps, a comparison of two versions
and the history of a draft. Each is a fixed handful of queries whatever the rubric's size."""

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from rubrics.models import Category, Descriptor, Indicator, Level, Rubric, RubricVersion

# Problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RubricProblem:
    """One gap that stops a draft from being published, with where to fix it.

    ``category_key`` None means the level names (on the draft's overview page); ``anchor`` is
    the id of the field to fix on that page.
    """

    message: str
    category_key: str | None
    anchor: str


# A version as a matrix --------------------------------------------------------------------


@dataclass
class MatrixCell:
    level: Level
    text: str


@dataclass
class MatrixIndicator:
    indicator: Indicator
    cells: list[MatrixCell]

    @property
    def name(self) -> str:
        return self.indicator.name


@dataclass
class MatrixCategory:
    category: Category
    indicators: list[MatrixIndicator]

    @property
    def key(self) -> str:
        return self.category.key

    @property
    def name(self) -> str:
        return self.category.name


@dataclass
class Matrix:
    version: RubricVersion
    levels: list[Level]
    categories: list[MatrixCategory]

    def category(self, key: str) -> MatrixCategory | None:
        return next((c for c in self.categories if c.key == key), None)


def rubric_version_matrix(*, version: RubricVersion) -> Matrix:
    """Categories × indicators × levels with each cell's descriptor text ("" when missing).
    Four queries."""
    levels = list(version.levels.order_by("value"))
    categories = list(
        version.categories.order_by("order").prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("order", "pk").prefetch_related(
                    Prefetch(
                        "descriptors",
                        queryset=Descriptor.objects.only("indicator", "level", "text"),
                    )
                ),
            )
        )
    )
    result = []
    for category in categories:
        rows = []
        for indicator in category.indicators.all():
            texts = {d.level_id: d.text for d in indicator.descriptors.all()}
            rows.append(
                MatrixIndicator(
                    indicator=indicator,
                    cells=[
                        MatrixCell(level=level, text=texts.get(level.pk, "")) for level in levels
                    ],
                )
            )
        result.append(MatrixCategory(category=category, indicators=rows))
    return Matrix(version=version, levels=levels, categories=result)


def rubric_matrix_problems(matrix: Matrix) -> list[RubricProblem]:
    """Every gap in a matrix: empty level, category or indicator names, a category without
    indicators, an indicator without a descriptor at some level."""
    problems = []
    for level in matrix.levels:
        if not level.name.strip():
            problems.append(
                RubricProblem(f"Level {level.value} has no name.", None, f"id_level_{level.value}")
            )
    for category in matrix.categories:
        label = category.name.strip() or category.category.get_key_display()
        if not category.name.strip():
            problems.append(
                RubricProblem(
                    f"The {category.category.get_key_display()} category has no name.",
                    category.key,
                    "id_category-name",
                )
            )
        if not category.indicators:
            problems.append(
                RubricProblem(
                    f"{label} has no indicators; add at least one.",
                    category.key,
                    "id_new-name",
                )
            )
        for position, row in enumerate(category.indicators, start=1):
            pk = row.indicator.pk
            title = row.name.strip() or f"indicator {position}"
            if not row.name.strip():
                problems.append(
                    RubricProblem(
                        f"{label}: indicator {position} has no name.",
                        category.key,
                        f"id_ind-{pk}-name",
                    )
                )
            for cell in row.cells:
                if not cell.text.strip():
                    level_label = cell.level.name or f"level {cell.level.value}"
                    problems.append(
                        RubricProblem(
                            f"{label}: “{title}” has no descriptor at {level_label}.",
                            category.key,
                            f"id_ind-{pk}-d{cell.level.value}",
                        )
                    )
    return problems


def rubric_version_problems(*, version: RubricVersion) -> list[RubricProblem]:
    return rubric_matrix_problems(rubric_version_matrix(version=version))


# Versions of a rubric ---------------------------------------------------------------------


def rubric_versions_with_usage(*, rubric: Rubric) -> list[RubricVersion]:
    """Every version, newest first, with who published it and ``assessment_count``."""
    return list(
        rubric.versions.select_related("published_by", "created_by")
        .annotate(assessment_count=Count("assessments"))
        .order_by("-number")
    )


def role_families_overview(*, organization_id: int):
    """The organization's role families with their rubric, current and draft version numbers
    and how many people belong to each. Two queries."""
    from coordinators.models import RoleFamily

    families = list(
        RoleFamily.objects.filter(organization_id=organization_id)
        .select_related("rubric")
        .annotate(people=Count("profiles", filter=Q(profiles__active=True), distinct=True))
        .order_by("name")
    )
    versions = RubricVersion.objects.filter(
        rubric__role_family__in=families, state__in=["draft", "published"]
    ).values_list("rubric__role_family_id", "state", "number", "pk")
    by_family: dict[int, dict] = {}
    for family_id, state, number, pk in versions:
        by_family.setdefault(family_id, {})[state] = (number, pk)
    for family in families:
        family.current_version = by_family.get(family.pk, {}).get("published")
        family.draft_version = by_family.get(family.pk, {}).get("draft")
    return families


# Comparison -------------------------------------------------------------------------------

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
    old: Matrix
    new: Matrix
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


def _similarity(a: MatrixIndicator, b: MatrixIndicator) -> float:
    left = a.name + " " + " ".join(c.text for c in a.cells)
    right = b.name + " " + " ".join(c.text for c in b.cells)
    return difflib.SequenceMatcher(a=left, b=right, autojunk=False).ratio()


def _indicator_diff(old: MatrixIndicator | None, new: MatrixIndicator | None) -> IndicatorDiff:
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
    old: list[MatrixIndicator], new: list[MatrixIndicator]
) -> list[tuple[MatrixIndicator | None, MatrixIndicator | None]]:
    """Match a category's indicators across versions: same name first, then the most similar
    remaining pair (a renamed indicator whose text is mostly the same), else added/removed."""
    pairs: dict[int, MatrixIndicator | None] = {}  # new index → old
    unmatched_old = list(range(len(old)))
    by_name = {}
    for index in unmatched_old:
        by_name.setdefault(old[index].name, index)
    for j, item in enumerate(new):
        index = by_name.get(item.name)
        if index is not None and index in unmatched_old:
            pairs[j] = old[index]
            unmatched_old.remove(index)
    candidates = sorted(
        (
            (_similarity(old[i], new[j]), i, j)
            for i in unmatched_old
            for j in range(len(new))
            if j not in pairs
        ),
        reverse=True,
    )
    used_old: set[int] = set()
    for score, i, j in candidates:
        if score < 0.5 or i in used_old or j in pairs:
            continue
        pairs[j] = old[i]
        used_old.add(i)
    result: list[tuple[MatrixIndicator | None, MatrixIndicator | None]] = [
        (pairs.get(j), item) for j, item in enumerate(new)
    ]
    paired_old = {id(o) for o in pairs.values()}
    result.extend((item, None) for item in old if id(item) not in paired_old)
    return result


def rubric_versions_compare(*, old: RubricVersion, new: RubricVersion) -> VersionComparison:
    """What changed from ``old`` (usually the current version) to ``new`` (usually a draft)."""
    old_matrix = rubric_version_matrix(version=old)
    new_matrix = rubric_version_matrix(version=new)
    old_levels = {level.value: level.name for level in old_matrix.levels}
    levels = [(old_levels.get(level.value, ""), level.name) for level in new_matrix.levels]
    categories = []
    for new_category in new_matrix.categories:
        old_category = old_matrix.category(new_category.key)
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
    return VersionComparison(old=old_matrix, new=new_matrix, levels=levels, categories=categories)


# History ----------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: object
    who: object
    what: str
    before: str = ""
    after: str = ""


def rubric_version_history(*, version: RubricVersion) -> list[HistoryEntry]:
    """Every recorded edit of a version, newest first: who changed which level, category,
    indicator or descriptor, with the text before and after. Seven queries.

    The rows a new draft copies from the current version carry COPIED_REASON: they are the
    baseline the first edits are compared with, not edits themselves.
    """
    from rubrics.services import COPIED_REASON

    def rows(model, **where):
        return list(
            model.history.filter(**where)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )

    level_rows = rows(Level, version_id=version.pk)
    level_names = dict(version.levels.values_list("pk", "name"))
    for row in level_rows:
        level_names.setdefault(row.id, row.name or f"level {row.value}")
    category_rows = rows(Category, version_id=version.pk)
    category_ids = {row.id for row in category_rows} | set(
        version.categories.values_list("pk", flat=True)
    )
    indicator_rows = rows(Indicator, category_id__in=category_ids)
    indicator_names = dict(
        Indicator.objects.filter(category__version=version).values_list("pk", "name")
    )
    for row in indicator_rows:
        indicator_names.setdefault(row.id, row.name)
    descriptor_rows = rows(Descriptor, indicator_id__in=set(indicator_names))
    version_rows = rows(RubricVersion, id=version.pk)

    entries: list[HistoryEntry] = []

    def walk(history, describe, fields):
        previous = {}
        for row in history:
            before = previous.get(row.id)
            previous[row.id] = row
            if row.history_change_reason == COPIED_REASON:
                continue
            if row.history_type == "+":
                what, old, new = describe(row, "added"), "", _text(row, fields)
            elif row.history_type == "-":
                what, old, new = describe(row, "removed"), _text(row, fields), ""
            else:
                changes = [
                    f for f in fields if before is None or getattr(before, f) != getattr(row, f)
                ]
                if not changes:
                    continue
                what = describe(row, "changed " + " and ".join(changes))
                old, new = (_text(before, changes) if before else ""), _text(row, changes)
            entries.append(HistoryEntry(row.history_date, row.history_user, what, old, new))

    previous_state = None
    for row in version_rows:
        if row.history_type == "+":
            entries.append(
                HistoryEntry(row.history_date, row.history_user, f"Draft v{row.number} created")
            )
        elif row.state != previous_state:
            entries.append(
                HistoryEntry(
                    row.history_date,
                    row.history_user,
                    f"Version {row.number} {row.get_state_display().lower()}",
                )
            )
        previous_state = row.state
    walk(level_rows, lambda row, action: f"Level {row.value}: {action}", ["name"])
    walk(
        category_rows,
        lambda row, action: f"Category {row.name or row.key}: {action}",
        ["name", "description"],
    )
    walk(
        indicator_rows,
        lambda row, action: f"Indicator “{row.name}”: {action}",
        ["name", "order"],
    )
    walk(
        descriptor_rows,
        lambda row, action: (
            f"Descriptor of “{indicator_names.get(row.indicator_id, 'an indicator')}” at "
            f"{level_names.get(row.level_id, 'a level')}: {action}"
        ),
        ["text"],
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _text(row, fields) -> str:
    return "; ".join(str(getattr(row, f)) for f in fields)
