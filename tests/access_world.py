"""One world with every kind of object, the shape of a request that reaches one URL name in it,
and the means of sending such requests and reading what came back.

The access table (tests/test_access_table.py) and the hostile-input tests
(tests/test_hostile_input.py) send every request in this world. Each app's
``tests/<app>/url_cases.py`` says how to reach its URL names here, and tests/url_cases.py
gathers them. Every request runs inside a transaction that is rolled back, so each one sees
the same world whatever the requests before it did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import constants as message_levels
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from api.models import ApiToken
from assessments.models import Assessment, AssessmentCycle, PrincipalFeedbackSettings
from assessments.services import (
    NextStepInput,
    RatingInput,
    assessment_finalize,
    assessment_save_review,
    feedback_link_mint,
    feedback_request_send,
)
from coordinators.models import RoleFamily
from dashboards.export_jobs import export_job_build
from dashboards.models import ExportJob
from evidence.services import EvidenceOwner, attachment_add, check_in_attachment_add
from growth.check_in_services import check_in_create
from growth.models import CareerStage, SupportCatalogEntry
from growth.services import goal_create, support_create
from growthmatrix.roster.importing import roster_import_run
from rubrics.models import Indicator, RubricVersion
from rubrics.services import rubric_version_new_draft
from signin.models import IdentityProvider
from tests.evidence.samples import attached_file, first_rated
from tests.factories import (
    AssessmentFactory,
    CycleFactory,
    OrganizationFactory,
    ProfileFactory,
    TeamFactory,
    UserFactory,
    mentoring_match,
)

PASSWORD = "correct horse battery staple"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# What the coordinator's former director wrote in the coaching conversation of a past review.
INHERITED_NOTES = "Talked through the hard year at Lincoln and what it cost; kept between us."
INHERITED_NEXT_STEPS = "Meet the new principal in the first month."

# The people of the table, in its column order. "mentor" is a coordinator of another team
# of the same organization who mentors the coordinator ("self").
ACTORS = (
    "anon",
    "self",
    "teammate",
    "director",
    "other_director",
    "admin",
    "other_admin",
    "mentor",
)
# The project's own apps live beside tests/; a refused request leaves all their tables as
# they were, those of an app added later included.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


# The world ----------------------------------------------------------------------------------


@dataclass
class World:
    today: date  # the day the world was built on; its dates count from it
    users: dict  # actor name → user (None for anon); also "superuser"
    mine: SimpleNamespace  # objects of the organization of "self"
    theirs: SimpleNamespace  # objects of the other organization
    import_result_id: str
    reset_uid: str
    reset_token: str

    def org_of(self, actor: str) -> SimpleNamespace:
        return self.theirs if actor == "other_admin" else self.mine


def _org_objects(org) -> SimpleNamespace:
    family = RoleFamily.objects.filter(organization=org).order_by("pk").first()
    return SimpleNamespace(
        org=org,
        family=family,
        published=RubricVersion.objects.get(rubric__role_family=family, state="published"),
        stages=list(CareerStage.objects.filter(organization=org).order_by("order")),
        entry=SupportCatalogEntry.objects.filter(organization=org, kind="pd")
        .order_by("pk")
        .first(),
    )


def world_build() -> World:
    today = timezone.localdate()
    org = OrganizationFactory(name="Bay Partnership", slug="bay")
    other_org = OrganizationFactory(name="Elsewhere District", slug="elsewhere")
    team = TeamFactory(organization=org, name="East")
    other_team = TeamFactory(organization=org, name="West")
    admin = UserFactory(organization=org, roles=["admin"], email="admin@example.org")
    other_admin = UserFactory(
        organization=other_org, roles=["admin"], email="other-admin@example.org"
    )
    superuser = UserFactory(
        organization=None, email="root@example.org", is_staff=True, is_superuser=True
    )
    profile = ProfileFactory(team=team, user__email="coordinator@example.org")
    teammate = ProfileFactory(team=team, user__email="teammate@example.org")
    mentor = ProfileFactory(team=other_team, user__email="mentor@example.org")
    far_team = TeamFactory(organization=other_org, name="Far")
    far_profile = ProfileFactory(team=far_team, user__email="far@example.org")

    mine = _org_objects(org)
    theirs = _org_objects(other_org)
    director = team.director

    mine.team, mine.other_team, mine.profile, mine.teammate = team, other_team, profile, teammate
    # Each organization signs in with Google; the teammate has an authenticator app (its
    # reset is the org admin's).
    mine.identity_provider = IdentityProvider.objects.create(
        organization=org,
        kind="google",
        slug="bay-google",
        client_id="bay-client",
        allowed_domains="example.org",
    )
    theirs.identity_provider = IdentityProvider.objects.create(
        organization=other_org,
        kind="google",
        slug="elsewhere-google",
        client_id="elsewhere-client",
        allowed_domains="elsewhere.example",
    )
    Authenticator.objects.create(user=teammate.user, type="totp", data={"secret": "x"})
    mine.api_token = ApiToken.objects.create(organization=org, name="Warehouse", digest="0" * 64)
    mine.cycle_open = CycleFactory(organization=org, name="2030 Fall")
    mine.cycle_prev = CycleFactory(
        organization=org,
        name="2030 Spring",
        opens_on=today - timedelta(days=200),
        state=AssessmentCycle.State.CLOSED,
    )
    mine.cycle_planned = CycleFactory(
        organization=org,
        name="2031 Fall",
        opens_on=today + timedelta(days=100),
        state=AssessmentCycle.State.PLANNED,
    )
    # The coordinator's draft in the open cycle, and a submitted one awaiting review.
    mine.draft = AssessmentFactory(coordinator=profile, cycle=mine.cycle_open, ratings=2)
    mine.submitted = AssessmentFactory(
        coordinator=profile,
        cycle=mine.cycle_prev,
        ratings=2,
        state=Assessment.State.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=150),
    )
    # The principal of the submitted assessment's school was asked for feedback; the link's
    # token is known only here (the database keeps its digest).
    PrincipalFeedbackSettings.objects.create(organization=org)
    mine.feedback = feedback_request_send(
        assessment=mine.submitted,
        school=mine.submitted.schools.get(),
        actor=director,
        principal_name="Dr. Renee Whitfield",
        principal_email="principal@school.example.org",
        email=False,
    )
    mine.feedback_token = token_of(feedback_link_mint(request=mine.feedback))
    mine.rubric_draft, _ = rubric_version_new_draft(rubric=mine.family.rubric, actor=admin)
    mine.goal = goal_create(
        profile=profile,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=today + timedelta(days=40),
    )
    mine.support = support_create(
        profile=profile, actor=director, kind="pd", title="Facilitation course", hours=6
    )
    mine.match = mentoring_match(mentee=profile, mentor=mentor.user, actor=director)
    mine.check_in = check_in_create(
        profile=profile,
        actor=director,
        held_on=today - timedelta(days=3),
        notes="Talked about the family night.",
        next_steps=[NextStepInput("Invite the PTA chair", "", today + timedelta(days=20))],
    )
    mine.inherited = _review_by_former_director(
        profile, today=today, team=team, former_team=other_team
    )
    # A stage nobody is at (deleting it works) besides the ones people are at.
    mine.free_stage = CareerStage.objects.create(
        organization=org, title="Fellow", order=9, expected_years_from=9
    )

    # A file among the submitted assessment's evidence, and a link on the draft's.
    mine.evidence_file = attached_file(mine.submitted, by=profile.user, title="Sign-in sheet")
    mine.evidence_link, _ = attachment_add(
        assessment=mine.draft,
        actor=profile.user,
        expected_version=mine.draft.version,
        owner=EvidenceOwner(first_rated(mine.draft)),
        title="Shared folder",
        url="https://drive.example.org/folder",
    )
    mine.draft.refresh_from_db()
    # A link on the check-in its director logged, and one on a check-in of the teammate (whom
    # the mentor does not mentor).
    mine.check_in_link, mine.check_in = check_in_attachment_add(
        check_in=mine.check_in,
        actor=director,
        expected_version=mine.check_in.version,
        title="Family night photos",
        url="https://photos.example.org/family-night",
    )
    mine.teammate_check_in_link, _ = check_in_attachment_add(
        check_in=check_in_create(profile=teammate, actor=director, held_on=today),
        actor=director,
        expected_version=1,
        title="Teammate's folder",
        url="https://drive.example.org/teammate",
    )

    # The director's export of their team, built and ready to download.
    mine.export_job = export_job_build(
        job=ExportJob.objects.create(
            requester=director, organization=org, format="csv", filters={"team": [str(team.pk)]}
        )
    )

    _school_site_objects(mine, today=today, profile=profile, director=director)

    theirs.team, theirs.profile = far_team, far_profile
    theirs.cycle_open = CycleFactory(organization=other_org, name="Far Fall")
    theirs.draft = AssessmentFactory(coordinator=far_profile, cycle=theirs.cycle_open, ratings=2)
    theirs.goal = goal_create(
        profile=far_profile,
        actor=far_team.director,
        category_key="site",
        target_level=2,
        target_date=today + timedelta(days=40),
    )
    theirs.support = support_create(
        profile=far_profile, actor=far_team.director, kind="pd", title="Far course", hours=2
    )

    with override_settings(TASKS=DB_TASKS):
        result = roster_import_run.enqueue(
            organization_id=org.pk,
            actor_id=admin.pk,
            payload={"schools": [], "teams": [], "people": [], "errors": []},
        )
    users = {
        "anon": None,
        "self": profile.user,
        "teammate": teammate.user,
        "director": director,
        "other_director": other_team.director,
        "admin": admin,
        "other_admin": other_admin,
        "mentor": mentor.user,
        "superuser": superuser,
    }
    return World(
        today=today,
        users=users,
        mine=mine,
        theirs=theirs,
        import_result_id=str(result.id),
        reset_uid=urlsafe_base64_encode(force_bytes(profile.user.pk)),
        reset_token=default_token_generator.make_token(profile.user),
    )


def token_of(link: str) -> str:
    """The token at the end of a principal's link."""
    return link.rstrip("/").rsplit("/", 1)[1]


def _review_by_former_director(profile, *, today, team, former_team) -> Assessment:
    """A finalized review of two years ago, from when the coordinator was on ``former_team``:
    its director ("other_director") wrote the coaching notes and finalized it, then the
    coordinator moved to ``team``, whose director inherits them."""
    cycle = CycleFactory(
        organization=profile.organization,
        name="2029 Fall",
        opens_on=today - timedelta(days=700),
        state=AssessmentCycle.State.CLOSED,
    )
    profile.team = former_team
    profile.save(update_fields=["team"])
    submitted = AssessmentFactory(
        coordinator=profile,
        cycle=cycle,
        ratings=2,
        state=Assessment.State.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=650),
    )
    former_director = former_team.director
    reviewed = assessment_save_review(
        assessment=submitted,
        actor=former_director,
        expected_version=submitted.version,
        ratings={
            pk: RatingInput(2, "Agreed.")
            for pk in Indicator.objects.filter(
                category__version=submitted.rubric_version
            ).values_list("pk", flat=True)
        },
        coaching_notes=INHERITED_NOTES,
        next_steps=INHERITED_NEXT_STEPS,
    )
    finalized = assessment_finalize(
        assessment=reviewed, actor=former_director, expected_version=reviewed.version
    )
    profile.team = team
    profile.save(update_fields=["team"])
    return Assessment.objects.get(pk=finalized.pk)


def _school_site_objects(mine, *, today, profile, director) -> None:
    """The coordinator's school, its principal for this school year, this year's draft
    agreement, and last year's agreement shared for signature with a link the principal
    opens (``sign_token``, never stored but as its digest)."""
    from coordinators import public_tokens
    from schoolsites.models import SignatureLink
    from schoolsites.services import (
        GoalInput,
        agreement_create,
        agreement_share,
        principal_contact_save,
    )

    school = profile.schools.order_by("pk").first()
    year = mine.org.school_year_of(today)
    mine.school, mine.school_year = school, year
    mine.principal = principal_contact_save(
        school=school,
        school_year=year.start_year,
        name="Dana Principal",
        email="principal@school.example.org",
        expected_version=None,
    )
    terms = {
        "principal_name": "Dana Principal",
        "principal_email": "principal@school.example.org",
        "role_covers": "Family engagement nights\nPartner coordination",
        "role_excludes": "Lunch duty",
        "meeting_cadence": "Every other Tuesday",
    }
    goals = [GoalInput("Chronic absence down", "Chronic absence", "from 18% to 14%")]
    mine.agreement = agreement_create(
        school=school, school_year=year.start_year, actor=director, fields=terms, goals=goals
    )
    mine.last_agreement = agreement_create(
        school=school, school_year=year.start_year - 1, actor=director, fields=terms, goals=goals
    )
    link = agreement_share(agreement=mine.last_agreement, actor=director)
    mine.sign_token, digest = public_tokens.mint()
    SignatureLink.objects.filter(pk=link.pk).update(token_digest=digest)


# How a request reaches one URL name -------------------------------------------------------


def no_arguments(world: World) -> dict:
    return {}


def no_fields(world: World, actor: str, client: Client) -> dict:
    """The body of an action that needs nothing but the URL and the CSRF token."""
    return {}


def pk_of(name: str) -> Callable[[World], dict]:
    """URL arguments ``pk=`` the id of ``world.mine.<name>``."""
    return lambda world: {"pk": getattr(world.mine, name).pk}


@dataclass(frozen=True)
class UrlCase:
    """How to reach the URL name ``name``: ``kwargs(world)``, an optional ``query(world)`` and,
    for forms and actions, ``post(world, actor, client)`` returning a valid body (the client is
    there for steps that must come first, such as the upload before a confirmation).
    ``ids`` names the POST fields that carry object ids, with ``foreign(world)`` giving
    ids of the other organization for them; ``texts`` the free-text fields (``evidence_*``
    for every ``evidence_<pk>``); ``show(world)`` the page where accepted text is displayed
    again; ``settings`` what the request needs overridden. ``edits(world)`` is the versioned
    row an edit form saves: its body gets the version the form carries (unless ``post`` gives
    one), and the two-editors test (tests/test_two_editors.py) opens its form twice."""

    name: str
    kwargs: Callable[[World], dict] = no_arguments
    query: Callable[[World], dict] = no_arguments
    post: Callable[[World, str, Client], dict] | None = None
    texts: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    foreign: Callable[[World], dict] = no_arguments
    show: Callable[[World], str] | None = None
    settings: dict = field(default_factory=dict)
    edits: Callable[[World], Model] | None = None

    def __post_init__(self):
        if self.edits is not None and self.post is not None:
            object.__setattr__(self, "post", _with_version(self.post, self.edits))


def version_of(row: Model) -> str:
    """The version of ``row`` as saved now, as its edit form carries it."""
    return str(type(row)._base_manager.values_list("version", flat=True).get(pk=row.pk))


def _with_version(post, edits):
    def body(world: World, actor: str, client: Client) -> dict:
        return {"version": version_of(edits(world))} | post(world, actor, client)

    return body


# Running a request --------------------------------------------------------------------------


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever happens inside is undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def outcome(response, login_url: str | None = None) -> str:
    """ok (200, or a redirect not to the login page), login, or the status code."""
    login_url = login_url or reverse("login")
    if response.status_code == 200:
        return "ok"
    if response.status_code == 302:
        return "login" if response["Location"].startswith(login_url) else "ok"
    return str(response.status_code)


def form_errors(response) -> dict:
    """The errors of the form a 200 response re-displays, if any."""
    if response.context is None:
        return {}
    form = response.context.get("form")
    errors = getattr(form, "errors", None)
    return dict(errors) if errors else {}


def error_messages(response) -> list[str]:
    """The error messages the view added (the client is fresh: no older ones)."""
    storage = getattr(response.wsgi_request, "_messages", None)
    # Queued for a redirect, or already shown on the page the response renders.
    added = [*getattr(storage, "_loaded_messages", []), *getattr(storage, "_queued_messages", [])]
    return [str(m) for m in added if m.level >= message_levels.ERROR]


def row_counts() -> dict[str, int]:
    """Rows of every table of the project's apps, history and many-to-many tables included
    (one query)."""
    tables = sorted(
        {
            model._meta.db_table
            for app in apps.get_app_configs()
            if Path(app.path).parent == PROJECT_ROOT
            for model in app.get_models(include_auto_created=True)
        }
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
        )
        return dict(zip(tables, cursor.fetchone(), strict=True))
