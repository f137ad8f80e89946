"""A rubric version as a grid of words (categories × indicators × levels) and the gaps that
stop a draft from being published."""

from dataclasses import dataclass

from django.db.models import Prefetch

from rubrics.models import Category, Descriptor, Indicator, Level, RubricVersion


@dataclass(frozen=True)
class RubricProblem:
    """One gap that stops a draft from being published, with where to fix it.

    ``category_key`` None means the level names (on the draft's overview page); ``anchor`` is
    the id of the field to fix on that page.
    """

    message: str
    category_key: str | None
    anchor: str


@dataclass
class GridCell:
    level: Level
    text: str


@dataclass
class GridIndicator:
    indicator: Indicator
    cells: list[GridCell]

    @property
    def name(self) -> str:
        return self.indicator.name


@dataclass
class GridCategory:
    category: Category
    indicators: list[GridIndicator]

    @property
    def key(self) -> str:
        return self.category.key

    @property
    def name(self) -> str:
        return self.category.name

    def words(self) -> tuple:
        """Its name, description and every indicator's name and descriptors, in order: equal
        for two versions whose category reads the same."""
        return (
            self.category.name,
            self.category.description,
            tuple((row.name, tuple(cell.text for cell in row.cells)) for row in self.indicators),
        )


@dataclass
class RubricGrid:
    """A rubric version's words as the editor shows and compares them: per category, one row
    per indicator with one cell per level."""

    version: RubricVersion
    levels: list[Level]
    categories: list[GridCategory]

    def category(self, key: str) -> GridCategory | None:
        return next((c for c in self.categories if c.key == key), None)


def rubric_version_matrix(*, version: RubricVersion) -> RubricGrid:
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
                GridIndicator(
                    indicator=indicator,
                    cells=[GridCell(level=level, text=texts.get(level.pk, "")) for level in levels],
                )
            )
        result.append(GridCategory(category=category, indicators=rows))
    return RubricGrid(version=version, levels=levels, categories=result)


def rubric_grid_problems(matrix: RubricGrid) -> list[RubricProblem]:
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
    return rubric_grid_problems(rubric_version_matrix(version=version))
