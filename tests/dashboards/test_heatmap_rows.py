"""The heatmap's rows come from one tag (dashboards/templatetags/heatmap.py) rather than the
template language, for speed: the same HTML as the row template it replaced, which is kept
here as the reference, for rows with every kind of cell, flag and goal, and text to escape."""

from datetime import date
from pathlib import Path

from django.template import engines

from dashboards.flags import Flag
from dashboards.selectors.common import Cell, DashboardRow, Person, Ref
from dashboards.templatetags.heatmap import heatmap_rows

# The row as the template wrote it (templates/dashboards/dashboard_team.html before the tag).
ROW_TEMPLATE = (Path(__file__).parent / "heatmap_row_reference.html").read_text()

NASTY = '<b>Ann</b> & "O\'Neil"'


def row(
    pk,
    *,
    team="Team <1>",
    schools=(),
    levels=(3, 2, None, 1),
    submitted_only=False,
    from_cycle="",
    status="submitted",
    flags=(),
):
    names = {1: "Novice", 2: "Proficient & co", 3: "<Expert>"}
    return DashboardRow(
        person=Person(
            pk=pk,
            first_name=NASTY if pk == 1 else "",
            last_name="",
            email=f"p{pk}@example.org",
            team=Ref(9, team) if team is not None else None,
            career_stage_id=None,
            career_stage_title="",
            role_start_date=date(2020, 1, 1),
        ),
        schools=[Ref(i, name) for i, name in enumerate(schools)],
        cells=[
            Cell(
                key=key,
                category_name=f"Category {key} & <more>",
                value=value,
                level_name=names.get(value, "Not rated"),
                submitted_only=submitted_only and value is not None,
                from_cycle=from_cycle,
            )
            for key, value in zip(
                ("coordinator", "site", "organization", "development"), levels, strict=True
            )
        ],
        status=status,
        assessment_id=None,
        flags=list(flags),
    )


ROWS = [
    (
        row(
            1,
            schools=("Lincoln <Middle>", "O'Hara"),
            flags=[
                Flag("site_gap", 'School site: <Novice> & "more"', ("site",)),
                Flag("overdue", ""),
            ],
        ),
        {"overdue": 1, "due_soon": 2},
    ),
    (row(2, team=None, submitted_only=True, status="not_started"), {"overdue": 3}),
    (row(3, team="", from_cycle="Fall <2024>", levels=(None,) * 4), {"due_soon": 1}),
    (row(4, status="finalized"), None),
]


def test_the_rows_are_the_html_of_the_row_template(db):
    for team_count in (1, 2):
        expected = (
            engines["django"]
            .from_string(ROW_TEMPLATE)
            .render({"rows_and_deadlines": ROWS, "team_count": team_count})
        )
        assert heatmap_rows(ROWS, team_count) == expected
