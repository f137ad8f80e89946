"""One world with every kind of object, and for every URL name of the project the request
that reaches it with real ids: its URL arguments, query string and a valid POST body.

Shared by the access table (tests/test_access_table.py) and the hostile-input tests
(tests/test_hostile_input.py). Every request runs inside a transaction that is rolled back,
so each one sees the same world whatever the requests before it did.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.models import Assessment, AssessmentCycle
from assessments.services import cycle_close
from coordinators.models import RoleFamily, School
from dashboards.forms import threshold_defaults
from growth.models import CareerStage, SupportCatalogEntry
from growth.services import goal_create, support_create
from growthmatrix.roster.importing import roster_import_run
from rubrics.forms import CategoryEditForm
from rubrics.models import Indicator, RubricVersion
from rubrics.selectors import rubric_version_matrix
from rubrics.services import rubric_version_new_draft
from tests.factories import (
    AssessmentFactory,
    CycleFactory,
    OrganizationFactory,
    ProfileFactory,
    TeamFactory,
    UserFactory,
)

PASSWORD = "correct horse battery staple"
TODAY = timezone.localdate()
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

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
APPS = ("coordinators", "assessments", "growth")


# The world ----------------------------------------------------------------------------------


@dataclass
class World:
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
    mine.cycle_open = CycleFactory(organization=org, name="2030 Fall")
    mine.cycle_prev = CycleFactory(
        organization=org,
        name="2030 Spring",
        opens_on=TODAY - timedelta(days=200),
        state=AssessmentCycle.State.CLOSED,
    )
    mine.cycle_planned = CycleFactory(
        organization=org,
        name="2031 Fall",
        opens_on=TODAY + timedelta(days=100),
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
    mine.rubric_draft, _ = rubric_version_new_draft(rubric=mine.family.rubric, actor=admin)
    mine.goal = goal_create(
        profile=profile,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=TODAY + timedelta(days=40),
    )
    mine.support = support_create(
        profile=profile, actor=director, kind="pd", title="Facilitation course", hours=6
    )
    support_create(profile=profile, actor=director, kind="mentoring", title="", mentor=mentor.user)
    # A stage nobody is at (deleting it works) besides the ones people are at.
    mine.free_stage = CareerStage.objects.create(
        organization=org, title="Fellow", order=9, expected_years_from=9
    )

    theirs.team, theirs.profile = far_team, far_profile
    theirs.cycle_open = CycleFactory(organization=other_org, name="Far Fall")
    theirs.draft = AssessmentFactory(coordinator=far_profile, cycle=theirs.cycle_open, ratings=2)
    theirs.goal = goal_create(
        profile=far_profile,
        actor=far_team.director,
        category_key="site",
        target_level=2,
        target_date=TODAY + timedelta(days=40),
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
        users=users,
        mine=mine,
        theirs=theirs,
        import_result_id=str(result.id),
        reset_uid=urlsafe_base64_encode(force_bytes(profile.user.pk)),
        reset_token=default_token_generator.make_token(profile.user),
    )


# The URL patterns -------------------------------------------------------------------------


def url_names() -> list[tuple[str, str]]:
    """(namespaced name, route) of every URL pattern outside the Django admin; a name given
    twice (the login view, replaced in front of Django's) is listed once."""
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append(
                    (name or f"<unnamed {prefix}{pattern.pattern}>", prefix + str(pattern.pattern))
                )

    walk(get_resolver().url_patterns, "", "")
    first = dict(reversed(found))  # the first route of each name
    return [
        (name, first[name])
        for name in dict.fromkeys(n for n, _ in found)
        if not name.startswith("admin:")
    ]


# Requests -----------------------------------------------------------------------------------


@dataclass
class Case:
    """How to reach one URL name: ``kwargs(world)``, an optional ``query(world)`` and, for
    forms and actions, ``post(world, actor, client)`` returning a valid body (the client is
    there for steps that must come first, such as the upload before a confirmation).
    ``ids`` names the POST fields that carry object ids, with ``foreign(world)`` giving
    ids of the other organization for them; ``texts`` the free-text fields;
    ``show(world)`` the page where accepted text is displayed again."""

    kwargs: Callable[[World], dict] = lambda w: {}
    query: Callable[[World], dict] = lambda w: {}
    post: Callable | None = None
    texts: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    foreign: Callable[[World], dict] = lambda w: {}
    show: Callable[[World], str] | None = None
    settings: dict = field(default_factory=dict)


def _csv_upload(rows, header=("name", "level", "setting"), name="schools.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def _confirm(w, actor, client):
    preview = client.post(
        reverse("roster:roster-import"),
        {"file": _csv_upload([["Harbor Middle", "middle", "urban"]])},
    )
    token = preview.context["token"] if preview.status_code == 200 else "none"
    return {"token": token}


def self_post(assessment, level=2, evidence="Ran the family night with the principal.") -> dict:
    data = {"version": str(assessment.version)}
    for pk in _indicator_ids(assessment):
        data[f"level_{pk}"] = str(level)
        data[f"evidence_{pk}"] = evidence
    return data


def review_post(assessment, level=2, note="Agreed.", **extra) -> dict:
    data = {
        "version": str(assessment.version),
        "coaching_notes": "We talked about the site plan.",
        "next_steps": "Meet the principal monthly.",
        "return_note": "",
    }
    for pk in _indicator_ids(assessment):
        data[f"supervisor_level_{pk}"] = str(level)
        data[f"note_{pk}"] = note
    return data | extra


def _indicator_ids(assessment) -> list[int]:
    return list(
        Indicator.objects.filter(category__version=assessment.rubric_version)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def category_post(version, key="coordinator") -> dict:
    """The category editor's form as the page shows it, unchanged."""
    matrix = rubric_version_matrix(version=version)
    category = matrix.category(key)
    cells = {
        (row.indicator.pk, cell.level.value): cell.text
        for row in category.indicators
        for cell in row.cells
    }
    form = CategoryEditForm(
        category=category.category,
        indicators=[row.indicator for row in category.indicators],
        levels=matrix.levels,
        cells=cells,
        initial={"lock_version": version.lock_version},
    )
    return {name: form[name].value() or "" for name in form.fields}


def goal_post(**changes) -> dict:
    data = {
        "category_key": "site",
        "target_level": "2",
        "target_date": (TODAY + timedelta(days=60)).isoformat(),
        "status": "open",
        "notes": "Meet the principal monthly.",
    }
    return data | changes


def support_post(**changes) -> dict:
    data = {
        "kind": "pd",
        "title": "Restorative practices course",
        "starts_on": TODAY.isoformat(),
        "hours": "6",
        "notes": "Two evenings.",
    }
    return data | changes


def stage_post(**changes) -> dict:
    data = {
        "title": "Principal fellow",
        "order": "12",
        "expected_years_from": "10",
        "expected_years_to": "",
        "min_coordinator": "3",
        "min_site": "3",
        "min_organization": "3",
        "min_development": "3",
    }
    return data | changes


def catalogue_post(**changes) -> dict:
    data = {
        "category_key": "site",
        "level": "1",
        "kind": "pd",
        "title": "Working with principals",
        "description": "A half-day workshop.",
        "network_scope": "",
        "hours": "4",
    }
    return data | changes


def cycle_post(name="2032 Fall", **changes) -> dict:
    opens = TODAY + timedelta(days=400)
    data = {
        "name": name,
        "opens_on": opens.isoformat(),
        "due_on": (opens + timedelta(days=30)).isoformat(),
        "closes_on": (opens + timedelta(days=60)).isoformat(),
        "review_window_days": "14",
    }
    return data | changes


def _close_open_cycle(w, actor, client):
    """One cycle is open at a time: close the current one first (undone with the request)."""
    cycle_close(cycle=w.mine.cycle_open, actor=w.users["admin"])
    return {}


def _site_indicator(objects) -> int:
    return (
        Indicator.objects.filter(category__version=objects.published, category__key="site")
        .order_by("pk")
        .first()
        .pk
    )


def _first_school(objects) -> School:
    return School.objects.filter(organization=objects.org).order_by("pk").first()


def school_post(**changes) -> dict:
    return {"name": "Harbor Middle", "level": "middle", "setting": "urban"} | changes


def person_post(objects, **changes) -> dict:
    """A new coordinator of the organization of ``objects``, on its team and first school."""
    data = {
        "email": "new.person@example.org",
        "first_name": "Maria",
        "last_name": "Lopez",
        "roles": ["coordinator"],
        "role_family": str(objects.family.pk),
        "team": str(objects.team.pk),
        "schools": [str(_first_school(objects).pk)],
        "role_start_date": (TODAY - timedelta(days=400)).isoformat(),
        "job_title": "Community School Coordinator",
    }
    return data | changes


def _person_update_post(w, actor, client) -> dict:
    user = w.mine.profile.user
    return person_post(
        w.mine,
        email=user.email,
        first_name="Casey",
        last_name=user.last_name,
        schools=[str(pk) for pk in w.mine.profile.schools.values_list("pk", flat=True)],
    )


PERSON_TEXTS = ("email", "first_name", "last_name", "job_title")


def _person_foreign(w) -> dict:
    return {
        "role_family": w.theirs.family.pk,
        "team": w.theirs.team.pk,
        "schools": _first_school(w.theirs).pk,
    }


def _pk(attr):
    return lambda w: {"pk": getattr(w.mine, attr).pk}


def _draft_pk(w):
    return {"pk": w.mine.rubric_draft.pk}


def _team_query(w):
    return {"team": str(w.mine.team.pk)}


MATRIX_TEXTS = ("evidence_*",)
REVIEW_TEXTS = ("note_*", "coaching_notes", "next_steps", "return_note")

CASES: dict[str, Case] = {
    # Accounts (Django's own views) and the landing redirect.
    "home": Case(),
    "healthz": Case(),
    "favicon": Case(),
    "login": Case(
        post=lambda w, actor, client: {"username": w.users["self"].email, "password": PASSWORD},
        texts=("username", "password"),
    ),
    "logout": Case(post=lambda w, actor, client: {}),
    "password_change": Case(
        post=lambda w, actor, client: {
            "old_password": PASSWORD,
            "new_password1": "a brand new passphrase 4417",
            "new_password2": "a brand new passphrase 4417",
        },
        texts=("old_password", "new_password1", "new_password2"),
    ),
    "password_change_done": Case(),
    "password_reset": Case(
        post=lambda w, actor, client: {"email": w.users["self"].email}, texts=("email",)
    ),
    "password_reset_done": Case(),
    "password_reset_confirm": Case(
        kwargs=lambda w: {"uidb64": w.reset_uid, "token": w.reset_token}
    ),
    "password_reset_complete": Case(),
    # Coordinators app.
    "pages:my-growth": Case(),
    "pages:my-team": Case(),
    "pages:organization": Case(),
    "pages:no-role": Case(),
    "roster:roster-import": Case(
        post=lambda w, actor, client: {"file": _csv_upload([["Harbor Middle", "middle", "urban"]])}
    ),
    "roster:roster-import-confirm": Case(post=_confirm, texts=("token",)),
    "roster:roster-import-status": Case(
        kwargs=lambda w: {"result_id": w.import_result_id}, settings={"TASKS": DB_TASKS}
    ),
    "roster:roster-template": Case(kwargs=lambda w: {"kind": "people"}),
    # The org admin's schools, teams and people.
    "coordinators:school-list": Case(),
    "coordinators:school-create": Case(
        post=lambda w, actor, client: school_post(),
        texts=("name",),
        show=lambda w: reverse("coordinators:school-list"),
    ),
    "coordinators:school-update": Case(
        kwargs=lambda w: {"pk": _first_school(w.mine).pk},
        post=lambda w, actor, client: school_post(name="Harbor Middle (renamed)"),
        texts=("name",),
        show=lambda w: reverse("coordinators:school-list"),
    ),
    "coordinators:school-deactivate": Case(
        kwargs=lambda w: {"pk": _first_school(w.mine).pk}, post=lambda w, a, c: {}
    ),
    "coordinators:school-reactivate": Case(
        kwargs=lambda w: {"pk": _first_school(w.mine).pk}, post=lambda w, a, c: {}
    ),
    "coordinators:team-list": Case(),
    "coordinators:team-create": Case(
        post=lambda w, actor, client: {
            "name": "North",
            "director": str(w.org_of(actor).team.director_id),
        },
        texts=("name",),
        ids=("director",),
        foreign=lambda w: {"director": w.theirs.team.director_id},
        show=lambda w: reverse("coordinators:team-list"),
    ),
    "coordinators:team-update": Case(
        kwargs=_pk("team"),
        post=lambda w, actor, client: {
            "name": "East Bay",
            "director": str(w.mine.team.director_id),
        },
        texts=("name",),
        ids=("director",),
        foreign=lambda w: {"director": w.theirs.team.director_id},
        show=lambda w: reverse("coordinators:team-list"),
    ),
    "coordinators:person-list": Case(query=lambda w: {"role": "coordinator"}),
    "coordinators:person-create": Case(
        post=lambda w, actor, client: person_post(w.org_of(actor)),
        texts=PERSON_TEXTS,
        ids=("role_family", "team", "schools"),
        foreign=_person_foreign,
        show=lambda w: reverse("coordinators:person-list"),
    ),
    "coordinators:person-update": Case(
        kwargs=lambda w: {"pk": w.mine.profile.user.pk},
        post=_person_update_post,
        texts=PERSON_TEXTS,
        ids=("role_family", "team", "schools"),
        foreign=_person_foreign,
        show=lambda w: reverse("coordinators:person-list"),
    ),
    "coordinators:person-deactivate": Case(
        kwargs=lambda w: {"pk": w.mine.profile.user.pk}, post=lambda w, a, c: {}
    ),
    "coordinators:person-reactivate": Case(
        kwargs=lambda w: {"pk": w.mine.profile.user.pk}, post=lambda w, a, c: {}
    ),
    # The rubric editor.
    "rubrics:role-family-list": Case(),
    "rubrics:role-family-create": Case(
        post=lambda w, actor, client: {"name": "Instructional coach", "source": "default:0"},
        texts=("name",),
        show=lambda w: reverse("rubrics:role-family-list"),
    ),
    "rubrics:role-family-update": Case(
        kwargs=lambda w: {"pk": w.mine.family.pk},
        post=lambda w, actor, client: {"name": "Community school coordinator (K-8)"},
        texts=("name",),
        show=lambda w: reverse("rubrics:rubric-detail", args=[w.mine.family.pk]),
    ),
    "rubrics:role-family-people": Case(query=lambda w: {"family": str(w.mine.family.pk)}),
    "rubrics:role-family-assign": Case(
        post=lambda w, actor, client: {
            "profiles": [str(w.org_of(actor).profile.pk)],
            "role_family": str(w.org_of(actor).family.pk),
        },
        ids=("profiles", "role_family"),
        foreign=lambda w: {"profiles": w.theirs.profile.pk, "role_family": w.theirs.family.pk},
    ),
    "rubrics:rubric-detail": Case(kwargs=lambda w: {"pk": w.mine.family.pk}),
    "rubrics:rubric-draft-create": Case(
        kwargs=lambda w: {"pk": w.mine.family.pk}, post=lambda w, actor, client: {}
    ),
    "rubrics:rubric-version-detail": Case(kwargs=lambda w: {"pk": w.mine.published.pk}),
    "rubrics:rubric-draft": Case(
        kwargs=_draft_pk,
        post=lambda w, actor, client: {
            "lock_version": str(w.mine.rubric_draft.lock_version),
            "level_1": "Emerging",
            "level_2": "Proficient",
            "level_3": "Expert",
        },
        texts=("level_1", "level_2", "level_3"),
        show=lambda w: reverse("rubrics:rubric-draft", args=[w.mine.rubric_draft.pk]),
    ),
    "rubrics:rubric-category-edit": Case(
        kwargs=lambda w: {"pk": w.mine.rubric_draft.pk, "key": "coordinator"},
        post=lambda w, actor, client: category_post(w.mine.rubric_draft),
        texts=("category-name", "category-description", "ind-*", "new-*"),
        show=lambda w: reverse(
            "rubrics:rubric-category-edit", args=[w.mine.rubric_draft.pk, "coordinator"]
        ),
    ),
    "rubrics:rubric-compare": Case(
        kwargs=_draft_pk, query=lambda w: {"against": str(w.mine.published.pk)}
    ),
    "rubrics:rubric-publish": Case(
        kwargs=_draft_pk,
        post=lambda w, actor, client: {"lock_version": str(w.mine.rubric_draft.lock_version)},
    ),
    "rubrics:rubric-discard": Case(
        kwargs=_draft_pk,
        post=lambda w, actor, client: {"lock_version": str(w.mine.rubric_draft.lock_version)},
    ),
    "rubrics:rubric-history": Case(kwargs=_draft_pk),
    # Dashboards and exports.
    "dashboards:team-dashboard": Case(query=_team_query),
    "dashboards:team-dashboard-csv": Case(query=_team_query),
    "dashboards:team-dashboard-xlsx": Case(query=_team_query),
    "dashboards:org-overview": Case(query=lambda w: {"cycle": str(w.mine.cycle_open.pk)}),
    "dashboards:coordinator-detail": Case(kwargs=_pk("profile")),
    "dashboards:coordinator-history-export": Case(kwargs=_pk("profile")),
    # Cycles and the assessment workflow.
    "assessments:cycle-list": Case(),
    "assessments:cycle-create": Case(
        post=lambda w, actor, client: cycle_post(),
        texts=("name",),
        show=lambda w: reverse("assessments:cycle-list"),
    ),
    "assessments:cycle-update": Case(
        kwargs=_pk("cycle_planned"),
        post=lambda w, actor, client: cycle_post(name="2031 Fall (renamed)"),
        texts=("name",),
        show=lambda w: reverse("assessments:cycle-list"),
    ),
    "assessments:cycle-open": Case(kwargs=_pk("cycle_planned"), post=_close_open_cycle),
    "assessments:cycle-close": Case(kwargs=_pk("cycle_open"), post=lambda w, a, c: {}),
    "assessments:assessment-start": Case(
        kwargs=lambda w: {"cycle_pk": w.mine.cycle_open.pk}, post=lambda w, a, c: {}
    ),
    "assessments:assessment-detail": Case(
        kwargs=_pk("draft"),
        post=lambda w, actor, client: self_post(w.mine.draft),
        texts=MATRIX_TEXTS,
        show=lambda w: reverse("assessments:assessment-detail", args=[w.mine.draft.pk]),
    ),
    "assessments:assessment-autosave": Case(
        kwargs=_pk("draft"),
        post=lambda w, actor, client: self_post(w.mine.draft),
        texts=MATRIX_TEXTS,
        show=lambda w: reverse("assessments:assessment-detail", args=[w.mine.draft.pk]),
    ),
    "assessments:assessment-submit": Case(
        kwargs=_pk("draft"),
        post=lambda w, actor, client: self_post(w.mine.draft),
        texts=MATRIX_TEXTS,
        show=lambda w: reverse("assessments:assessment-detail", args=[w.mine.draft.pk]),
    ),
    "assessments:assessment-recall": Case(
        kwargs=_pk("submitted"),
        post=lambda w, actor, client: {"version": str(w.mine.submitted.version)},
    ),
    "assessments:assessment-review": Case(
        kwargs=_pk("submitted"),
        post=lambda w, actor, client: review_post(w.mine.submitted),
        texts=REVIEW_TEXTS,
        show=lambda w: reverse("assessments:assessment-review", args=[w.mine.submitted.pk]),
    ),
    "assessments:assessment-finalize": Case(
        kwargs=_pk("submitted"),
        post=lambda w, actor, client: review_post(w.mine.submitted),
        texts=REVIEW_TEXTS,
        show=lambda w: reverse("assessments:assessment-review", args=[w.mine.submitted.pk]),
    ),
    "assessments:assessment-return": Case(
        kwargs=_pk("submitted"),
        post=lambda w, actor, client: review_post(
            w.mine.submitted, return_note="Add evidence for the site category, please."
        ),
        texts=REVIEW_TEXTS,
        show=lambda w: reverse("assessments:assessment-review", args=[w.mine.submitted.pk]),
    ),
    "assessments:assessment-history": Case(kwargs=_pk("submitted")),
    "dashboards:flag-thresholds": Case(
        post=lambda w, actor, client: {k: str(v) for k, v in threshold_defaults().items()}
    ),
    "dashboards:flag-thresholds-reset": Case(post=lambda w, a, c: {}),
    # Growth.
    "growth:profile-growth": Case(kwargs=_pk("profile")),
    "growth:goal-create": Case(
        kwargs=_pk("profile"),
        post=lambda w, actor, client: goal_post(
            indicator=str(_site_indicator(w.mine)), supports=[str(w.mine.support.pk)]
        ),
        texts=("notes",),
        ids=("indicator", "supports"),
        foreign=lambda w: {
            "indicator": Indicator.objects.filter(category__version=w.theirs.published).first().pk,
            "supports": w.theirs.support.pk,
        },
        show=lambda w: reverse("growth:goal-update", args=[w.mine.goal.pk]),
    ),
    "growth:support-create": Case(
        kwargs=_pk("profile"),
        post=lambda w, actor, client: support_post(goals=[str(w.mine.goal.pk)]),
        texts=("title", "notes"),
        ids=("mentor", "goals"),
        foreign=lambda w: {"mentor": w.users["other_admin"].pk, "goals": w.theirs.goal.pk},
        show=lambda w: reverse("growth:profile-growth", args=[w.mine.profile.pk]),
    ),
    "growth:support-attach": Case(
        kwargs=lambda w: {"pk": w.mine.profile.pk, "entry_pk": w.mine.entry.pk},
        post=lambda w, actor, client: {"goal": str(w.mine.goal.pk)},
        ids=("goal",),
        foreign=lambda w: {"goal": w.theirs.goal.pk},
    ),
    "growth:promotion-create": Case(
        kwargs=_pk("profile"),
        post=lambda w, actor, client: {
            "to_stage": str(w.mine.stages[1].pk),
            "effective_on": TODAY.isoformat(),
            "note": "Leads the site team.",
        },
        texts=("note",),
        ids=("to_stage",),
        foreign=lambda w: {"to_stage": w.theirs.stages[1].pk},
        show=lambda w: reverse("growth:profile-growth", args=[w.mine.profile.pk]),
    ),
    "growth:goal-update": Case(
        kwargs=_pk("goal"),
        post=lambda w, actor, client: goal_post(
            notes="Monthly, with an agenda.", supports=[str(w.mine.support.pk)]
        ),
        texts=("notes",),
        ids=("indicator", "supports"),
        foreign=lambda w: {
            "indicator": Indicator.objects.filter(category__version=w.theirs.published).first().pk,
            "supports": w.theirs.support.pk,
        },
        show=lambda w: reverse("growth:goal-update", args=[w.mine.goal.pk]),
    ),
    "growth:goal-status": Case(
        kwargs=_pk("goal"), post=lambda w, actor, client: {"status": "met"}, texts=("status",)
    ),
    "growth:goal-delete": Case(kwargs=_pk("goal"), post=lambda w, a, c: {}),
    "growth:support-update": Case(
        kwargs=_pk("support"),
        post=lambda w, actor, client: support_post(
            title="Facilitation course, part 2", goals=[str(w.mine.goal.pk)]
        ),
        texts=("title", "notes"),
        ids=("mentor", "goals"),
        foreign=lambda w: {"mentor": w.users["other_admin"].pk, "goals": w.theirs.goal.pk},
        show=lambda w: reverse("growth:profile-growth", args=[w.mine.profile.pk]),
    ),
    "growth:support-delete": Case(kwargs=_pk("support"), post=lambda w, a, c: {}),
    "growth:mentee-list": Case(),
    "growth:stage-list": Case(),
    "growth:stage-create": Case(
        post=lambda w, actor, client: stage_post(),
        texts=("title",),
        show=lambda w: reverse("growth:stage-list"),
    ),
    "growth:stage-update": Case(
        kwargs=_pk("free_stage"),
        post=lambda w, actor, client: stage_post(title="Fellow (renamed)", order="9"),
        texts=("title",),
        show=lambda w: reverse("growth:stage-list"),
    ),
    "growth:stage-delete": Case(kwargs=_pk("free_stage"), post=lambda w, a, c: {}),
    "growth:catalogue-list": Case(),
    "growth:catalogue-create": Case(
        post=lambda w, actor, client: catalogue_post(),
        texts=("title", "description"),
        show=lambda w: reverse("growth:catalogue-list"),
    ),
    "growth:catalogue-update": Case(
        kwargs=lambda w: {"pk": w.mine.entry.pk},
        post=lambda w, actor, client: catalogue_post(title="Working with principals, again"),
        texts=("title", "description"),
        show=lambda w: reverse("growth:catalogue-list"),
    ),
    "growth:catalogue-delete": Case(
        kwargs=lambda w: {"pk": w.mine.entry.pk}, post=lambda w, a, c: {}
    ),
}


def url_of(world: World, name: str, kwargs: dict | None = None, query: dict | None = None) -> str:
    case = CASES[name]
    url = reverse(name, kwargs=case.kwargs(world) if kwargs is None else kwargs)
    query = case.query(world) if query is None else query
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query, doseq=True)
    return url


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
            table
            for app in APPS
            for model in apps.get_app_config(app).get_models(include_auto_created=True)
            for table in [model._meta.db_table]
        }
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
        )
        return dict(zip(tables, cursor.fetchone(), strict=True))
