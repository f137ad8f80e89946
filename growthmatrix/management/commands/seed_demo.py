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

from api.models import ApiToken
from api.services import api_token_create
from assessments.models import Assessment
from assessments.services import feedback_link_mint
from coordinators.models import (
    CoordinatorProfile,
    LeavingReason,
    Membership,
    Organization,
    Role,
    School,
    Team,
    User,
)
from dashboards import read_model
from growth.models import (
    CareerPosition,
    CareerStage,
    CheckIn,
    CheckInCadence,
    CheckInNextStep,
    Goal,
    MentoringMatch,
    MentoringProgramme,
    MentorNeed,
    MentorOffer,
    Promotion,
    Support,
)
from growthmatrix.management.commands._demo_agreements import agreements_build
from growthmatrix.management.commands._demo_data import (
    FIRST_NAMES,
    GOAL_PLANS,
    LAST_NAMES,
    SCHOOL_NAMES,
    STORIES,
    STORY_YEARS,
    TEAM_NAMES,
)
from growthmatrix.management.commands._demo_evidence import evidence_build
from growthmatrix.management.commands._demo_feedback import (
    demo_principal_request,
    principal_feedback_build,
)
from growthmatrix.management.commands._demo_history import (
    assessment_plans,
    at,
    cycle_specs,
    cycle_write,
    indicators_by_family,
)
from growthmatrix.management.commands._demo_reports import (
    LEAVERS,
    MENTORING_STARTS_AFTER,
    leaving_day,
    report_stories,
)
from growthmatrix.organizations import organization_create
from rubrics.defaults import INSTRUCTIONAL_COACH
from rubrics.services import role_family_create_with_rubric
from signin.models import IdentityProvider, ProviderKind

DEMO_PASSWORD = "growth-matrix-demo"
DEMO_SLUG = "demo"
DEMO_ADMIN = "demo-admin@example.org"
# The read API token ``make run`` prints: a new one each run, the earlier one deleted.
DEMO_TOKEN_NAME = "Demo token printed by make run"
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
                # The dashboards' read model is computed once, after the bulk writes.
                with read_model.held() as touched:
                    demo_build(coordinators, cycles, rng=random.Random(seed), password=password)
                    other_build(password=password)
                    touched.update(Organization.objects.values_list("pk", flat=True))
            seconds = (timezone.now() - started).total_seconds()
            self.stdout.write(self.style.SUCCESS(f"Demo organization created in {seconds:.1f} s."))
        self.print_principal_link()
        self.print_api_token()
        self.print_logins()

    def print_principal_link(self):
        """A fresh link to a principal's feedback page (the earlier one stops working): the
        one page of the product opened without an account. Before the logins, which stay
        last."""
        request = demo_principal_request()
        if request is None:
            return
        url = feedback_link_mint(request=request)
        self.stdout.write("")
        self.stdout.write(
            f"A principal's feedback link ({request.principal_name}, {request.school.name}, "
            f"for {request.assessment.coordinator.user.display_name}; no login needed):"
        )
        self.stdout.write(f"  {url}")

    def print_api_token(self):
        """A fresh read API token of the demo organization and a curl line that uses it
        (the earlier demo token stops working); before the logins, which stay last."""
        organization = Organization.objects.filter(slug=DEMO_SLUG).first()
        if organization is None:
            return
        ApiToken.objects.filter(organization=organization, name=DEMO_TOKEN_NAME).delete()
        _, raw = api_token_create(
            organization=organization,
            actor=User.objects.filter(email=DEMO_ADMIN).first(),
            name=DEMO_TOKEN_NAME,
        )
        self.stdout.write("")
        self.stdout.write(
            "A read API token of the demo organization (new each run; the docs at "
            f"{settings.SITE_URL}/api/v1/docs):"
        )
        self.stdout.write(
            f"  curl -H 'Authorization: Bearer {raw}' "
            f"'{settings.SITE_URL}/api/v1/assessments/?limit=2'"
        )

    def print_logins(self):
        """The demo's logins, last, so they are what a person sees above the server's output."""
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        logins = demo_logins()
        width = max(len(who) for who, _ in logins) + 1  # the longest label and its colon
        for who, addresses in logins:
            self.stdout.write(f"  {who + ':':<{width}} {addresses}")


def demo_logins() -> list[tuple[str, str]]:
    """Who can sign in to the demo, as the README's table lists them: (who, logins)."""
    coordinators = User.objects.filter(email__startswith="demo-coordinator-").count() or 24
    return [
        ("Org admin", "demo-admin@example.org"),
        ("Director (also self-assesses)", "demo-director-1@example.org"),
        ("Directors", "demo-director-2@example.org, demo-director-3@example.org"),
        (
            "Coordinators",
            f"demo-coordinator-1@example.org … demo-coordinator-{coordinators}@example.org",
        ),
        ("Mentor (a coordinator with two mentees)", "demo-coordinator-8@example.org"),
        ("Admin of a second organization", "other-admin@example.org"),
        ("Director of the second organization", "other-director@example.org"),
        (
            "Coordinators of the second organization",
            "other-coordinator-1@example.org, other-coordinator-2@example.org",
        ),
    ]


@contextmanager
def notifications_held():
    with override_settings(TASKS=NOTIFICATIONS_HELD):
        yield


# The demo organization ----------------------------------------------------------------------


def demo_build(n_coordinators: int, n_cycles: int, *, rng: random.Random, password: str):
    today = timezone.localdate()
    org = organization_create(name="Bay Community Schools Partnership", slug=DEMO_SLUG)
    admin = user_create(org, DEMO_ADMIN, "Alex", "Rivera", [Role.ADMIN], password)
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
    mentored = history_build(
        org, admin, profiles, sites, teams, n_cycles=n_cycles, rng=rng, today=today
    )
    history_baseline(CoordinatorProfile, profiles, admin, lambda p: at(p.role_start_date, 8))
    CareerPosition.objects.bulk_create(positions)  # every profile is saved by now
    history_baseline(CareerPosition, positions, admin, lambda p: at(p.since, 9))
    promotions_create(positions, stages, admin)
    lead_create(org, teams, schools, csc_family, stages, today)
    growth_build(org, admin, profiles, today)
    agreements_build(org, schools, today=today)
    evidence_build(org)
    mentoring_create(profiles, mentored, admin)
    principal_feedback_build(org, today=today)
    sign_in_example_create(org)


def sign_in_example_create(org) -> IdentityProvider:
    """An example Google sign-in for the org admin's sign-in page: turned off, with a client
    ID that Google knows of no one, and no secret. Nobody is offered it until an admin puts in
    the organization's own client and turns it on."""
    return IdentityProvider.objects.create(
        organization=org,
        kind=ProviderKind.GOOGLE,
        slug=f"{org.slug}-google-example",
        client_id="replace-with-your-client-id.apps.googleusercontent.com",
        allowed_domains="example.org",
        enabled=False,
    )


def history_baseline(model, rows, actor, when) -> None:
    """The creation record of rows written in bulk, dated ``when(row)`` as the demo pretends:
    their history pages start where the demo's story does."""
    for row in rows:
        row._history_date = when(row)
    model.history.bulk_history_create(rows, default_user=actor, default_change_reason=None)


def history_redate(rows, when) -> None:
    """Date the records of rows saved one by one (and their creation time, if they keep one)
    on the day the demo pretends, ``when(row)``, in the name of whoever created them."""
    for row in rows:
        moment = when(row)
        author = {"history_user": row.created_by} if hasattr(row, "created_by") else {}
        row.history.update(history_date=moment, **author)
        if hasattr(row, "created_at"):
            type(row).objects.filter(pk=row.pk).update(created_at=moment)


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


def history_build(org, admin, profiles, sites, teams, *, n_cycles, rng, today) -> dict[int, int]:
    """Every cycle, oldest first. A coordinator's profile is saved just before the first cycle
    they are assessed in, so that opening a cycle makes an assessment for exactly the people
    its stories name; the reports' leavers leave before the open cycle. Returns the mentored
    coordinators (by number) with the cycle their mentoring began in."""
    cycles = cycle_specs(n_cycles, today)
    plans = assessment_plans([p.role_start_date for p in profiles], cycles, rng)
    plans, mentored = report_stories(
        plans,
        first_own=len(STORIES),
        teams=len(teams),
        finalized=Assessment.State.FINALIZED,
        past=len(cycles) - 1,
    )
    leavers = [i for i in LEAVERS if i < len(profiles) and n_cycles >= 2]
    plans = [p for p in plans if not (p.person in leavers and p.cycle == len(cycles) - 1)]
    first_cycle: dict[int, int] = {}
    for plan in plans:
        first_cycle.setdefault(plan.person, plan.cycle)
    indicators = indicators_by_family(org)
    for k, spec in enumerate(cycles):
        joining = [i for i in range(len(profiles)) if first_cycle.get(i) == k]
        profiles_save([profiles[i] for i in joining], [sites[i] for i in joining])
        if k == len(cycles) - 1:
            leavers_leave([profiles[i] for i in leavers])
        cycle_write(
            organization=org,
            admin=admin,
            spec=spec,
            plans={profiles[plan.person].pk: plan for plan in plans if plan.cycle == k},
            indicators=indicators,
            directors={team.pk: team.director for team in teams},
            today=today,
        )
    return {i: cycles[k].opens_on for i, k in mentored.items()}


def leavers_leave(leavers: list[CoordinatorProfile]) -> None:
    """Two coordinators left a few weeks into their third year; they resigned."""
    for profile in leavers:
        if profile.pk is None:
            continue
        profile.active = False
        profile.left_on = leaving_day(profile.role_start_date)
        profile.leaving_reason = LeavingReason.RESIGNED
        CoordinatorProfile.objects.filter(pk=profile.pk).update(
            active=False, left_on=profile.left_on, leaving_reason=profile.leaving_reason
        )
        User.objects.filter(pk=profile.user_id).update(is_active=False)


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
    position = CareerPosition.objects.create(
        profile=lead, stage=stages[-1], since=today - timedelta(days=900)
    )
    lead.schools.add(schools[0])
    history_redate([lead], lambda p: at(p.role_start_date, 8))
    history_redate([position], lambda p: at(p.since, 9))


# Goals, supports and mentors ------------------------------------------------------------------


def growth_build(org, admin, profiles, today) -> None:
    """A few goals and supports so the growth pages and "My mentees" are not empty."""
    if len(profiles) < len(STORIES):
        return
    catalogue = {(e.category_key, e.level): e for e in org.support_catalog.all()}
    agreed = at(today - timedelta(days=14), 15)  # after the open cycle's first reviews
    written = []
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
        written.append(goal)
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
            written.append(support)
    history_redate(written, lambda row: agreed)
    between_cycles_build(org, admin, profiles, today)


# Between cycles: cadences, check-ins, mentoring --------------------------------------------


def between_cycles_build(org, admin, profiles, today) -> None:
    """Check-ins over the past year (two teams on cadence, one falling behind), three
    mentoring matches with their check-ins, and people who need a mentor with mentors to
    suggest."""
    if len(profiles) < len(STORIES):
        return
    teams = list(org.teams.order_by("name"))
    actions = list(org.coaching_actions.order_by("order"))
    # The first two teams keep their cadence; a third, if there is one, falls behind.
    cadence_days = {team.pk: days for team, days in zip(teams, (30, 45), strict=False)}
    for team in teams[:3]:
        CheckInCadence.objects.create(
            team=team, every_days=cadence_days.get(team.pk, 30), since=today - timedelta(days=365)
        )
    check_ins = []
    # Every coordinator of the organization, the director who self-assesses too.
    everyone = list(
        CoordinatorProfile.objects.filter(organization=org)
        .select_related("team__director")
        .order_by("pk")[:CHECK_IN_PEOPLE]
    )
    for n, profile in enumerate(everyone):
        team = profile.team
        if team is None or team.director is None:
            continue
        behind = team.pk not in cadence_days  # the third team: the last check-ins are old
        every = cadence_days.get(team.pk, 30)
        day = today - timedelta(days=(70 + n % 20) if behind else (3 + n % 9))
        while day > today - timedelta(days=365):
            check_ins.append(
                CheckIn(
                    coordinator=profile,
                    held_on=day,
                    author=team.director,
                    notes=CHECK_IN_NOTES[len(check_ins) % len(CHECK_IN_NOTES)],
                )
            )
            day -= timedelta(days=every + (60 if behind else 0))
    CheckIn.objects.bulk_create(check_ins)
    through = CheckIn.coaching_actions.through
    through.objects.bulk_create(
        through(checkin_id=c.pk, coachingaction_id=actions[i % len(actions)].pk)
        for i, c in enumerate(check_ins)
    )
    CheckInNextStep.objects.bulk_create(
        CheckInNextStep(check_in=c, text="Share the attendance data with the principal")
        for c in check_ins[::4]
    )
    history_baseline(CheckIn, check_ins, admin, lambda c: at(c.held_on, 16))

    programme = MentoringProgramme.objects.create(
        organization=org,
        capacity=2,
        starts_on=today - timedelta(days=90),
        ends_on=today + timedelta(days=275),
    )
    programme.mentor_stages.set(org.career_stages.order_by("order")[2:])
    mentor = profiles[7].user  # the coordinator ready for promotion mentors two others
    pairs = [
        (profiles[index], who)
        for index, who in ((0, mentor), (5, mentor), (10, profiles[3].user))
        if index < len(profiles)
    ]
    for mentee, who in pairs:
        match = MentoringMatch.objects.create(
            mentor=who, mentee=mentee, starts_on=today - timedelta(days=60), confirmed_by=admin
        )
        history_redate([match], lambda row: at(row.starts_on, 10))
        logged = [
            CheckIn(
                coordinator=mentee,
                held_on=today - timedelta(days=days),
                author=who,
                notes="Mentoring conversation: what worked at the site this month.",
            )
            for days in (50, 20)
        ]
        CheckIn.objects.bulk_create(logged)
        history_baseline(CheckIn, logged, who, lambda c: at(c.held_on, 17))
    MentorOffer.objects.create(user=profiles[min(9, len(profiles) - 1)].user)
    for profile in (profiles[2], profiles[min(14, len(profiles) - 1)]):
        MentorNeed.objects.create(
            profile=profile,
            noted_by=profile.team.director if profile.team else admin,
            noted_on=today - timedelta(days=7),
        )


# The demo logs check-ins for this many coordinators (a large demo stays quick to build).
CHECK_IN_PEOPLE = 60
CHECK_IN_NOTES = (
    "Talked through the family night and who owns each part.",
    "Reviewed attendance data with the principal's goals in mind.",
    "Planned the next partner meeting; the school wants more tutoring.",
    "Reflected on the site team meeting and the principal's support.",
)


def promotions_create(positions: list[CareerPosition], stages: list[CareerStage], admin) -> None:
    """Each coordinator past the first stage was promoted to it on the day their position
    began, so the time-to-promotion report has its cohorts."""
    order = {stage.pk: index for index, stage in enumerate(stages)}
    Promotion.objects.bulk_create(
        Promotion(
            profile_id=position.profile.pk,
            from_stage=stages[order[position.stage.pk] - 1],
            to_stage=position.stage,
            effective_on=position.since,
            recorded_by=admin,
        )
        for position in positions
        if position.stage is not None and order[position.stage.pk] > 0
    )


def mentoring_create(profiles, mentored: dict[int, date], admin) -> None:
    """The reports' mentored coordinators: mentoring from a month after the cycle it began in,
    with the coordinator of the story "strong coordinator at a weak site" as their mentor."""
    if not mentored:
        return
    mentor = profiles[1].user
    matches = MentoringMatch.objects.bulk_create(
        MentoringMatch(
            mentor=mentor,
            mentee=profiles[i],
            starts_on=opened + MENTORING_STARTS_AFTER,
            ends_on=opened + MENTORING_STARTS_AFTER + timedelta(days=365),
            confirmed_by=admin,
        )
        for i, opened in sorted(mentored.items())
    )
    for match in matches:
        MentoringMatch.objects.filter(pk=match.pk).update(created_at=at(match.starts_on, 10))
    history_baseline(MentoringMatch, matches, admin, lambda row: at(row.starts_on, 10))


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
