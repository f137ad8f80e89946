"""How the access table and the hostile-input tests reach the growth pages: a coordinator's
goals, supports and promotions, the mentor's list, and the org admin's career stages and
support catalogue."""

from datetime import timedelta

from django.urls import reverse

from growth.models import CoachingAction
from rubrics.models import Indicator
from tests.access_world import UrlCase, no_fields, pk_of, version_of

GOAL_IDS = ("indicator", "supports")
SUPPORT_IDS = ("goals",)  # a mentor is a mentoring match, not a support


def goal_post(today, **changes) -> dict:
    data = {
        "category_key": "site",
        "target_level": "2",
        "target_date": (today + timedelta(days=60)).isoformat(),
        "status": "open",
        "notes": "Meet the principal monthly.",
    }
    return data | changes


def support_post(today, **changes) -> dict:
    data = {
        "kind": "pd",
        "title": "Restorative practices course",
        "starts_on": today.isoformat(),
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


def _site_indicator(objects) -> int:
    return (
        Indicator.objects.filter(category__version=objects.published, category__key="site")
        .order_by("pk")
        .first()
        .pk
    )


def _goal_create_post(world, actor, client) -> dict:
    return goal_post(
        world.today,
        indicator=str(_site_indicator(world.mine)),
        supports=[str(world.mine.support.pk)],
    )


def _goal_foreign(world) -> dict:
    indicator = Indicator.objects.filter(category__version=world.theirs.published).first()
    return {"indicator": indicator.pk, "supports": world.theirs.support.pk}


def _support_foreign(world) -> dict:
    return {"goals": world.theirs.goal.pk}


def _promotion_post(world, actor, client) -> dict:
    return {
        "to_stage": str(world.mine.stages[1].pk),
        "effective_on": world.today.isoformat(),
        "note": "Leads the site team.",
    }


def _growth_page(world) -> str:
    return reverse("growth:profile-growth", args=[world.mine.profile.pk])


def _goal_page(world) -> str:
    return reverse("growth:goal-update", args=[world.mine.goal.pk])


def check_in_post(world, actor, client, **changes) -> dict:
    """A check-in as its page sends it: the day, notes, a coaching action, progress on the
    coordinator's goal and one next step."""
    from tests.assessments.url_cases import next_steps_post

    goal = world.mine.goal
    action = CoachingAction.objects.filter(organization=world.mine.org).order_by("order").first()
    data = {
        "held_on": world.today.isoformat(),
        "participants": "The principal",
        "notes": "Planned the family night.",
        "coaching_actions": [str(action.pk)],
        f"goal_{goal.pk}_progress": "Met the principal twice.",
        f"goal_{goal.pk}_status": "",
        **next_steps_post(["Send the invitations"]),
    }
    return data | changes


def _check_in_foreign(world) -> dict:
    action = CoachingAction.objects.filter(organization=world.theirs.org).first()
    return {"coaching_actions": action.pk}


def _match_post(world, actor, client) -> dict:
    return {
        "mentor": str(world.mine.teammate.user_id),
        "starts_on": world.today.isoformat(),
        "ends_on": (world.today + timedelta(days=300)).isoformat(),
        "goals": [str(world.mine.goal.pk)],
        "notes": "First year at a new site.",
    }


def _programme_of(objects):
    from growth.mentoring_services import programme_of

    return programme_of(objects.org)


def _programme_post(world, actor, client) -> dict:
    objects = world.org_of(actor)
    return {
        "version": version_of(_programme_of(objects)),
        "mentor_stages": [str(objects.stages[-1].pk)],
        "capacity": "3",
        "starts_on": world.today.isoformat(),
        "ends_on": (world.today + timedelta(days=365)).isoformat(),
    }


CASES = [
    # A coordinator's growth: goals, supports, a suggestion attached, a promotion.
    UrlCase("growth:profile-growth", kwargs=pk_of("profile")),
    UrlCase(
        "growth:goal-create",
        kwargs=pk_of("profile"),
        post=_goal_create_post,
        texts=("notes",),
        ids=GOAL_IDS,
        foreign=_goal_foreign,
        show=_goal_page,
    ),
    UrlCase(
        "growth:support-create",
        kwargs=pk_of("profile"),
        post=lambda world, actor, client: support_post(
            world.today, goals=[str(world.mine.goal.pk)]
        ),
        texts=("title", "notes"),
        ids=SUPPORT_IDS,
        foreign=_support_foreign,
        show=_growth_page,
    ),
    UrlCase(
        "growth:support-attach",
        kwargs=lambda world: {"pk": world.mine.profile.pk, "entry_pk": world.mine.entry.pk},
        post=lambda world, actor, client: {"goal": str(world.mine.goal.pk)},
        ids=("goal",),
        foreign=lambda world: {"goal": world.theirs.goal.pk},
    ),
    UrlCase(
        "growth:promotion-create",
        kwargs=pk_of("profile"),
        post=_promotion_post,
        texts=("note",),
        ids=("to_stage",),
        foreign=lambda world: {"to_stage": world.theirs.stages[1].pk},
        show=_growth_page,
    ),
    UrlCase(
        "growth:goal-update",
        kwargs=pk_of("goal"),
        post=lambda world, actor, client: goal_post(
            world.today, notes="Monthly, with an agenda.", supports=[str(world.mine.support.pk)]
        ),
        texts=("notes",),
        ids=GOAL_IDS,
        foreign=_goal_foreign,
        show=_goal_page,
        edits=lambda world: world.mine.goal,
    ),
    UrlCase(
        "growth:goal-status",
        kwargs=pk_of("goal"),
        post=lambda world, actor, client: {"status": "met"},
        texts=("status",),
    ),
    UrlCase("growth:goal-delete", kwargs=pk_of("goal"), post=no_fields),
    UrlCase(
        "growth:support-update",
        kwargs=pk_of("support"),
        post=lambda world, actor, client: support_post(
            world.today, title="Facilitation course, part 2", goals=[str(world.mine.goal.pk)]
        ),
        texts=("title", "notes"),
        ids=SUPPORT_IDS,
        foreign=_support_foreign,
        show=_growth_page,
        edits=lambda world: world.mine.support,
    ),
    UrlCase("growth:support-delete", kwargs=pk_of("support"), post=no_fields),
    UrlCase("growth:mentee-list"),
    # Check-ins between the cycles.
    UrlCase("growth:check-in-list", kwargs=pk_of("profile")),
    UrlCase(
        "growth:check-in-create",
        kwargs=pk_of("profile"),
        post=check_in_post,
        texts=("participants", "notes", "goal_*"),
        ids=("coaching_actions",),
        foreign=_check_in_foreign,
        show=lambda world: reverse("growth:check-in-list", args=[world.mine.profile.pk]),
    ),
    UrlCase("growth:check-in-detail", kwargs=pk_of("check_in")),
    UrlCase(
        "growth:check-in-update",
        kwargs=pk_of("check_in"),
        post=lambda world, actor, client: check_in_post(
            world, actor, client, notes="Planned it, and the budget.", **{"step-INITIAL_FORMS": "1"}
        ),
        texts=("participants", "notes", "goal_*"),
        ids=("coaching_actions",),
        foreign=_check_in_foreign,
        show=lambda world: reverse("growth:check-in-detail", args=[world.mine.check_in.pk]),
        edits=lambda world: world.mine.check_in,
    ),
    UrlCase("growth:cadence-list"),
    UrlCase(
        "growth:cadence-update",
        kwargs=pk_of("team"),
        post=lambda world, actor, client: {"every_days": "30"},
    ),
    UrlCase(
        "growth:coaching-actions",
        post=lambda world, actor, client: {"actions": "Observed\nCo-planned\nWalked the site"},
        texts=("actions",),
        show=lambda world: reverse("growth:coaching-actions"),
    ),
    # Mentoring.
    UrlCase("growth:mentoring"),
    UrlCase(
        "growth:programme-update",
        post=_programme_post,
        ids=("mentor_stages",),
        foreign=lambda world: {"mentor_stages": world.theirs.stages[-1].pk},
        show=lambda world: reverse("growth:mentoring"),
        edits=lambda world: _programme_of(world.mine),
    ),
    UrlCase(
        "growth:mentor-offer",
        post=lambda world, actor, client: {"willing": "1"},
    ),
    UrlCase("growth:mentor-suggestions", kwargs=pk_of("profile")),
    UrlCase(
        "growth:match-create",
        kwargs=pk_of("profile"),
        post=_match_post,
        texts=("notes",),
        ids=("mentor", "goals"),
        foreign=lambda world: {
            "mentor": world.users["other_admin"].pk,
            "goals": world.theirs.goal.pk,
        },
    ),
    UrlCase(
        "growth:mentor-need",
        kwargs=pk_of("profile"),
        post=lambda world, actor, client: {"needed": "1"},
    ),
    UrlCase("growth:match-end", kwargs=pk_of("match"), post=no_fields),
    # The org admin's career stages and support catalogue.
    UrlCase("growth:stage-list"),
    UrlCase(
        "growth:stage-create",
        post=lambda world, actor, client: stage_post(),
        texts=("title",),
        show=lambda world: reverse("growth:stage-list"),
    ),
    UrlCase(
        "growth:stage-update",
        kwargs=pk_of("free_stage"),
        post=lambda world, actor, client: stage_post(title="Fellow (renamed)", order="9"),
        texts=("title",),
        show=lambda world: reverse("growth:stage-list"),
        edits=lambda world: world.mine.free_stage,
    ),
    UrlCase("growth:stage-delete", kwargs=pk_of("free_stage"), post=no_fields),
    UrlCase("growth:catalogue-list"),
    UrlCase(
        "growth:catalogue-create",
        post=lambda world, actor, client: catalogue_post(),
        texts=("title", "description"),
        show=lambda world: reverse("growth:catalogue-list"),
    ),
    UrlCase(
        "growth:catalogue-update",
        kwargs=pk_of("entry"),
        post=lambda world, actor, client: catalogue_post(title="Working with principals, again"),
        texts=("title", "description"),
        show=lambda world: reverse("growth:catalogue-list"),
        edits=lambda world: world.mine.entry,
    ),
    UrlCase("growth:catalogue-delete", kwargs=pk_of("entry"), post=no_fields),
]
