"""The overview's largest repeated markup, written by tags: the flag counts per team or school
site, the completion per team, a trend chart's bars, and the schools view's rows. Each is
hundreds of cells whose count grows with the teams and sites; through the template language
they were most of the page's time, written from format strings (as the heatmap's rows,
heatmap.py) they are a small part of it, with the same HTML. Every text is escaped as the
templates' autoescape does."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from dashboards.charts import svg_number
from rubrics.badges import level_badge

register = template.Library()


def _cells(group, counts, *, url: str, cycle: str, param: str, kind: str) -> str:
    """Each count in a cell, linked to the dashboard's list behind it when there is one."""
    if not group:
        return "".join(f"<td>{count}</td>" for _code, count in counts)
    link = f'<td><a href="{url}?cycle={cycle}&amp;{param}={group.pk}&amp;{kind}='
    return "".join(
        f'{link}{code}">{count}</a></td>' if count else f"<td>{count}</td>"
        for code, count in counts
    )


def _name(group) -> str:
    """``{{ group.name|default:"No team" }}``."""
    return escape(group.name) if group and group.name else "No team"


@register.simple_tag
def flag_count_rows(groups, param, cycle, dashboard_url) -> str:
    """The rows of dashboards/includes/flag_count_table.html: per team or school site, each
    flag's count, linked to the dashboard's list behind it."""
    cycle_pk = "" if cycle is None else str(cycle.pk)
    return mark_safe(
        "".join(
            f'\n  <tr><th scope="row">{_name(group)}</th>\n    '
            + _cells(group, counts, url=dashboard_url, cycle=cycle_pk, param=param, kind="flag")
            + "\n  </tr>\n  "
            for group, counts, _total in groups
        )
    )


@register.simple_tag
def completion_rows(table, cycle, dashboard_url) -> str:
    """The rows of the overview's completion table: per team, the coordinators in each state,
    linked to the dashboard's list behind them, and the team's total."""
    cycle_pk = "" if cycle is None else str(cycle.pk)
    return mark_safe(
        "".join(
            f'\n    <tr><th scope="row">{_name(team)}</th>\n      '
            + _cells(team, counts, url=dashboard_url, cycle=cycle_pk, param="team", kind="status")
            + f"\n      <td>{total}</td>\n    </tr>\n    "
            for team, counts, total in table
        )
    )


RECT = (
    '<rect class="{css}" x="{x}" y="{y}" width="{width}" height="{height}">'
    "<title>{title}</title></rect>"
)


@register.simple_tag
def chart_rects(chart) -> str:
    """A stacked bar chart's bars (dashboards/charts.py draws them), each with its words."""
    return mark_safe(
        "".join(
            RECT.format(css=escape(rect.css), title=escape(rect.title), **rect.svg())
            for rect in chart.rects
        )
    )


def _cycle_cell(trend, first: bool) -> str:
    """A trend table's first cell: the cycle, and its rubric versions on the first
    row and where they changed."""
    cell = escape(trend.cycle.name)
    if first or trend.version_mark:
        cell += (
            '<span class="d-block small fw-normal text-body-secondary">'
            f"{escape(trend.versions_text)}</span>"
        )
    if trend.version_mark:
        cell += (
            f'<span class="gm-badge version-change">{escape(trend.version_mark_words)} '
            "from here</span>"
        )
    return cell


@register.simple_tag
def trend_rows(rows, last="total") -> str:
    """The rows of a trend table beside its chart: per cycle, its counts and, last, the
    finalized share (``last="percent"``, rows of (trend, counts)) or the total (rows of
    (trend, counts, total))."""
    lines = []
    for i, (trend, counts, *total) in enumerate(rows):
        end = f"{trend.completion_percent}%" if last == "percent" else total[0]
        cells = "".join(f"<td>{count}</td>" for count in counts)
        lines.append(
            f'\n        <tr><th scope="row">{_cycle_cell(trend, i == 0)}</th>{cells}'
            f"<td>{end}</td></tr>\n        "
        )
    return mark_safe("".join(lines))


def state_badge(state: str, label: str) -> str:
    """components/state_badge.html without extra classes."""
    return f'<span class="gm-badge state state-{escape(state or "none")}">{escape(label)}</span>'


@register.simple_tag
def school_rows(rows) -> str:
    """The rows of the schools view (dashboards/schools.html): each school linked to its page,
    its School site level, trend, turnover and this year's agreement."""
    page_url = reverse("dashboards:school-detail", args=[0]).replace("/0/", "/{}/")
    return mark_safe(
        "".join(
            f'\n    <tr><th scope="row"><a href="{page_url.format(row.pk)}">{escape(row.name)}</a>'
            f"</th>\n      <td>{level_badge(row.level, row.level_name)}</td>\n      "
            f"<td>{escape(row.trend_words)}</td>\n      <td>{row.coordinators}</td>\n      "
            f"<td>{state_badge(row.agreement_state, row.agreement_label)}</td></tr>\n  "
            for row in rows
        )
    )


def _esc(text) -> str:
    """``conditional_escape`` without its wrappers: safe text as it is, the rest escaped."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return escape(str(text))


def _int(value) -> int:
    """``{{ value|add:... }}`` adds as integers."""
    return int(value)


@register.simple_tag
def stacked_bar_chart(chart, chart_id, title, legend, description="", no_versions=False) -> str:
    """dashboards/includes/stacked_bar_chart.html written from format strings, with the same
    HTML: the overview draws five of these, and through the template language their ticks,
    labels and legends cost about as much as the rest of the page."""
    e = _esc
    chart_id = e(chart_id)
    ticks = "".join(
        f'<line class="chart-grid" x1="{chart.left}" x2="{chart.right}" y1="{svg_number(y)}" '
        f'y2="{svg_number(y)}"/><text class="chart-tick" x="{_int(chart.left) - 4}" '
        f'y="{svg_number(y)}" text-anchor="end" dominant-baseline="middle">{e(words)}</text>'
        for y, words in chart.ticks
    )
    empty = "".join(
        f'<text class="chart-empty" x="{at["x"]}" y="{at["y"]}" text-anchor="middle">'
        f"{e(t.lines[0])}</text>"
        for t in chart.empty_columns
        for at in (t.svg(),)
    )
    labels = "".join(
        f'<text class="chart-label" x="{at["x"]}" y="{at["y"]}" text-anchor="middle">'
        + "".join(
            f'<tspan x="{at["x"]}"{" dy=" + chr(34) + "1.1em" + chr(34) if i else ""}>'
            f"{e(line)}</tspan>"
            for i, line in enumerate(t.lines)
        )
        + "</text>"
        for t in chart.labels
        for at in (t.svg(),)
    )
    markers = "".join(
        f'<line class="chart-version-line" x1="{at["x"]}" x2="{at["x"]}" y1="{at["top"]}" '
        f'y2="{at["bottom"]}"/><text class="chart-version" x="{at["x"]}" '
        f'y="{_int(m.top) - 6}" text-anchor="{e(m.anchor)}">{e(m.label)}</text>'
        for m in chart.markers
        for at in (m.svg(),)
    )
    keys = "".join(
        '<li class="list-inline-item"><svg class="chart-key" viewBox="0 0 12 12" '
        f'aria-hidden="true" focusable="false"><rect class="{e(css)}" x="1" y="1" width="10" '
        f'height="10"/></svg> {e(words)}</li>'
        for css, words in legend
    )
    if not no_versions:
        keys += (
            '<li class="list-inline-item"><svg class="chart-key" viewBox="0 0 12 12" '
            'aria-hidden="true" focusable="false"><line class="chart-version-line" x1="6" '
            'x2="6" y1="0" y2="12"/></svg> rubric version changed</li>'
        )
    desc = e(description) if description else "Each bar is one cycle, split by share"
    return mark_safe(
        '\n<figure class="trend-chart mb-0">\n'
        f'  <figcaption class="fw-semibold" id="{chart_id}-title">{e(title)}</figcaption>\n'
        f'  <svg viewBox="0 0 {chart.width} {chart.height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="trend-svg" '
        'focusable="false">\n'
        f'    <desc id="{chart_id}-desc">{desc}; the same numbers are in the table beside this '
        "chart.</desc>\n"
        f"    {ticks}\n    {chart_rects(chart)}\n    {empty}\n    {labels}\n    {markers}\n"
        "  </svg>\n"
        f'  <ul class="list-inline small mb-0 chart-legend">{keys}</ul>\n'
        "</figure>\n"
    )


def flag_badge(code, label) -> str:
    """components/flag_badge.html without a tooltip."""
    code, label = _esc(code), _esc(label)
    return f'<span class="gm-badge flag flag-{code}">{label}</span>'


@register.simple_tag
def flag_total_items(totals, cycle, dashboard_url) -> str:
    """The overview's flag totals: per flag, its badge and count, linked to the dashboard's
    list of the coordinators it counts."""
    cycle_pk = "" if cycle is None else str(cycle.pk)
    return mark_safe(
        "".join(
            f'\n    <li class="list-inline-item mb-2"><a class="btn btn-outline-dark btn-sm" '
            f'href="{dashboard_url}?cycle={cycle_pk}&amp;flag={_esc(code)}">'
            f'{flag_badge(code, label)} {count}<span class="visually-hidden"> '
            f"coordinator{'' if count == 1 else 's'}</span></a></li>\n    "
            for code, label, count in totals
        )
    )


@register.simple_tag
def distribution_table(overview) -> str:
    """The head and body of the overview's level distribution: per category, the count and
    whole percent of coordinators at each level and with none."""
    head = "".join(
        f'<th scope="col">{level_badge(value, name) if value else _esc(name)}</th>'
        for value, name in overview.level_columns()
    )
    body = "".join(
        f'\n    <tr><th scope="row">{_esc(name)}</th>\n      '
        + "".join(
            f'<td>{count} <span class="text-body-secondary small">({percent}%)</span></td>'
            for _value, count, percent in counts
        )
        + "\n    </tr>\n    "
        for name, counts in overview.distribution_table()
    )
    return mark_safe(
        f'<thead><tr><th scope="col">Category</th>{head}</tr></thead>\n    <tbody>\n    '
        f"{body}\n    </tbody>"
    )


@register.simple_tag
def level_headings(level_names) -> str:
    """A trend table's level columns: each level's badge in a column heading."""
    return mark_safe(
        "".join(
            f'<th scope="col">{level_badge(value, name)}</th>'
            for value, name in level_names.items()
        )
    )


@register.simple_tag
def flag_count_table(groups, param, caption, flag_labels, cycle, dashboard_url) -> str:
    """dashboards/includes/flag_count_table.html, with the same HTML: the table of flag counts
    per team or school site, headed by the flags' labels."""
    heading = "Team" if param == "team" else "School site"
    labels = "".join(
        f'<th scope="col" class="flag-count-heading">{_esc(label)}</th>'
        for _code, label in flag_labels
    )
    return mark_safe(
        '\n<div class="table-responsive">\n'
        '<table class="table table-sm table-striped align-middle flag-count-table">\n'
        f'  <caption class="visually-hidden">{_esc(caption)}</caption>\n'
        f'  <thead><tr><th scope="col">{heading}</th>{labels}</tr></thead>\n'
        "  <tbody>\n  "
        f"{flag_count_rows(groups, param, cycle, dashboard_url)}\n"
        "  </tbody>\n</table>\n</div>\n"
    )


def _trend_chart_and_table(chart: str, caption: str, headings: str, rows: str) -> str:
    """One row of the trend: a chart, and the table of its numbers beside it."""
    return (
        '\n  <div class="row g-3 mb-3 align-items-start">\n'
        f'    <div class="col-lg-6">{chart}</div>\n'
        '    <div class="col-lg-6"><div class="table-responsive">\n'
        '      <table class="table table-sm align-middle trend-table">\n'
        f"        <caption>{caption}</caption>\n"
        f'        <thead><tr><th scope="col">Cycle and rubric</th>{headings}</tr></thead>\n'
        "        <tbody>\n"
        f"        {rows}\n"
        "        </tbody>\n"
        "      </table>\n"
        "    </div></div>\n"
        "  </div>"
    )


TREND_WORDS = (
    '\n  <p class="text-body-secondary">Every cycle opened so far, oldest first: how far its '
    "assessments got, and the agreed levels of the finalized ones in each category. A dashed line "
    "marks the cycle where a new rubric version came in; levels on either side were rated against "
    "different words.</p>"
)
NO_TREND = (
    '\n  <p class="text-body-secondary">The trend appears once a second cycle has opened: each '
    "cycle's completion and levels, side by side.</p>\n  "
)


@register.simple_tag
def trend_section(trend) -> str:
    """The overview's "Across cycles" charts and tables (selectors/trends.py counts them),
    written as the template wrote them: through the template language, their loop, headings
    and captions cost about as much as the charts themselves."""
    if len(trend.cycles) <= 1:
        return mark_safe(NO_TREND)
    states = "".join(
        f'<th scope="col">{_esc(label)}</th>' for _state, label in trend.state_columns()
    )
    parts = [
        TREND_WORDS,
        _trend_chart_and_table(
            stacked_bar_chart(
                trend.completion_chart(),
                "trend-completion",
                "Completion: assessments by state",
                trend.state_legend(),
            ),
            "Completion: assessments by state, per cycle",
            f'{states}<th scope="col">Finalized share</th>',
            trend_rows(trend.state_rows(), "percent"),
        ),
        "\n  ",
    ]
    legend = trend.level_legend()
    headings = level_headings(trend.level_names) + '<th scope="col">Finalized</th>'
    for key, name, chart, rows in trend.category_charts():
        parts.append(
            _trend_chart_and_table(
                stacked_bar_chart(chart, f"trend-{key}", f"{name}: finalized levels", legend),
                f"{_esc(name)}: finalized assessments at each level, per cycle",
                headings,
                trend_rows(rows),
            )
            + "\n  "
        )
    return mark_safe("".join(parts) + "\n  ")
