"""Checking a roster: normalize every row, check it against the file and the organization,
and say what importing it would change, with every bad row by sheet, row and column."""

from __future__ import annotations

from dataclasses import asdict

from django.utils import timezone

from coordinators.models import Organization
from growthmatrix.roster.cells import FORMULA_MESSAGE, SheetRows, is_formula
from growthmatrix.roster.columns import KINDS, PEOPLE, SCHOOLS, TEAMS
from growthmatrix.roster.lookup import roster_lookup_load
from growthmatrix.roster.plan import RosterPlan, RowError
from growthmatrix.roster.reading import Table
from growthmatrix.roster.sheets.people import people_plan, person_row_normalize
from growthmatrix.roster.sheets.schools import school_row_normalize, schools_plan
from growthmatrix.roster.sheets.teams import team_row_normalize, teams_plan

ROW_NORMALIZERS = {
    SCHOOLS: school_row_normalize,
    TEAMS: team_row_normalize,
    PEOPLE: person_row_normalize,
}
# In the order of KINDS: a person's team and school sites may be rows of the same file.
SHEET_PLANS = (schools_plan, teams_plan, people_plan)


def roster_normalize(tables: list[Table]) -> dict:
    """Plain, JSON-able rows, with the errors that need only the file itself to find."""
    payload = {kind: [] for kind in KINDS}
    errors: list[RowError] = []
    today = timezone.localdate()
    for table in tables:
        rows = SheetRows(sheet=table.sheet, errors=errors, today=today)
        for number, cells in table.rows:
            item = {"row": number, "sheet": table.sheet}
            for column, value in cells.items():
                if is_formula(value):
                    rows.error(item, column, getattr(value, "text", value), FORMULA_MESSAGE)
            ROW_NORMALIZERS[table.kind](item, cells, rows)
            payload[table.kind].append(item)
    payload["errors"] = [asdict(error) for error in errors]
    return payload


def roster_plan(*, organization: Organization, payload: dict) -> RosterPlan:
    """Check the normalized rows against each other and the database; say what would change.

    The errors found while normalizing travel in the payload, so a payload with any of them
    can never be applied. A fixed number of queries, whatever the number of rows.
    """
    plan = RosterPlan(payload=payload, errors=[RowError(**e) for e in payload.get("errors", [])])
    lookup = roster_lookup_load(organization=organization, payload=payload)
    for kind, sheet_plan in zip(KINDS, SHEET_PLANS, strict=True):
        sheet_plan(plan, payload[kind], lookup)
    sheet_order = {}
    for kind in KINDS:
        for item in payload[kind]:
            sheet_order.setdefault(item["sheet"], len(sheet_order))
    plan.errors.sort(key=lambda e: (sheet_order.get(e.sheet, 0), e.row))
    return plan


def roster_check(*, organization: Organization, tables: list[Table]) -> RosterPlan:
    return roster_plan(organization=organization, payload=roster_normalize(tables))
