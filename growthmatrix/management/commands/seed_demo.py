"""Build the demo organization: people in every role, schools, teams and years of history.

Running it again changes nothing. ``--coordinators`` and ``--cycles`` scale it up for the
benchmark. People, schools and teams are written with bulk inserts; assessments go through
the product's workflow, many at a time (see ``_demo_history``).
"""

import math
import random
from contextlib import contextmanager
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from coordinators.models import (
    CoordinatorProfile,
    Membership,
    Organization,
    Role,
    School,
    Team,
    User,
)
from growth.models import CareerPosition, CareerStage, Goal, Support
from growthmatrix.management.commands._demo_data import (
    FIRST_NAMES,
    GOAL_PLANS,
    LAST_NAMES,
    SCHOOL_NAMES,
    STORIES,
    STORY_YEARS,
    TEAM_NAMES,
)
from growthmatrix.management.commands._demo_history import (
    assessment_plans,
    cycle_specs,
    cycle_write,
    indicators_by_family,
)
from growthmatrix.organizations import organization_create
from rubrics.defaults import INSTRUCTIONAL_COACH
from rubrics.services import role_family_create_with_rubric

DEMO_PASSWORD = "growth-matrix-demo"
DEMO_SLUG = "demo"
OTHER_SLUG = "riverside"
# The workflow's emails are tasks; while the demo is written they go to django-tasks' dummy
# backend, which keeps them in memory: nobody invented here is emailed, and no task is left
# queued in the database for a worker to send.
NOTIFICATIONS_HELD = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class Command(BaseCommand):
    help = (
        "Create the demo organization (idempotent). Refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--coordinators", type=int, default=24)
        parser.add_argument("--cycles", type=int, default=4, help="Past finalized cycles.")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, coordinators, cycles, force, seed, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a published password; it refuses to run with "
                "DEBUG off. Pass --force if you really mean to seed this database."
            )
        if coordinators < 1 or cycles < 0:
            raise CommandError("--coordinators must be at least 1 and --cycles at least 0.")
        if Organization.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write("The demo organization is already there; nothing changed.")
        else:
            started = timezone.now()
            password = make_password(DEMO_PASSWORD)
            with notifications_held(), transaction.atomic():
                demo_build(coordinators, cycles, rng=random.Random(seed), password=password)
                other_build(password=password)
            seconds = (timezone.now() - started).total_seconds()
            self.stdout.write(self.style.SUCCESS(f"Demo organization created in {seconds:.1f} s."))
        self.print_logins()

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write("  Org admin:    demo-admin@example.org")
        self.stdout.write(
            "  Directors:    demo-director-1@example.org (also self-assesses), "
            "demo-director-2@example.org, demo-director-3@example.org"
        )
        self.stdout.write(
            "  Coordinators: demo-coordinator-1@example.org … demo-coordinator-24@example.org"
        )
        self.stdout.write(
            "  Mentor:       demo-coordinator-8@example.org (sees two mentees under My mentees)"
        )
        self.stdout.write("  Another organization (to try isolation): other-admin@example.org")


@contextmanager
def notifications_held():
    with override_settings(TASKS=NOTIFICATIONS_HELD):
        yield


# The demo organization ----------------------------------------------------------------------


def demo_build(n_coordinators: int, n_cycles: int, *, rng: random.Random, password: str):
    today = timezone.localdate()
    org = organization_create(name="Bay Community Schools Partnership", slug=DEMO_SLUG)
    admin = user_create(org, "demo-admin@example.org", "Alex", "Rivera", [Role.ADMIN], password)
    csc_family = org.role_families.get()
    coach_family = role_family_create_with_rubric(
        organization=org, name=INSTRUCTIONAL_COACH["family"], data=INSTRUCTIONAL_COACH
    )
    schools = schools_create(org, n_coordinators)
    teams = teams_create(org, n_coordinators, password)
    stages = list(CareerStage.objects.filter(organization=org).order_by("order"))
    users = coordinator_users_create(org, n_coordinators, password)
    profiles, positions, sites = [], [], []
    for i, user in enumerate(users):
        is_coach = i >= n_coordinators - max(3, n_coordinators // 8) and i >= len(STORIES)
        profile, position = coordinator_profile(
            i,
            user,
            team=teams[i % len(teams)],
            family=coach_family if is_coach else csc_family,
            is_coach=is_coach,
            stages=stages,
            today=today,
        )
        profiles.append(profile)
        positions.append(position)
        sites.append([schools[i % len(schools)]])
        if i % 5 == 0:
            sites[i].append(schools[(i + 3) % len(schools)])
    history_build(org, admin, profiles, sites, teams, n_cycles=n_cycles, rng=rng, today=today)
    CareerPosition.objects.bulk_create(positions)  # every profile is saved by now
    lead_create(org, teams, schools, csc_family, stages, today)
    growth_build(org, admin, profiles, today)


def user_create(organization, email, first, last, roles, password) -> User:
    user = User.objects.create(
        email=email,
        first_name=first,
        last_name=last,
        organization=organization,
        password=password,
    )
    Membership.objects.bulk_create(Membership(user=user, role=role) for role in roles)
    return user


def schools_create(org, n_coordinators: int) -> list[School]:
    """The named school sites, then numbered ones: one for every two coordinators."""
    n_schools = max(len(SCHOOL_NAMES), n_coordinators // 2)
    return School.objects.bulk_create(
        School(
            organization=org,
            name=SCHOOL_NAMES[i][0] if i < len(SCHOOL_NAMES) else f"School {i + 1:04d}",
            level=SCHOOL_NAMES[i % len(SCHOOL_NAMES)][1],
            setting=SCHOOL_NAMES[i % len(SCHOOL_NAMES)][2],
        )
        for i in range(n_schools)
    )


def teams_create(org, n_coordinators: int, password: str) -> list[Team]:
    """Three teams, or one for every thirty coordinators, each with its director."""
    n_teams = max(3, math.ceil(n_coordinators / 30))
    directors = [
        user_create(
            org,
            f"demo-director-{i + 1}@example.org",
            FIRST_NAMES[(i * 7) % 30],
            LAST_NAMES[(i * 5 + 3) % 26],
            [Role.DIRECTOR],
            password,
        )
        for i in range(n_teams)
    ]
    return Team.objects.bulk_create(
        Team(
            organization=org,
            name=TEAM_NAMES[i] if i < len(TEAM_NAMES) else f"Team {i + 1:03d}",
            director=directors[i],
        )
        for i in range(n_teams)
    )


def coordinator_users_create(org, n_coordinators: int, password: str) -> list[User]:
    """The coordinators' accounts, bulk: one password hash for all."""
    users = User.objects.bulk_create(
        User(
            email=f"demo-coordinator-{i + 1}@example.org",
            first_name=FIRST_NAMES[i % 30],
            last_name=LAST_NAMES[(i * 3) % 26] if i < 26 * 30 else f"{i}",
            organization=org,
            password=password,
        )
        for i in range(n_coordinators)
    )
    Membership.objects.bulk_create(Membership(user=u, role=Role.COORDINATOR) for u in users)
    return users


def coordinator_profile(
    i, user, *, team, family, is_coach, stages, today
) -> tuple[CoordinatorProfile, CareerPosition]:
    """Coordinator ``i``'s profile and career position, not saved yet: the stories' tenures
    first, then a spread."""
    years = (i * 5) % 9 if i >= len(STORIES) else STORY_YEARS[i]
    start = today - timedelta(days=365 * years + 30 + (i * 11) % 200)
    stage_index = min(len(stages) - 1, years // 2)
    if i == len(STORIES) - 1:
        stage_index = 1
    if i < len(STORIES) and years > 7:
        stage_index = 2
    profile = CoordinatorProfile(
        user=user,
        organization=user.organization,
        role_family=family,
        team=team,
        job_title="Instructional Coach" if is_coach else stages[stage_index].title,
        role_start_date=start,
    )
    position = CareerPosition(
        profile=profile,
        stage=stages[stage_index],
        since=start + timedelta(days=365 * (stage_index * 2)),
    )
    return profile, position


def history_build(org, admin, profiles, sites, teams, *, n_cycles, rng, today) -> None:
    """Every cycle, oldest first. A coordinator's profile is saved just before the first cycle
    they are assessed in, so that opening a cycle makes an assessment for exactly the people
    its stories name."""
    cycles = cycle_specs(n_cycles, today)
    plans = assessment_plans([p.role_start_date for p in profiles], cycles, rng)
    first_cycle: dict[int, int] = {}
    for plan in plans:
        first_cycle.setdefault(plan.person, plan.cycle)
    indicators = indicators_by_family(org)
    for k, spec in enumerate(cycles):
        joining = [i for i in range(len(profiles)) if first_cycle[i] == k]
        profiles_save([profiles[i] for i in joining], [sites[i] for i in joining])
        cycle_write(
            organization=org,
            admin=admin,
            spec=spec,
            plans={profiles[plan.person].pk: plan for plan in plans if plan.cycle == k},
            indicators=indicators,
            directors={team.pk: team.director for team in teams},
            today=today,
        )


def profiles_save(profiles: list[CoordinatorProfile], sites: list[list[School]]) -> None:
    CoordinatorProfile.objects.bulk_create(profiles)
    through = CoordinatorProfile.schools.through
    through.objects.bulk_create(
        through(coordinatorprofile=profile, school=school)
        for profile, schools in zip(profiles, sites, strict=True)
        for school in schools
    )


def lead_create(org, teams, schools, family, stages, today) -> None:
    """Director 1 also self-assesses, as a coordinator of team 2. They took the role on after
    this cycle opened, so they start their own assessment from their page."""
    director = teams[0].director
    Membership.objects.create(user=director, role=Role.COORDINATOR)
    lead = CoordinatorProfile.objects.create(
        user=director,
        organization=org,
        role_family=family,
        team=teams[1],
        job_title="Director of Community Schools",
        role_start_date=today - timedelta(days=3000),
    )
    CareerPosition.objects.create(profile=lead, stage=stages[-1], since=today - timedelta(days=900))
    lead.schools.add(schools[0])


# Goals, supports and mentors ------------------------------------------------------------------


def growth_build(org, admin, profiles, today) -> None:
    """A few goals and supports so the growth pages and "My mentees" are not empty."""
    if len(profiles) < len(STORIES):
        return
    catalogue = {(e.category_key, e.level): e for e in org.support_catalog.all()}
    mentor = profiles[7].user  # the coordinator ready for promotion mentors two others
    for index, key, target, days, level in GOAL_PLANS:
        profile = profiles[index]
        goal = Goal.objects.create(
            coordinator=profile,
            category_key=key,
            target_level=target,
            target_date=today + timedelta(days=days),
            notes="Agreed in last cycle's coaching conversation.",
            created_by=profile.team.director if profile.team else admin,
        )
        entry = catalogue.get((key, level))
        if entry is not None:
            support = Support.objects.create(
                coordinator=profile,
                kind=entry.kind if entry.kind != "mentoring" else "pd",
                title=entry.title,
                network_scope=entry.network_scope,
                hours=entry.hours,
                catalog_entry=entry,
                created_by=goal.created_by,
            )
            goal.supports.add(support)
    for index in (0, 5):
        Support.objects.create(
            coordinator=profiles[index],
            kind="mentoring",
            title=f"Mentoring with {mentor.display_name}",
            mentor=mentor,
            starts_on=today - timedelta(days=60),
            created_by=admin,
        )


# The second organization, to try isolation by hand ------------------------------------------


def other_build(*, password: str) -> None:
    org = organization_create(name="Riverside Unified School District", slug=OTHER_SLUG)
    user_create(org, "other-admin@example.org", "Pat", "Morgan", [Role.ADMIN], password)
    director = user_create(
        org, "other-director@example.org", "Sam", "Okoye", [Role.DIRECTOR], password
    )
    team = Team.objects.create(organization=org, name="Riverside", director=director)
    school = School.objects.create(
        organization=org, name="Riverside Elementary", level="elementary", setting="rural"
    )
    family = org.role_families.get()
    for i in range(2):
        user = user_create(
            org,
            f"other-coordinator-{i + 1}@example.org",
            FIRST_NAMES[i + 10],
            LAST_NAMES[i + 10],
            [Role.COORDINATOR],
            password,
        )
        profile = CoordinatorProfile.objects.create(
            user=user,
            organization=org,
            role_family=family,
            team=team,
            role_start_date=date(2023, 8, 1),
            job_title="Coordinator I",
        )
        profile.schools.add(school)
