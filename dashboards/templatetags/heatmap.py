"""The heatmap's rows, written by one tag: ``{% heatmap_rows rows_and_deadlines team_count %}``.

A row is a coordinator with four level cells, their state, their flags (each with its
explanation three times: tooltip, screen-reader text, print text) and their goals due. Drawn
through the template language that was some 360 µs a row, a hundred rows most of a page's
time; written here from format strings, as Django's admin writes its change list's cells
(``items_for_result``), it is a tenth of that, with the same HTML. Every text is escaped
(``html.escape``, as the templates' autoescape does); the markup is that of
components/level_badge.html and components/flag_badge.html, and a row is a table row on wide
screens and a card on a phone (static/css/app.css, Dashboards): each cell carries its own
label, shown only on the card. The asterisk marks self levels not yet reviewed.
"""

from functools import cache
from html import escape

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from dashboards.flags import FLAG_HELP, FLAG_LABELS

register = template.Library()

ROW = """
      <tr>
        <th scope="row" class="heatmap-name"><a href="{url}">{name}</a>
          <span class="d-block small text-body-secondary">{schools}</span></th>
        {team}
        {cells}
        <td class="heatmap-status"><span class="heatmap-label">This cycle</span>{status}
          {source}</td>
        <td class="heatmap-flags"><span class="heatmap-label">Flags</span>
{flags}
</td>
        <td class="heatmap-goals"><span class="heatmap-label">Goals due</span>{goals}</td>
      </tr>
    """
TEAM = '<td class="heatmap-team"><span class="heatmap-label">Team</span>{}</td>'
CELL = (
    '\n        <td class="heatmap-cell cell-level-{value}"><span class="heatmap-label">{category}'
    '</span><span class="gm-badge level level-{value}">{level}</span>{unreviewed}</td>'
)
UNRATED_CELL = (
    '\n        <td class="heatmap-cell"><span class="heatmap-label">{category}</span>'
    '<span class="gm-badge level level-none">Not rated</span></td>'
)
UNREVIEWED = (
    '<span class="unreviewed-mark" aria-hidden="true">*</span>'
    '<span class="visually-hidden"> (submitted, not yet reviewed)</span>'
)
FROM_CYCLE = '<span class="d-block small text-body-secondary">Levels from {}</span>'
NOT_YET_REVIEWED = (
    '<span class="d-block small text-body-secondary">* submitted, not yet reviewed</span>'
)
FLAG = (
    '<span class="flag-item"><button type="button" class="gm-badge flag flag-{code}"\n'
    '  data-bs-toggle="tooltip" title="{text}">{label}</button><span class="visually-hidden">: '
    '{text}.</span><span class="flag-print-text" aria-hidden="true">{text}</span></span>'
)
BARE_FLAG = '<span class="gm-badge flag flag-{code}">{label}</span>'
NONE = '<span class="text-body-secondary">None</span>'
GOALS_OVERDUE = '<span class="badge goal-due goal-due-overdue">{} goal{} overdue</span>'
GOALS_DUE_SOON = ' <span class="badge goal-due goal-due-due_soon">{} due soon</span>'


@cache
def _label(text: str) -> str:
    """A flag's or a state's label, escaped: a few fixed words, on every row."""
    return escape(text)


def _flag(flag) -> str:
    if flag.explanation:
        return FLAG.format(code=flag.code, text=escape(flag.explanation), label=_label(flag.label))
    return BARE_FLAG.format(code=flag.code, label=_label(flag.label))


def _once(written: dict | None, key, write, value) -> str:
    """``write(value)``, or what it wrote before in this table under ``key``."""
    if written is None:
        return write(value)
    html = written.get(key)
    if html is None:
        html = written[key] = write(value)
    return html


def _flags(flags, written: dict | None = None) -> str:
    # Many rows raise the same flag in the same words (a cycle's overdue self-assessments).
    return "".join(_once(written, flag, _flag, flag) for flag in flags)


def _goals(deadline: dict | None) -> str:
    overdue = (deadline or {}).get("overdue")
    soon = (deadline or {}).get("due_soon")
    if not overdue and not soon:
        return NONE
    return (GOALS_OVERDUE.format(overdue, "" if overdue == 1 else "s") if overdue else "") + (
        GOALS_DUE_SOON.format(soon) if soon else ""
    )


def _cell(cell) -> str:
    if cell.value:
        return CELL.format(
            value=cell.value,
            category=escape(cell.category_name),
            level=escape(cell.level_name),
            unreviewed=UNREVIEWED if cell.submitted_only else "",
        )
    return UNRATED_CELL.format(category=escape(cell.category_name))


def _cells(cells, written: dict | None = None) -> str:
    return "".join(_once(written, cell, _cell, cell) for cell in cells)


def _team(team) -> str:
    return TEAM.format(escape(team.name if team and team.name else "—"))


def heatmap_row(row, deadline, *, url: str, with_team: bool, written=None) -> str:
    """``written``: what is already written in this table, by the id of a list of cells
    that several rows share (the dashboard's rows with the same levels do) or of a team, and
    by cell and flag."""
    person = row.person
    # Rows with the same levels share their list of cells; a cell's words are a few.
    cells = _once(written, id(row.cells), lambda cells: _cells(cells, written), row.cells)
    team = _once(written, id(person.team), _team, person.team) if with_team else ""
    first = row.cells[0]
    if first.from_cycle:
        source = FROM_CYCLE.format(escape(first.from_cycle))
    else:
        source = NOT_YET_REVIEWED if first.submitted_only else ""
    return ROW.format(
        url=url,
        name=escape(person.display_name),
        schools=", ".join(escape(school.name) for school in row.schools) or "No school site",
        team=team,
        cells=cells,
        status=_label(row.status_label),
        source=source,
        flags=_flags(row.flags, written) or NONE,
        goals=_goals(deadline),
    )


@register.simple_tag
def heatmap_rows(rows_and_deadlines, team_count) -> str:
    """The ``<tr>`` of every (row, goals due) pair, in order."""
    link = reverse("dashboards:coordinator-detail", args=[0])
    start, end = link[: link.rindex("0")], link[link.rindex("0") + 1 :]
    written: dict = {}  # the rows are alive meanwhile, so their ids stay theirs
    return mark_safe(
        "".join(
            heatmap_row(
                row,
                deadline,
                url=f"{start}{row.person.pk}{end}",
                with_team=team_count > 1,
                written=written,
            )
            for row, deadline in rows_and_deadlines
        )
    )


@register.simple_tag
def heatmap_legend() -> str:
    """How to read the heatmap (dashboards/includes/heatmap_legend.html): the same for every
    page and person, so drawn once per process (every time while developing, DEBUG on, so
    that an edit to it shows)."""
    if settings.DEBUG:
        _legend.cache_clear()
    return _legend()


@cache
def _legend() -> str:
    return render_to_string(
        "dashboards/includes/heatmap_legend.html",
        {"flag_help": [(FLAG_LABELS[code], text) for code, text in FLAG_HELP.items()]},
    )
