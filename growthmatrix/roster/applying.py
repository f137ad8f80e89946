"""Writing a checked roster: all or nothing, then an email to each new person."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from coordinators.emails import roster_welcome_notify
from coordinators.models import Organization, School, Team, User
from coordinators.versioning import versions_bump
from dashboards import read_model
from growthmatrix.roster.columns import PEOPLE, SCHOOLS, TEAMS
from growthmatrix.roster.planning import roster_plan
from growthmatrix.roster.sheets.people import people_write
from growthmatrix.roster.sheets.schools import schools_write
from growthmatrix.roster.sheets.teams import team_directors_write, teams_write


class RosterInvalid(Exception):
    """Applying was refused: the file (or the database since the preview) has problems."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} problem(s) in the roster.")
        self.errors = errors


@transaction.atomic
def roster_import_apply(
    *, organization: Organization, payload: dict, actor=None
) -> dict[str, dict[str, int]]:
    """Write a roster, all or nothing. Re-plans first: if anything is wrong now (the database
    changed since the preview) nothing is written and RosterInvalid lists why."""
    plan = roster_plan(organization=organization, payload=payload)
    if not plan.is_valid:
        raise RosterInvalid(plan.errors)
    # The dashboards' rows of everyone the import touches, computed once at the end.
    with read_model.held(organization.pk):
        schools = schools_write(organization=organization, items=payload[SCHOOLS])
        teams = teams_write(organization=organization, items=payload[TEAMS])
        users, created_users = people_write(
            organization=organization,
            items=payload[PEOPLE],
            teams=teams,
            schools=schools,
            actor=actor,
        )
        team_directors_write(
            organization=organization, items=payload[TEAMS], teams=teams, users=users
        )
    _versions_bump(plan, payload, schools=schools, teams=teams, users=users)
    if created_users:
        transaction.on_commit(
            partial(
                roster_welcome_notify.enqueue,
                user_ids=created_users,
                inviter_id=actor.pk if actor else None,
            )
        )
    return plan.counts


def _versions_bump(plan, payload: dict, *, schools, teams, users) -> None:
    """Every school, team and person the import changes takes its next version, so that an
    edit form opened before the import is refused rather than putting back what it changed."""
    updated = {(c.kind, c.row) for c in plan.changes if c.action == "update"}

    def ids(kind, key):
        return [key(item).pk for item in payload[kind] if (kind, item.get("row")) in updated]

    versions_bump(School.objects.filter(pk__in=ids(SCHOOLS, lambda i: schools[i["name"].lower()])))
    versions_bump(Team.objects.filter(pk__in=ids(TEAMS, lambda i: teams[i["name"].lower()])))
    versions_bump(User.objects.filter(pk__in=ids(PEOPLE, lambda i: users[i["email"]])))
