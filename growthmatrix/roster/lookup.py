"""What checking a roster reads once: the organization's records the file names, and the
names the file itself brings (a person's team may be a row of the same file)."""

from __future__ import annotations

from dataclasses import dataclass

from coordinators.models import (
    CoordinatorProfile,
    Membership,
    Organization,
    RoleFamily,
    School,
    Team,
    User,
)
from growth.models import CareerStage
from growthmatrix.roster.columns import PEOPLE, SCHOOLS, TEAMS


@dataclass
class RosterLookup:
    organization_id: int
    # The organization's records by lower-case name.
    schools: dict[str, School]
    teams: dict[str, Team]
    families: dict[str, RoleFamily]
    stages: dict[str, CareerStage]
    # Accounts of every email in the file, of any organization (an email is one login).
    users: dict[str, User]
    roles: dict[int, set[str]]  # user id → roles, for the organization's accounts
    profiles: dict[int, CoordinatorProfile]  # user id → profile
    # What the file adds: lower-case school and team names, people rows by email.
    file_schools: set[str]
    file_teams: set[str]
    file_people: dict[str, dict]


def roster_lookup_load(*, organization: Organization, payload: dict) -> RosterLookup:
    """Seven queries (and one to prefetch school sites), whatever the number of rows."""
    org_id = organization.pk
    schools = {s.name.lower(): s for s in School.objects.filter(organization_id=org_id)}
    teams = {
        t.name.lower(): t
        for t in Team.objects.filter(organization_id=org_id).select_related("director")
    }
    families = {
        f.name.lower(): f for f in RoleFamily.objects.filter(organization_id=org_id).order_by("pk")
    }
    emails = {p["email"] for p in payload[PEOPLE] if p.get("email")} | {
        t["director_email"] for t in payload[TEAMS] if t.get("director_email")
    }
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    user_ids = [u.pk for u in users.values() if u.organization_id == org_id]
    roles: dict[int, set[str]] = {}
    for user_id, role in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "role"
    ):
        roles.setdefault(user_id, set()).add(role)
    profiles = {
        p.user_id: p
        for p in CoordinatorProfile.objects.filter(user_id__in=user_ids)
        .select_related("team", "role_family", "career_position")
        .prefetch_related("schools")
    }
    return RosterLookup(
        organization_id=org_id,
        schools=schools,
        teams=teams,
        families=families,
        stages={s.title.lower(): s for s in CareerStage.objects.filter(organization_id=org_id)},
        users=users,
        roles=roles,
        profiles=profiles,
        file_schools={s["name"].lower() for s in payload[SCHOOLS] if s.get("name")},
        file_teams={t["name"].lower() for t in payload[TEAMS] if t.get("name")},
        file_people={p["email"]: p for p in payload[PEOPLE] if p.get("email")},
    )
