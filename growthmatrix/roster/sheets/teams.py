"""The Teams sheet: one team per row, created or given a director.

A team's director may be a person of the same file, so directors are written after people.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from coordinators.models import Organization, Role, Team, User
from growthmatrix.roster.cells import SheetRows, cell_text, name_normalize
from growthmatrix.roster.columns import TEAMS, Column, Sheet
from growthmatrix.roster.lookup import RosterLookup
from growthmatrix.roster.plan import Change, RosterPlan

TEAMS_SHEET = Sheet(
    kind=TEAMS,
    label="Teams",
    columns=(
        Column("name", "Team name", "East Bay", required=True, aliases=("team_name",)),
        Column(
            "director_email",
            "Email of the team's director (a person with the director role)",
            "director@example.org",
            aliases=("director",),
        ),
    ),
)


def team_row_normalize(item: dict, cells: dict, rows: SheetRows) -> None:
    name_normalize(item, cells, rows)
    item["director_email"] = cell_text(cells.get("director_email")).lower()
    if item["director_email"]:
        try:
            validate_email(item["director_email"])
        except ValidationError:
            rows.error(item, "director_email", item["director_email"], "Invalid email address.")


def teams_plan(plan: RosterPlan, items: list[dict], lookup: RosterLookup) -> None:
    for item in items:
        director = item.get("director_email", "")
        if director:
            _director_check(plan, item, director, lookup)
        existing = lookup.teams.get(item["name"].lower())
        if existing is None:
            details = [f"director {director}" if director else "no director"]
            plan.changes.append(Change(TEAMS, "create", item["name"], item["row"], details))
            continue
        current = existing.director.email if existing.director else ""
        changed = bool(director) and director != current
        details = [f"director: {current or 'none'} → {director}"] if changed else []
        plan.changes.append(
            Change(TEAMS, "update" if changed else "unchanged", existing.name, item["row"], details)
        )


def _director_check(plan: RosterPlan, item: dict, director: str, lookup: RosterLookup) -> None:
    """A director is a person of the organization with the director role, now or by this file."""
    user = lookup.users.get(director)
    person = lookup.file_people.get(director)
    if (user is None or user.organization_id != lookup.organization_id) and person is None:
        # Another organization's account is "unknown" here too: nothing tells it exists.
        plan.error(item, "director_email", director, "Unknown person: add them to the people list.")
    else:
        has_role = (user is not None and Role.DIRECTOR in lookup.roles.get(user.pk, set())) or (
            person is not None and Role.DIRECTOR in person.get("roles", [])
        )
        if not has_role:
            plan.error(
                item,
                "director_email",
                director,
                "Not a director: add “director” to their roles in the people list.",
            )


def teams_write(*, organization: Organization, items: list[dict]) -> dict[str, Team]:
    """Create the teams of the file; returns every team by lower-case name."""
    teams = {t.name.lower(): t for t in Team.objects.filter(organization_id=organization.pk)}
    for item in items:
        if item["name"].lower() not in teams:
            teams[item["name"].lower()] = Team.objects.create(
                organization=organization, name=item["name"]
            )
    return teams


def team_directors_write(
    *, organization: Organization, items: list[dict], teams: dict[str, Team], users: dict
) -> None:
    """Give each team of the file its director, once the file's people are written."""
    for item in items:
        director = users.get(item.get("director_email")) if item.get("director_email") else None
        if director is None and item.get("director_email"):
            director = User.objects.get(
                email=item["director_email"], organization_id=organization.pk
            )
        team = teams[item["name"].lower()]
        if director is not None and team.director_id != director.pk:
            team.director = director
            team.save(update_fields=["director"])
