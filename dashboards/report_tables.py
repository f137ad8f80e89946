"""What each report shows, as tables with a chart and a sentence saying how to read them. The
page renders these tables and the CSV/XLSX exports write the very same cells, so a file holds
exactly what the page shows (hidden groups as "fewer than 5", never their number)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboards import report_rules as rules
from dashboards.charts import BarChart, Column, Segment, stacked_bars
from rubrics.vocabulary import DEFAULT_NAMES

MOVE_CSS = {rules.ROSE: "chart-level-3", rules.SAME: "chart-level-2", rules.FELL: "chart-level-1"}
MOVE_LEGEND = [(MOVE_CSS[move], rules.MOVE_LABELS[move]) for move in rules.MOVES]
ASSOCIATION = (
    "People who had a support may differ in other ways from those who did not: these numbers "
    "show what went together, not what caused what."
)
# A category under a bar, where the whole name does not fit.
SHORT_CATEGORY = {
    "coordinator": "Coord.",
    "site": "Site",
    "organization": "Org.",
    "development": "Dev.",
}


@dataclass(frozen=True, slots=True)
class TableCell:
    value: object  # what the cell shows: a number, words, or None for nothing
    people: str = ""  # the key of the people behind the number, when they may be listed

    @property
    def text(self) -> str:
        return "" if self.value is None else str(self.value)


@dataclass
class ReportTable:
    title: str
    how_to_read: str
    header: list[str]
    rows: list[list[TableCell]]
    chart: BarChart | None = None
    chart_how_to_read: str = ""
    legend: list[tuple[str, str]] = field(default_factory=list)
    slug: str = ""


def export_lines(title: str, filters: list[str], tables: list[ReportTable]) -> list[list]:
    """Every table of a report one below the other, each under its title, as the page shows
    them; the filters first."""
    lines: list[list] = [[title], *([words] for words in filters), []]
    for table in tables:
        lines += [[table.title], table.header]
        lines += [[cell.value for cell in row] for row in table.rows]
        lines.append([])
    return lines


def _percent(value: int | None) -> str | None:
    return None if value is None else f"{value}%"


# Impact ----------------------------------------------------------------------------------


def impact_tables(report, *, may_list: bool) -> list[ReportTable]:
    """One table per support group: a line per category and starting level, those with the
    support beside those without."""
    tables: dict[str, ReportTable] = {}
    levels = {}
    for row in report.rows:
        table = tables.get(row.group)
        if table is None:
            table = tables[row.group] = ReportTable(
                title=report.group_names[row.group],
                how_to_read=(
                    "Each line: people at one level of a category in a finalized cycle, and "
                    "how that level moved by their next finalized cycle — those who had this "
                    "support during the cycle beside those at the same level in the same "
                    "cycles without it. Counts are moves (one person may count in several "
                    "cycles); groups of fewer than 5 people are hidden."
                ),
                header=[
                    "Category",
                    "Starting level",
                    "With: people",
                    "With: rose",
                    "With: same",
                    "With: fell",
                    "With: % rose",
                    "Without: people",
                    "Without: rose",
                    "Without: same",
                    "Without: fell",
                    "Without: % rose",
                ],
                rows=[],
                slug=row.group.replace(":", "-"),
                legend=MOVE_LEGEND,
                chart_how_to_read=(
                    "Each bar is one category, with the support (W) or without it (w/o), split "
                    "by share of moves that rose, stayed the same or fell; hidden groups are "
                    "left out"
                ),
            )
        cells = [
            TableCell(report.category_names[row.category]),
            TableCell(DEFAULT_NAMES.level(row.start_level)),
        ]
        for side, tally in (("with", row.with_support), ("without", row.without)):
            cells.append(TableCell(rules.shown_count(tally.headcount)))
            for move in rules.MOVES:
                link = f"{row.key}|{side}|{move}" if may_list and not tally.hidden else ""
                cells.append(TableCell(tally.shown(move), link if tally.steps[move] else ""))
            cells.append(TableCell(_percent(tally.rate(rules.ROSE))))
        table.rows.append(cells)
        levels.setdefault(row.group, []).append(row)
    for group, table in tables.items():
        columns = []
        for category, name in report.category_names.items():
            mine = [r for r in levels[group] if r.category == category]
            if not mine:
                continue
            for label, side in (("W", "with_support"), ("w/o", "without")):
                counts = dict.fromkeys(rules.MOVES, 0)
                for row in mine:
                    tally = getattr(row, side)
                    if not tally.hidden:
                        for move in rules.MOVES:
                            counts[move] += tally.steps[move]
                total = sum(counts.values())
                columns.append(
                    Column(
                        f"{SHORT_CATEGORY.get(category, name[:6])} {label}",
                        [
                            Segment(
                                MOVE_CSS[m],
                                counts[m],
                                f"{name}, {label}: {counts[m]} of {total} {m}",
                            )
                            for m in reversed(rules.MOVES)
                        ],
                    )
                )
        table.chart = stacked_bars(columns)
    return list(tables.values())


def pre_post_table(report, *, may_list: bool) -> ReportTable | None:
    """The chosen support's people: each category's levels in the finalized cycle before it
    began and the first one after, side by side."""
    result = report.pre_post
    if result is None:
        return None
    name = report.group_names.get(report.pre_post_group, "")
    people = result.headcount
    link = "pre_post|people" if may_list and people and not result.hidden else ""
    levels = {level: DEFAULT_NAMES.level(level) for level in (1, 2, 3)}
    rows, columns = [], []
    for key, category in report.category_names.items():
        for side, words in (("before", "Before"), ("after", "After")):
            counts = [result.shown(side, key, level) for level in levels]
            rows.append(
                [
                    TableCell(f"{category}, {words.lower()}"),
                    TableCell(rules.shown_count(people), link),
                    *(TableCell(count) for count in counts),
                ]
            )
            if not result.hidden:
                columns.append(
                    Column(
                        f"{SHORT_CATEGORY.get(key, category[:6])} {words.lower()}",
                        [
                            Segment(
                                f"chart-level-{level}",
                                count,
                                f"{category}, {words}, {levels[level]}: {count} of {people}",
                            )
                            for level, count in zip(levels, counts, strict=True)
                        ],
                    )
                )
    return ReportTable(
        title=f"Before and after: {name}",
        how_to_read=(
            "The people who had this support and a finalized cycle both before it began and "
            "after: how many were at each level of each category in the last finalized cycle "
            "before, and in the first after. Fewer than 5 people are hidden."
        ),
        header=["Category", "People", *levels.values()],
        rows=rows,
        chart=stacked_bars(columns),
        chart_how_to_read="Each pair of bars is one category before and after the support, "
        "split by the share at each level",
        legend=[(f"chart-level-{level}", words) for level, words in levels.items()],
        slug="pre-post",
    )


# Retention -------------------------------------------------------------------------------


def retention_tables(report, *, may_list: bool) -> list[ReportTable]:
    header = ["School year", "Split", "In the role on its first day"]
    header += [f"Still in the role {n} year{'s' if n > 1 else ''} later" for n in rules.YEARS_LATER]
    header += [f"% after {n}" for n in rules.YEARS_LATER]
    rows = []
    for row in report.rows:
        start = row.start
        hidden = row.cells[0].hidden
        cells = [
            TableCell(report.year_labels[row.year_start]),
            TableCell(row.split or "Everyone"),
            TableCell(
                rules.shown_count(start), f"{row.key}|start" if may_list and not hidden else ""
            ),
        ]
        for years, cell in enumerate(row.cells, start=1):
            still = cell.shown_still()
            link = f"{row.key}|{years}" if may_list and not hidden and cell.still else ""
            cells.append(TableCell("not yet" if still is None else still, link))
        cells += [TableCell(_percent(cell.rate)) for cell in row.cells]
        rows.append(cells)
    columns = [
        Column(
            f"{report.year_labels[row.year_start]} {row.split[:10]}".strip(),
            [
                Segment(
                    "chart-level-1",
                    row.start - row.cells[0].still,
                    f"Left within a year: {row.start - row.cells[0].still}",
                ),
                Segment(
                    "chart-level-3",
                    row.cells[0].still,
                    f"Still in the role a year later: {row.cells[0].still}",
                ),
            ],
        )
        for row in report.rows
        if row.cells[0].still is not None and not row.cells[0].hidden
    ]
    retention = ReportTable(
        title="Retention",
        how_to_read=(
            "Each line: the people in the role on the first day of a school year, and how many "
            "of them were still in it one, two and three years later (“not yet” when that day "
            "has not come). Groups of fewer than 5 people are hidden. People who left on a day "
            "nobody recorded are left out."
        ),
        header=header,
        rows=rows,
        chart=stacked_bars(columns),
        chart_how_to_read="Each bar is one school year (and group): the share still in the role a "
        "year later, and the share who left within it",
        legend=[("chart-level-3", "Still in the role a year later"), ("chart-level-1", "Left")],
        slug="retention",
    )
    promotion_rows = [
        [
            TableCell(row.stage),
            TableCell(row.cohort),
            TableCell(
                rules.shown_count(row.people),
                f"{row.key}|promoted" if may_list and not row.hidden else "",
            ),
            TableCell(row.median),
        ]
        for row in report.promotions
    ]
    promotions = ReportTable(
        title="Time to promotion",
        how_to_read=(
            "Each line: the people who started in the role in one school year (their cohort) "
            "and reached a career stage, with the median years from their first day in the role "
            "to that promotion. Groups of fewer than 5 people are hidden."
        ),
        header=["Career stage", "Started in", "People promoted", "Median years"],
        rows=promotion_rows,
        slug="promotion",
    )
    return [retention, promotions]


# Calibration -----------------------------------------------------------------------------


def calibration_tables(report) -> list[ReportTable]:
    org = report.organization
    who = "Team" if report.group == "team" else "Director"
    header = [who, "People", "Reviews", "Largest gap from the organization", "In category"]
    header += [f"{name}: mean level" for name in report.category_names.values()]
    header += [f"{name}: supervisor − self" for name in report.category_names.values()]
    header += ["% ratings without evidence or note", "% reviews finalized within the window"]

    def line(figures, gap, category, label, link):
        cells = [
            TableCell(label),
            TableCell(rules.shown_count(figures.people), link),
            TableCell(rules.SUPPRESSED if figures.hidden else figures.reviews),
            TableCell(gap),
            TableCell(report.category_names.get(category) if category else None),
        ]
        for key in report.category_names:
            mean = None if figures.hidden else figures.mean_level(key)
            cells.append(TableCell(None if mean is None else round(mean, 2)))
        cells += [TableCell(figures.mean_difference(key)) for key in report.category_names]
        cells += [
            TableCell(_percent(figures.bare_percent)),
            TableCell(_percent(figures.in_window_percent)),
        ]
        return cells

    rows = [line(org, None, None, "Organization", "")]
    for figures, gap, category in report.ranked:
        link = f"{figures.key}|people" if figures.key in report.own and not figures.hidden else ""
        rows.append(line(figures, gap, category, report.labels[figures.key], link))
    summary = ReportTable(
        title=f"Per {who.lower()}",
        how_to_read=(
            f"Each line: the finalized reviews of one {who.lower()}'s team in the chosen cycles. "
            "Ordered by the largest difference, over categories with at least 5 ratings, between "
            "their mean supervisor level and the organization's — a difference to talk about, "
            "not a verdict. Supervisor − self above 0 means the supervisor rated higher than "
            "the coordinator did. Groups of fewer than 5 people are hidden."
        ),
        header=header,
        rows=rows,
        slug="summary",
    )
    tables = [summary]
    legend = [(f"chart-level-{value}", name) for value, name in report.level_names.items()]
    for key, name in report.category_names.items():
        everyone = [(org, "Organization")] + [
            (figures, report.labels[figures.key]) for figures, _g, _c in report.ranked
        ]
        columns, rows = [], []
        for figures, label in everyone:
            counts = figures.distribution(key) if figures is not org else org.levels.get(key, {})
            shown = (
                [rules.SUPPRESSED] * 3 if counts is None else [counts.get(v, 0) for v in (1, 2, 3)]
            )
            rows.append([TableCell(label), *(TableCell(n) for n in shown)])
            if counts is not None:
                total = sum(counts.values())
                columns.append(
                    Column(
                        label,
                        [
                            Segment(
                                css,
                                counts.get(value, 0),
                                f"{label}, {level}: {counts.get(value, 0)} of {total}",
                            )
                            for (css, level), value in zip(legend, (1, 2, 3), strict=True)
                        ],
                    )
                )
        tables.append(
            ReportTable(
                title=f"{name}: supervisor levels",
                how_to_read=f"How many {name} ratings each gave at each level in finalized "
                "reviews, beside the organization's.",
                header=[who, *report.level_names.values()],
                rows=rows,
                chart=stacked_bars(columns),
                chart_how_to_read="Each bar is the organization or one "
                f"{who.lower()}, split by the share of supervisor levels",
                legend=legend,
                slug=f"levels-{key}",
            )
        )
    return tables
