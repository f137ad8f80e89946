"""The People sheet: one person per row, their roles and, for a coordinator, their profile.

A person is created with no usable password (the import emails them a link to set one) or
updated; roles are only ever added. A coordinator's team, school sites, start date, role
family and job title change only when the row fills them.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from coordinators.models import (
    CoordinatorProfile,
    Membership,
    Organization,
    Role,
    RoleFamily,
    School,
    Team,
    User,
)
from coordinators.services import ADDRESS_UNUSABLE
from growth.models import CareerPosition, CareerStage
from growth.services import career_position_set
from growthmatrix.roster.cells import SheetRows, cell_date, cell_text
from growthmatrix.roster.columns import PEOPLE, Column, Sheet
from growthmatrix.roster.lookup import RosterLookup
from growthmatrix.roster.plan import Change, RosterPlan

PEOPLE_SHEET = Sheet(
    kind=PEOPLE,
    label="People",
    columns=(
        Column(
            "email",
            "Their login; one row per person",
            "maria.lopez@example.org",
            required=True,
            aliases=("e_mail", "email_address"),
        ),
        Column("first_name", "First name", "Maria", required=True, aliases=("first",)),
        Column("last_name", "Last name", "Lopez", required=True, aliases=("last",)),
        Column(
            "roles",
            "coordinator, director and/or admin, separated by ; (roles are only added)",
            "coordinator",
            required=True,
            aliases=("role",),
        ),
        Column("team", "For coordinators: their team's name", "East Bay", coordinators_only=True),
        Column(
            "schools",
            "For coordinators: school site names separated by ;",
            "Lincoln Elementary",
            aliases=("school", "school_sites", "sites"),
            coordinators_only=True,
        ),
        Column(
            "role_start_date",
            "For coordinators: first day in the role, YYYY-MM-DD",
            "2024-08-15",
            aliases=("start_date", "role_start"),
            coordinators_only=True,
        ),
        Column(
            "role_family",
            "For coordinators: role family name; blank keeps theirs or uses the first",
            "",
            aliases=("family",),
            coordinators_only=True,
        ),
        Column(
            "job_title",
            "For coordinators: job title shown on their page",
            "Community School Coordinator",
            aliases=("title",),
            coordinators_only=True,
        ),
        Column(
            "career_stage",
            "For coordinators: title of one of your career stages (any case); blank keeps theirs",
            "Coordinator II",
            aliases=("stage",),
            coordinators_only=True,
        ),
    ),
    # One "name" column instead of first and last name: the last word is the last name.
    stand_ins={"name": ("first_name", "last_name")},
)
COORDINATOR_COLUMNS = [c.name for c in PEOPLE_SHEET.columns if c.coordinators_only]
ROLE_WORDS = {
    "coordinator": Role.COORDINATOR,
    "coach": Role.COORDINATOR,
    "director": Role.DIRECTOR,
    "admin": Role.ADMIN,
    "org admin": Role.ADMIN,
    "org_admin": Role.ADMIN,
    "organization admin": Role.ADMIN,
}
LIST_SPLIT = re.compile(r"\s*[;|\n]\s*")
ROLE_SPLIT = re.compile(r"\s*[;,|/\n]\s*")


# Normalizing a row ---------------------------------------------------------------------


def person_row_normalize(item: dict, cells: dict, rows: SheetRows) -> None:
    _email_normalize(item, cells, rows)
    _name_normalize(item, cells, rows)
    item["roles"] = _roles_normalize(item, cells, rows)
    item["team"] = cell_text(cells.get("team"))
    raw_schools = cell_text(cells.get("schools"))
    item["schools"] = [s for s in LIST_SPLIT.split(raw_schools) if s] if raw_schools else []
    item["role_family"] = cell_text(cells.get("role_family"))
    item["job_title"] = cell_text(cells.get("job_title"))[:200]
    item["career_stage"] = cell_text(cells.get("career_stage"))
    item["role_start_date"] = _start_date_normalize(item, cells, rows)


def _email_normalize(item: dict, cells: dict, rows: SheetRows) -> None:
    email = cell_text(cells.get("email")).lower()
    item["email"] = email
    if not email:
        rows.error(item, "email", "", "An email address is needed.")
        return
    try:
        validate_email(email)
    except ValidationError:
        rows.error(item, "email", email, "Invalid email address.")
        return
    if email in rows.seen:
        rows.error(
            item, "email", email, f"Duplicate email in the file (also row {rows.seen[email]})."
        )
    rows.seen.setdefault(email, item["row"])


def _name_normalize(item: dict, cells: dict, rows: SheetRows) -> None:
    first, last = cell_text(cells.get("first_name")), cell_text(cells.get("last_name"))
    if not first and not last and cells.get("name"):
        full = cell_text(cells.get("name"))
        first, _, last = full.rpartition(" ") if " " in full else (full, "", "")
    item["first_name"], item["last_name"] = first[:150], last[:150]
    if not first and not last:
        rows.error(item, "first_name", "", "A name is needed.")


def _roles_normalize(item: dict, cells: dict, rows: SheetRows) -> list[str]:
    roles = []
    raw_roles = cell_text(cells.get("roles"))
    for word in ROLE_SPLIT.split(raw_roles.lower()) if raw_roles else []:
        role = ROLE_WORDS.get(word.strip())
        if role is None:
            rows.error(item, "roles", word, "Unknown role (use coordinator, director or admin).")
        elif role not in roles:
            roles.append(str(role))
    if not raw_roles:
        rows.error(
            item, "roles", "", "At least one role is needed: coordinator, director or admin."
        )
    return roles


def _start_date_normalize(item: dict, cells: dict, rows: SheetRows) -> str:
    raw_date = cells.get("role_start_date")
    if not cell_text(raw_date):
        return ""
    try:
        start = cell_date(raw_date)
    except ValueError:
        rows.error(item, "role_start_date", raw_date, "Not a date; write it as YYYY-MM-DD.")
        return ""
    if start > rows.today:
        rows.error(item, "role_start_date", start.isoformat(), "The date is in the future.")
    return start.isoformat()


# Checking against the organization -------------------------------------------------------


def people_plan(plan: RosterPlan, items: list[dict], lookup: RosterLookup) -> None:
    for item in items:
        email = item.get("email", "")
        if not email:
            continue
        user = lookup.users.get(email)
        if user is not None and user.organization_id != lookup.organization_id:
            plan.error(
                item,
                "email",
                email,
                ADDRESS_UNUSABLE,
            )
            continue
        profile = lookup.profiles.get(user.pk) if user else None
        family = _person_check(plan, item, user, profile, lookup)
        if user is None:
            action = "create"
            details = [", ".join(Role(r).label for r in item["roles"]) or "no role"]
            details.extend(_new_stage_details(item, lookup))
        else:
            details = _person_details(item, user, profile, family, lookup)
            action = "update" if details else "unchanged"
        label = f"{item['first_name']} {item['last_name']}".strip() + f" <{email}>"
        plan.changes.append(Change(PEOPLE, action, label, item["row"], details))


def _person_check(
    plan: RosterPlan, item: dict, user, profile, lookup: RosterLookup
) -> RoleFamily | None:
    """Report what the row names but the organization and the file do not have; returns the
    role family the row names, if it exists."""
    wanted_roles = set(item["roles"])
    is_coordinator = Role.COORDINATOR in wanted_roles or (
        user is not None and Role.COORDINATOR in lookup.roles.get(user.pk, set())
    )
    filled = [c for c in COORDINATOR_COLUMNS if item.get(c)]
    if filled and not is_coordinator and profile is None and not plan.is_reported(item, "roles"):
        plan.error(
            item,
            filled[0],
            item[filled[0]],
            "Only coordinators have a team, school sites, start date, role family or career "
            "stage here: "
            "add “coordinator” to their roles or leave these cells empty.",
        )
    team = item["team"].lower()
    if team and team not in lookup.teams and team not in lookup.file_teams:
        plan.error(
            item, "team", item["team"], "Unknown team: add it to the teams list or fix the name."
        )
    for name in item["schools"]:
        if name.lower() not in lookup.schools and name.lower() not in lookup.file_schools:
            plan.error(
                item, "schools", name, "Unknown school: add it to the schools list or fix the name."
            )
    family = None
    if item["role_family"]:
        family = lookup.families.get(item["role_family"].lower())
        if family is None:
            plan.error(item, "role_family", item["role_family"], "Unknown role family.")
    if item.get("career_stage") and item["career_stage"].lower() not in lookup.stages:
        known = ", ".join(sorted((s.title for s in lookup.stages.values()), key=str.lower))
        plan.error(
            item,
            "career_stage",
            item["career_stage"],
            f"Unknown career stage; your organization's are: {known or 'none yet'}.",
        )
    if Role.COORDINATOR in wanted_roles and profile is None and not item["role_start_date"]:
        plan.error(
            item, "role_start_date", "", "A new coordinator needs the first day in their role."
        )
    return family


def _person_details(item: dict, user, profile, family, lookup: RosterLookup) -> list[str]:
    """What importing the row would change for a person who has an account."""
    details = []
    if (user.first_name, user.last_name) != (item["first_name"], item["last_name"]):
        details.append(f"name → {item['first_name']} {item['last_name']}".rstrip())
    added = set(item["roles"]) - lookup.roles.get(user.pk, set())
    if added:
        details.append("adds role " + ", ".join(Role(r).label for r in sorted(added)))
    if profile is not None:
        details.extend(_profile_details(item, profile, family))
        stage = lookup.stages.get(item.get("career_stage", "").lower())
        if stage is not None and CareerPosition.of(profile).stage_id != stage.pk:
            details.append(f"career stage → {stage.title}")
    elif Role.COORDINATOR in item["roles"]:
        details.append("gets a coordinator profile")
        details.extend(_new_stage_details(item, lookup))
    return details


def _new_stage_details(item: dict, lookup: RosterLookup) -> list[str]:
    """The career stage a new coordinator profile starts at, when the row names one."""
    stage = lookup.stages.get(item.get("career_stage", "").lower())
    if stage is None or Role.COORDINATOR not in item["roles"]:
        return []
    return [f"career stage {stage.title}"]


def _profile_details(item: dict, profile: CoordinatorProfile, family) -> list[str]:
    details = []
    if item["team"] and (profile.team is None or profile.team.name.lower() != item["team"].lower()):
        details.append(f"team → {item['team']}")
    if item["schools"]:
        now = sorted(s.name.lower() for s in profile.schools.all())
        if now != sorted(n.lower() for n in item["schools"]):
            details.append("school sites → " + "; ".join(item["schools"]))
    if item["role_start_date"] and profile.role_start_date.isoformat() != item["role_start_date"]:
        details.append(f"start date → {item['role_start_date']}")
    if family is not None and profile.role_family_id != family.pk:
        details.append(f"role family → {family.name}")
    if item["job_title"] and profile.job_title != item["job_title"]:
        details.append(f"job title → {item['job_title']}")
    return details


# Writing ---------------------------------------------------------------------------------


def people_write(
    *,
    organization: Organization,
    items: list[dict],
    teams: dict[str, Team],
    schools: dict[str, School],
    actor=None,
) -> tuple[dict[str, User], list[int]]:
    """Create and update the people of the file, their roles and coordinator profiles.
    Returns every person of the file by email, and the ids of those created."""
    families = {
        f.name.lower(): f
        for f in RoleFamily.objects.filter(organization_id=organization.pk).order_by("pk")
    }
    default_family = next(iter(families.values()), None)
    stages = {s.title.lower(): s for s in CareerStage.objects.filter(organization=organization)}
    created_users = []
    emails = [p["email"] for p in items]
    users = {
        u.email: u for u in User.objects.filter(organization_id=organization.pk, email__in=emails)
    }
    for item in items:
        user = users.get(item["email"])
        if user is None:
            user = _user_create(organization, item)
            users[user.email] = user
            created_users.append(user.pk)
        elif (user.first_name, user.last_name) != (item["first_name"], item["last_name"]):
            user.first_name, user.last_name = item["first_name"], item["last_name"]
            user.save(update_fields=["first_name", "last_name"])
        held = set(user.memberships.values_list("role", flat=True))
        for role in item["roles"]:
            if role not in held:
                Membership.objects.create(user=user, role=role)
        _profile_write(
            user,
            item,
            organization=organization,
            teams=teams,
            schools=schools,
            families=families,
            default_family=default_family,
        )
        if item.get("career_stage"):
            _stage_write(user, stages[item["career_stage"].lower()], actor)
    return users, created_users


def _user_create(organization: Organization, item: dict) -> User:
    user = User.objects.create_user(
        email=item["email"],
        first_name=item["first_name"],
        last_name=item["last_name"],
        organization=organization,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def _profile_write(user, item, *, organization, teams, schools, families, default_family) -> None:
    """Create a new coordinator's profile, or change what the row fills of an existing one."""
    profile = CoordinatorProfile.objects.filter(user=user).first()
    if profile is None and Role.COORDINATOR not in item["roles"]:
        return
    team = teams.get(item["team"].lower()) if item["team"] else None
    family = families.get(item["role_family"].lower()) if item["role_family"] else None
    wanted_schools = [schools[n.lower()] for n in item["schools"]]
    if profile is None:
        profile = CoordinatorProfile.objects.create(
            user=user,
            organization=organization,
            role_family=family or default_family,
            team=team,
            role_start_date=date.fromisoformat(item["role_start_date"]),
            job_title=item["job_title"],
        )
        profile.schools.set(wanted_schools)
        return
    changed = []
    if team is not None and profile.team_id != team.pk:
        profile.team = team
        changed.append("team")
    if family is not None and profile.role_family_id != family.pk:
        profile.role_family = family
        changed.append("role_family")
    if item["role_start_date"] and profile.role_start_date.isoformat() != item["role_start_date"]:
        profile.role_start_date = date.fromisoformat(item["role_start_date"])
        changed.append("role_start_date")
    if item["job_title"] and profile.job_title != item["job_title"]:
        profile.job_title = item["job_title"]
        changed.append("job_title")
    if changed:
        profile.save(update_fields=changed)
    if wanted_schools and {s.pk for s in profile.schools.all()} != {s.pk for s in wanted_schools}:
        profile.schools.set(wanted_schools)


def _stage_write(user, stage: CareerStage, actor) -> None:
    """Put the person's profile at ``stage`` unless it is there; the roster does not say
    since when, so the date is left blank."""
    profile = CoordinatorProfile.objects.filter(user=user).select_related("career_position").first()
    if profile is not None and CareerPosition.of(profile).stage_id != stage.pk:
        career_position_set(profile=profile, stage=stage, since=None, actor=actor)
