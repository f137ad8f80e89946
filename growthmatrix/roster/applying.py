"""Writing a checked roster: all or nothing, then an email to each new person."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from coordinators.emails import roster_welcome_notify
from coordinators.models import Organization
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
    schools = schools_write(organization=organization, items=payload[SCHOOLS])
    teams = teams_write(organization=organization, items=payload[TEAMS])
    users, created_users = people_write(
        organization=organization,
        items=payload[PEOPLE],
        teams=teams,
        schools=schools,
        actor=actor,
    )
    team_directors_write(organization=organization, items=payload[TEAMS], teams=teams, users=users)
    if created_users:
        transaction.on_commit(
            partial(
                roster_welcome_notify.enqueue,
                user_ids=created_users,
                inviter_id=actor.pk if actor else None,
            )
        )
    return plan.counts
