"""Build the demo organization: people in every role, schools, teams and years of history.

Running it again changes nothing. ``--coordinators`` and ``--cycles`` scale it up for the
benchmark; everything is written with bulk inserts so 1,000 × 10 takes seconds.
"""

import math
import random
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment, AssessmentCycle, CategoryScore, Rating
from assessments.scoring import category_level
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
from growthmatrix.organizations import organization_create
from rubrics.defaults import INSTRUCTIONAL_COACH
from rubrics.models import CategoryKey, Indicator, RubricVersion
from rubrics.services import role_family_create_with_rubric

DEMO_PASSWORD = "growth-matrix-demo"
DEMO_SLUG = "demo"
OTHER_SLUG = "riverside"
CATEGORY_ORDER = CategoryKey.values

FIRST_NAMES = [
    "Maria",
    "James",
    "Aisha",
    "Daniel",
    "Lupe",
    "Kevin",
    "Grace",
    "Marcus",
    "Sofia",
    "Tyrone",
    "Mei",
    "Carlos",
    "Hannah",
    "Omar",
    "Rosa",
    "Jamal",
    "Elena",
    "Victor",
    "Keisha",
    "Tomás",
    "Priya",
    "Andre",
    "Naomi",
    "Luis",
    "Fatima",
    "Brian",
    "Yesenia",
    "Samuel",
    "Imani",
    "Diego",
]
LAST_NAMES = [
    "Alvarez",
    "Brooks",
    "Chen",
    "Diaz",
    "Edwards",
    "Fernandez",
    "Garcia",
    "Harris",
    "Ibrahim",
    "Johnson",
    "Kim",
    "Lopez",
    "Martinez",
    "Nguyen",
    "Okafor",
    "Patel",
    "Quintero",
    "Robinson",
    "Singh",
    "Thompson",
    "Usman",
    "Vargas",
    "Washington",
    "Xiong",
    "Young",
    "Zamora",
]
SCHOOL_NAMES = [
    ("Cesar Chavez Elementary", "elementary", "urban"),
    ("Lincoln Middle School", "middle", "urban"),
    ("Roosevelt High School", "high", "urban"),
    ("Maple Grove Elementary", "elementary", "suburban"),
    ("Oak Hills Middle School", "middle", "suburban"),
    ("Westview High School", "high", "suburban"),
    ("Pine Valley Elementary", "elementary", "rural"),
    ("Cedar Creek K-8", "k8", "rural"),
    ("Harbor View High School", "high", "rural"),
    ("Sunrise Elementary", "elementary", "urban"),
    ("Mission Middle School", "middle", "urban"),
    ("Riverbend Community School", "other", "suburban"),
]
EVIDENCE = [
    "Monthly check-ins with the principal; notes shared with the leadership team.",
    "Family night attendance doubled from fall to spring (sign-in sheets).",
    "Partner tracking spreadsheet updated weekly and shared with the site team.",
    "Led the attendance team's tiered interventions this semester.",
    "Presented the needs assessment to the school site council.",
    "Attended the regional community schools convening and shared notes.",
]

# Category levels (coordinator, site, organization, development) per demo coordinator, by cycle
# from oldest to newest. The first few show each kind of gap on the dashboard.
STORIES = [
    ("growing", [(1, 1, 1, 1), (2, 1, 2, 1), (2, 2, 2, 2), (2, 2, 2, 2), (3, 2, 2, 2)]),
    ("strong coordinator at a weak site", [(2, 1, 2, 2), (3, 1, 2, 2), (3, 1, 2, 3), (3, 1, 2, 3)]),
    ("stalled", [(2, 2, 2, 2), (2, 2, 2, 2), (2, 2, 2, 2), (2, 2, 2, 1)]),
    ("self and supervisor disagree", [(1, 2, 2, 1), (2, 2, 2, 2), (2, 2, 2, 2)]),
    ("support gap", [(2, 2, 1, 2), (3, 2, 1, 2), (3, 3, 1, 2)]),
    ("development gap", [(1, 1, 1, 1), (2, 2, 2, 1), (2, 2, 2, 1)]),
    ("strong site, new coordinator", [(1, 3, 2, 1), (1, 3, 2, 2)]),
    ("ready for promotion", [(2, 2, 2, 2), (3, 2, 2, 2), (3, 3, 2, 3), (3, 3, 3, 3)]),
]


def clamp(level: int) -> int:
    return max(1, min(3, level))


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
            self.rng = random.Random(seed)
            self.password = make_password(DEMO_PASSWORD)
            with transaction.atomic():
                self.build_demo(coordinators, cycles)
                self.build_other()
            seconds = (timezone.now() - started).total_seconds()
            self.stdout.write(self.style.SUCCESS(f"Demo organization created in {seconds:.1f} s."))
        self.print_logins()

    # People -------------------------------------------------------------------------

    def make_user(self, organization, email, first, last, roles):
        user = User.objects.create(
            email=email,
            first_name=first,
            last_name=last,
            organization=organization,
            password=self.password,
        )
        Membership.objects.bulk_create(Membership(user=user, role=role) for role in roles)
        return user

    def build_demo(self, n_coordinators: int, n_cycles: int):
        today = timezone.localdate()
        org = organization_create(name="Bay Community Schools Partnership", slug=DEMO_SLUG)
        self.make_user(org, "demo-admin@example.org", "Alex", "Rivera", [Role.ADMIN])
        csc_family = org.role_families.get()
        coach_family = role_family_create_with_rubric(
            organization=org, name=INSTRUCTIONAL_COACH["family"], data=INSTRUCTIONAL_COACH
        )
        n_schools = max(len(SCHOOL_NAMES), n_coordinators // 2)
        schools = School.objects.bulk_create(
            School(
                organization=org,
                name=SCHOOL_NAMES[i][0] if i < len(SCHOOL_NAMES) else f"School {i + 1:04d}",
                level=SCHOOL_NAMES[i % len(SCHOOL_NAMES)][1],
                setting=SCHOOL_NAMES[i % len(SCHOOL_NAMES)][2],
            )
            for i in range(n_schools)
        )
        n_teams = max(3, math.ceil(n_coordinators / 30))
        directors = [
            self.make_user(
                org,
                f"demo-director-{i + 1}@example.org",
                FIRST_NAMES[(i * 7) % 30],
                LAST_NAMES[(i * 5 + 3) % 26],
                [Role.DIRECTOR],
            )
            for i in range(n_teams)
        ]
        team_names = ["East Bay", "Central", "Valley"]
        teams = Team.objects.bulk_create(
            Team(
                organization=org,
                name=team_names[i] if i < 3 else f"Team {i + 1:03d}",
                director=directors[i],
            )
            for i in range(n_teams)
        )
        stages = list(CareerStage.objects.filter(organization=org).order_by("order"))

        # Coordinators, bulk: one password hash for all.
        users = User.objects.bulk_create(
            User(
                email=f"demo-coordinator-{i + 1}@example.org",
                first_name=FIRST_NAMES[i % 30],
                last_name=LAST_NAMES[(i * 3) % 26] if i < 26 * 30 else f"{i}",
                organization=org,
                password=self.password,
            )
            for i in range(n_coordinators)
        )
        Membership.objects.bulk_create(Membership(user=u, role=Role.COORDINATOR) for u in users)
        n_coaches = max(3, n_coordinators // 8)
        profiles = []
        positions = []  # (stage, since) of each profile
        for i, user in enumerate(users):
            years = (i * 5) % 9 if i >= len(STORIES) else [3, 5, 4, 2, 3, 2, 1, 6][i]
            start = today - timedelta(days=365 * years + 30 + (i * 11) % 200)
            is_coach = i >= n_coordinators - n_coaches and i >= len(STORIES)
            stage_index = min(len(stages) - 1, years // 2)
            if i == len(STORIES) - 1:
                stage_index = 1
            if i < len(STORIES) and years > 7:
                stage_index = 2
            profiles.append(
                CoordinatorProfile(
                    user=user,
                    organization=org,
                    role_family=coach_family if is_coach else csc_family,
                    team=teams[i % n_teams],
                    job_title="Instructional Coach" if is_coach else stages[stage_index].title,
                    role_start_date=start,
                )
            )
            positions.append((stages[stage_index], start + timedelta(days=365 * (stage_index * 2))))
        profiles = CoordinatorProfile.objects.bulk_create(profiles)
        CareerPosition.objects.bulk_create(
            CareerPosition(profile=profile, stage=stage, since=since)
            for profile, (stage, since) in zip(profiles, positions, strict=True)
        )
        through = CoordinatorProfile.schools.through
        profile_schools = {}
        links = []
        for i, profile in enumerate(profiles):
            sites = [schools[i % n_schools]]
            if i % 5 == 0:
                sites.append(schools[(i + 3) % n_schools])
            profile_schools[profile.pk] = sites
            links.extend(through(coordinatorprofile=profile, school=s) for s in sites)
        through.objects.bulk_create(links)

        # A director who also self-assesses: director 1 is a coordinator on team 2.
        director_one = directors[0]
        Membership.objects.create(user=director_one, role=Role.COORDINATOR)
        lead = CoordinatorProfile.objects.create(
            user=director_one,
            organization=org,
            role_family=csc_family,
            team=teams[1],
            job_title="Director of Community Schools",
            role_start_date=today - timedelta(days=3000),
        )
        CareerPosition.objects.create(
            profile=lead, stage=stages[-1], since=today - timedelta(days=900)
        )
        lead.schools.add(schools[0])

        self.build_cycles(org, profiles, profile_schools, n_cycles, today)
        self.build_growth(org, profiles, today)

    # Goals, supports and mentors -------------------------------------------------------

    def build_growth(self, org, profiles, today):
        """A few goals and supports so the growth pages and "My mentees" are not empty."""
        if len(profiles) < len(STORIES):
            return
        catalogue = {(e.category_key, e.level): e for e in org.support_catalog.all()}
        mentor = profiles[7].user  # the coordinator ready for promotion mentors two others
        admin = User.objects.get(email="demo-admin@example.org")
        plans = [
            # profile index, category, target level, days until due, catalogue level
            (0, "coordinator", 3, 25, 2),
            (1, "site", 2, 60, 1),
            (2, "development", 3, -10, 2),
            (5, "development", 2, 90, 1),
        ]
        for index, key, target, days, level in plans:
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

    # Cycles and assessments -----------------------------------------------------------

    def build_cycles(self, org, profiles, profile_schools, n_cycles, today):
        versions = {
            v.rubric.role_family_id: v
            for v in RubricVersion.objects.filter(
                rubric__organization=org, state="published"
            ).select_related("rubric")
        }
        indicators = {}
        for family_id, version in versions.items():
            indicators[family_id] = [
                (ind.pk, ind.category.key)
                for ind in Indicator.objects.filter(category__version=version)
                .select_related("category")
                .order_by("category__order", "order")
            ]
        cycles = []
        this_fall = today - timedelta(days=40)
        for k in range(n_cycles, 0, -1):
            opens = this_fall - timedelta(days=365 * k)
            start_year = opens.year
            cycles.append(
                AssessmentCycle(
                    organization=org,
                    name=f"{start_year}–{str(start_year + 1)[-2:]} Fall"
                    if n_cycles <= 30
                    else f"Cycle {n_cycles - k + 1}",
                    opens_on=opens,
                    due_on=opens + timedelta(days=45),
                    closes_on=opens + timedelta(days=120),
                    state=AssessmentCycle.State.CLOSED,
                    opened_at=timezone.make_aware(
                        timezone.datetime.combine(opens, timezone.datetime.min.time())
                    ),
                )
            )
        cycles.append(
            AssessmentCycle(
                organization=org,
                name=f"{this_fall.year}–{str(this_fall.year + 1)[-2:]} Fall (open)",
                opens_on=this_fall,
                due_on=today + timedelta(days=21),
                closes_on=today + timedelta(days=80),
                state=AssessmentCycle.State.OPEN,
                opened_at=timezone.now() - timedelta(days=40),
            )
        )
        cycles = AssessmentCycle.objects.bulk_create(cycles)
        past, current = cycles[:-1], cycles[-1]

        plans = []  # (profile, cycle, state, levels per category, perception offset)
        for i, profile in enumerate(profiles):
            eligible = [c for c in past if c.opens_on >= profile.role_start_date]
            if i < len(STORIES):
                story = STORIES[i][1]
                history = story[-(len(eligible) + 1) :] if eligible else story[-1:]
            else:
                history = self.random_history(len(eligible) + 1)
            offset = 1 if i == 3 else 0
            # A story shorter than the person's tenure fills the most recent cycles.
            past_levels = history[:-1]
            recent = eligible[len(eligible) - len(past_levels) :] if past_levels else []
            for cycle, levels in zip(recent, past_levels, strict=True):
                plans.append((profile, cycle, Assessment.State.FINALIZED, levels, offset))
            # This cycle: demo coordinator 1 starts fresh; others are spread over the states.
            if i == 0:
                state = Assessment.State.DRAFT
            else:
                state = [
                    Assessment.State.SUBMITTED,
                    Assessment.State.DRAFT,
                    Assessment.State.FINALIZED,
                    Assessment.State.SUBMITTED,
                    Assessment.State.RETURNED,
                    Assessment.State.DRAFT,
                ][i % 6]
            plans.append((profile, current, state, history[-1], offset))

        now = timezone.now()
        assessments = Assessment.objects.bulk_create(
            Assessment(
                coordinator=profile,
                cycle=cycle,
                rubric_version=versions[profile.role_family_id],
                state=state,
                team_id=profile.team_id,
                submitted_at=None if state == "draft" else now - timedelta(days=5),
                returned_at=now - timedelta(days=2) if state == "returned" else None,
                return_note="Please add evidence for the school site indicators."
                if state == "returned"
                else "",
                finalized_at=now - timedelta(days=1) if state == "finalized" else None,
                coaching_notes="Talked through the site-level data and next semester's priorities."
                if state == "finalized"
                else "",
                next_steps="Meet the principal monthly; join the regional network."
                if state == "finalized"
                else "",
            )
            for profile, cycle, state, _levels, _offset in plans
        )
        through = Assessment.schools.through
        through.objects.bulk_create(
            through(assessment=a, school=s)
            for a in assessments
            for s in profile_schools[a.coordinator_id]
        )

        ratings, scores = [], []
        for assessment, (profile, _cycle, state, levels, offset) in zip(
            assessments, plans, strict=True
        ):
            by_key = dict(zip(CATEGORY_ORDER, levels, strict=True))
            fresh = state == Assessment.State.DRAFT and profile is profiles[0]
            reviewed = state == Assessment.State.FINALIZED
            self_rated = state != Assessment.State.DRAFT or (assessment.pk % 2 == 0)
            per_key_self, per_key_sup = {}, {}
            for position, (indicator_id, key) in enumerate(indicators[profile.role_family_id]):
                target = by_key[key]
                wobble = (position + assessment.pk) % 5
                supervisor = clamp(target + (1 if wobble == 4 and target < 3 else 0))
                own = clamp(supervisor + offset + (1 if wobble == 1 and target < 3 else 0))
                self_level = own if self_rated and not fresh else None
                sup_level = supervisor if reviewed else None
                per_key_self.setdefault(key, []).append(self_level)
                per_key_sup.setdefault(key, []).append(sup_level)
                ratings.append(
                    Rating(
                        assessment=assessment,
                        indicator_id=indicator_id,
                        self_level=self_level,
                        self_evidence=EVIDENCE[(position + assessment.pk) % len(EVIDENCE)]
                        if self_level
                        else "",
                        supervisor_level=sup_level,
                        supervisor_note="Agreed; see coaching notes." if sup_level else "",
                    )
                )
            scores.extend(
                CategoryScore(
                    assessment=assessment,
                    category_key=key,
                    self_level=category_level(per_key_self.get(key, [])),
                    supervisor_level=category_level(per_key_sup.get(key, [])),
                )
                for key in CATEGORY_ORDER
            )
        Rating.objects.bulk_create(ratings, batch_size=5000)
        CategoryScore.objects.bulk_create(scores, batch_size=5000)

    def random_history(self, length: int) -> list[tuple[int, ...]]:
        levels = [self.rng.choice([1, 1, 2]) for _ in CATEGORY_ORDER]
        history = []
        for _ in range(length):
            history.append(tuple(levels))
            levels = [clamp(v + (1 if self.rng.random() < 0.35 else 0)) for v in levels]
        return history

    # The second organization, to try isolation by hand ---------------------------------

    def build_other(self):
        org = organization_create(name="Riverside Unified School District", slug=OTHER_SLUG)
        self.make_user(org, "other-admin@example.org", "Pat", "Morgan", [Role.ADMIN])
        director = self.make_user(
            org, "other-director@example.org", "Sam", "Okoye", [Role.DIRECTOR]
        )
        team = Team.objects.create(organization=org, name="Riverside", director=director)
        school = School.objects.create(
            organization=org, name="Riverside Elementary", level="elementary", setting="rural"
        )
        family = org.role_families.get()
        for i in range(2):
            user = self.make_user(
                org,
                f"other-coordinator-{i + 1}@example.org",
                FIRST_NAMES[i + 10],
                LAST_NAMES[i + 10],
                [Role.COORDINATOR],
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
