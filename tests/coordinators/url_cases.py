"""How the access table and the hostile-input tests reach the org admin's schools, teams and
people."""

from datetime import timedelta

from django.urls import reverse

from coordinators.models import Membership, Role, School
from tests.access_world import UrlCase, no_fields, pk_of, version_of

PERSON_TEXTS = ("email", "first_name", "last_name", "job_title")
PERSON_IDS = ("role_family", "team", "schools")


def _first_school(objects) -> School:
    return School.objects.filter(organization=objects.org).order_by("pk").first()


def _first_school_pk(world) -> dict:
    return {"pk": _first_school(world.mine).pk}


def _coordinator_pk(world) -> dict:
    return {"pk": world.mine.profile.user.pk}


def school_post(**changes) -> dict:
    return {"name": "Harbor Middle", "level": "middle", "setting": "urban"} | changes


def team_post(objects, **changes) -> dict:
    return {"name": "North", "director": str(objects.team.director_id)} | changes


def _team_foreign(world) -> dict:
    return {"director": world.theirs.team.director_id}


def person_post(today, objects, **changes) -> dict:
    """A new coordinator of the organization of ``objects``, on its team and first school."""
    data = {
        "email": "new.person@example.org",
        "first_name": "Maria",
        "last_name": "Lopez",
        "roles": ["coordinator"],
        "role_family": str(objects.family.pk),
        "team": str(objects.team.pk),
        "schools": [str(_first_school(objects).pk)],
        "role_start_date": (today - timedelta(days=400)).isoformat(),
        "job_title": "Community School Coordinator",
    }
    return data | changes


def _person_update_post(world, actor, client) -> dict:
    """The coordinator renamed, everything else as it is (roles are not part of the form)."""
    user = world.mine.profile.user
    data = person_post(
        world.today,
        world.mine,
        email=user.email,
        first_name="Casey",
        last_name=user.last_name,
        schools=[str(pk) for pk in world.mine.profile.schools.values_list("pk", flat=True)],
    )
    del data["roles"]
    return data


def _director_role_removed(world, actor, client) -> dict:
    """The coordinator also directs (undone with the request); the Director role goes."""
    Membership.objects.get_or_create(user=world.mine.profile.user, role=Role.DIRECTOR)
    return {"role": Role.DIRECTOR}


def _person_foreign(world) -> dict:
    return {
        "role_family": world.theirs.family.pk,
        "team": world.theirs.team.pk,
        "schools": _first_school(world.theirs).pk,
    }


CASES = [
    UrlCase("coordinators:school-list"),
    UrlCase(
        "coordinators:school-create",
        post=lambda world, actor, client: school_post(),
        texts=("name",),
        show=lambda world: reverse("coordinators:school-list"),
    ),
    UrlCase(
        "coordinators:school-update",
        kwargs=_first_school_pk,
        post=lambda world, actor, client: school_post(name="Harbor Middle (renamed)"),
        texts=("name",),
        show=lambda world: reverse("coordinators:school-list"),
        edits=lambda world: _first_school(world.mine),
    ),
    UrlCase("coordinators:school-deactivate", kwargs=_first_school_pk, post=no_fields),
    UrlCase("coordinators:school-reactivate", kwargs=_first_school_pk, post=no_fields),
    UrlCase("coordinators:team-list"),
    UrlCase(
        "coordinators:team-create",
        post=lambda world, actor, client: team_post(world.org_of(actor)),
        texts=("name",),
        ids=("director",),
        foreign=_team_foreign,
        show=lambda world: reverse("coordinators:team-list"),
    ),
    UrlCase(
        "coordinators:team-update",
        kwargs=pk_of("team"),
        post=lambda world, actor, client: team_post(world.mine, name="East Bay"),
        texts=("name",),
        ids=("director",),
        foreign=_team_foreign,
        show=lambda world: reverse("coordinators:team-list"),
        edits=lambda world: world.mine.team,
    ),
    UrlCase("coordinators:person-list", query=lambda world: {"role": "coordinator"}),
    UrlCase(
        "coordinators:person-create",
        post=lambda world, actor, client: person_post(world.today, world.org_of(actor)),
        texts=PERSON_TEXTS,
        ids=PERSON_IDS,
        foreign=_person_foreign,
        show=lambda world: reverse("coordinators:person-list"),
    ),
    UrlCase(
        "coordinators:person-update",
        kwargs=_coordinator_pk,
        post=_person_update_post,
        texts=PERSON_TEXTS,
        ids=PERSON_IDS,
        foreign=_person_foreign,
        show=lambda world: reverse("coordinators:person-list"),
        edits=lambda world: world.mine.profile.user,
    ),
    UrlCase(
        "coordinators:person-role-add",
        kwargs=_coordinator_pk,
        post=lambda world, actor, client: {"role": Role.DIRECTOR},
    ),
    UrlCase(
        "coordinators:person-role-remove",
        kwargs=_coordinator_pk,
        post=_director_role_removed,
    ),
    UrlCase("coordinators:person-deactivate", kwargs=_coordinator_pk, post=no_fields),
    UrlCase("coordinators:person-reactivate", kwargs=_coordinator_pk, post=no_fields),
    # The organization's settings: the day its school year starts (each admin their own).
    UrlCase(
        "coordinators:organization-settings",
        post=lambda world, actor, client: {
            "school_year_start_month": "9",
            "school_year_start_day": "1",
            "version": version_of(world.org_of(actor).org),
        },
        edits=lambda world: world.mine.org,
    ),
    # A picker's page of matches: the teams one, which directors and admins use.
    UrlCase(
        "coordinators:picker-options",
        kwargs=lambda world: {"source": "teams"},
        query=lambda world: {"q": "a", "page": "1"},
    ),
]
