"""The rows of a report's tables (templates/dashboards/report.html), written by a tag: a
report's tables hold hundreds of cells, each linked to the people behind it, and through the
template language (a URL reversed per cell) they were most of the page's time. The same HTML
as the template wrote, from format strings; every text is escaped as autoescape does."""

from html import escape
from urllib.parse import quote

from django import template
from django.template.defaultfilters import add, floatformat
from django.urls import reverse
from django.utils.safestring import mark_safe

from dashboards.templatetags.overview_tables import chart_rects

register = template.Library()

PEOPLE_URLS = {
    "impact": "dashboards:report-impact-people",
    "retention": "dashboards:report-retention-people",
    "calibration": "dashboards:report-calibration-people",
}
LINKED = (
    '<td><a href="{url}?{query}cell={people}" aria-label="{text}: the people behind this '
    'number">{text}</a></td>'
)


NUMBERS = (int, float)  # written as they are: nothing in them to escape


def _cell(cell, *, first: bool, url: str, query: str) -> str:
    value = cell.value
    text = str(value) if type(value) in NUMBERS else escape(cell.text)
    if first:
        return f'<th scope="row">{text}</th>'
    if cell.people:
        people = escape(quote(cell.people, safe=""))
        return LINKED.format(url=url, query=query, people=people, text=text)
    return f"<td>{text}</td>"


@register.simple_tag
def report_rows(rows, slug, query) -> str:
    """The ``<tr>`` of each row of a report table (``report_tables.ReportTable.rows``): the
    first cell a row header, a cell with people a link to them with the report's filters
    (``query``), the others plain."""
    url = reverse(PEOPLE_URLS.get(slug, PEOPLE_URLS["calibration"]))
    before = f"{escape(query)}&amp;" if query else ""
    return mark_safe(
        "".join(
            "\n        <tr>"
            + "".join(
                _cell(cell, first=i == 0, url=url, query=before) for i, cell in enumerate(row)
            )
            + "</tr>\n        "
            for row in rows
        )
    )


GRID = (
    '<line class="chart-grid" x1="{left}" x2="{right}" y1="{y}" y2="{y}"/>'
    '<text class="chart-tick" x="{tick_x}" y="{y}" text-anchor="end" '
    'dominant-baseline="middle">{words}</text>'
)
KEY = (
    '<li class="list-inline-item"><svg class="chart-key" viewBox="0 0 12 12" '
    'aria-hidden="true" focusable="false">{shape}</svg> {words}</li>'
)
VERSION_KEY = KEY.format(
    shape='<line class="chart-version-line" x1="6" x2="6" y1="0" y2="12"/>',
    words="rubric version changed",
)


LATER_LINE = ' dy="1.1em"'


def _label(text) -> str:
    at = text.svg()
    lines = "".join(
        f'<tspan x="{at["x"]}"{LATER_LINE if i else ""}>{escape(line)}</tspan>'
        for i, line in enumerate(text.lines)
    )
    return (
        f'<text class="chart-label" x="{at["x"]}" y="{at["y"]}" text-anchor="middle">{lines}</text>'
    )


@register.simple_tag
def report_chart(chart, chart_id, title, legend, description="", no_versions=False) -> str:
    """dashboards/includes/stacked_bar_chart.html, the same HTML, for a report's charts: a
    report draws a chart per table, each with a label per bar, and through the template
    language they were most of the page's time. (The overview keeps the include.)"""
    chart_id, title = escape(str(chart_id)), escape(str(title))
    read = escape(description) if description else "Each bar is one cycle, split by share"
    tick_x = add(chart.left, "-4")
    grid = "".join(
        GRID.format(
            left=chart.left,
            right=chart.right,
            y=floatformat(y, "1u"),
            tick_x=tick_x,
            words=escape(words),
        )
        for y, words in chart.ticks
    )
    empty = "".join(
        '<text class="chart-empty" x="{x}" y="{y}" text-anchor="middle">'.format(**t.svg())
        + f"{escape(t.lines[0])}</text>"
        for t in chart.empty_columns
    )
    labels = "".join(_label(t) for t in chart.labels)
    markers = "".join(
        '<line class="chart-version-line" x1="{x}" x2="{x}" y1="{top}" y2="{bottom}"/>'.format(
            **m.svg()
        )
        + f'<text class="chart-version" x="{m.svg()["x"]}" y="{add(m.top, "-6")}" '
        f'text-anchor="{escape(m.anchor)}">{escape(m.label)}</text>'
        for m in chart.markers
    )
    keys = "".join(
        KEY.format(
            shape=f'<rect class="{escape(css)}" x="1" y="1" width="10" height="10"/>',
            words=escape(words),
        )
        for css, words in legend
    )
    if not no_versions:
        keys += VERSION_KEY
    return mark_safe(
        '\n<figure class="trend-chart mb-0">\n'
        f'  <figcaption class="fw-semibold" id="{chart_id}-title">{title}</figcaption>\n'
        f'  <svg viewBox="0 0 {chart.width} {chart.height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="trend-svg" '
        'focusable="false">\n'
        f'    <desc id="{chart_id}-desc">{read}; the same numbers are in the table beside '
        "this chart.</desc>\n"
        f"    {grid}\n    {chart_rects(chart)}\n    {empty}\n    {labels}\n    {markers}\n"
        "  </svg>\n"
        f'  <ul class="list-inline small mb-0 chart-legend">{keys}</ul>\n'
        "</figure>\n"
    )
