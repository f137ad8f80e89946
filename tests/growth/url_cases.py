"""How the access table and the hostile-input tests reach the growth pages: a coordinator's
goals, supports and promotions, the mentor's list, and the org admin's career stages and
support catalogue."""

from datetime import timedelta

from django.urls import reverse

from rubrics.models import Indicator
from tests.access_world import TODAY, UrlCase, no_fields, pk_of

GOAL_IDS = ("indicator", "supports")
SUPPORT_IDS = ("mentor", "goals")


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


def _site_indicator(objects) -> int:
    return (
        Indicator.objects.filter(category__version=objects.published, category__key="site")
        .order_by("pk")
        .first()
        .pk
    )


def _goal_create_post(world, actor, client) -> dict:
    return goal_post(
        indicator=str(_site_indicator(world.mine)), supports=[str(world.mine.support.pk)]
    )


def _goal_foreign(world) -> dict:
    indicator = Indicator.objects.filter(category__version=world.theirs.published).first()
    return {"indicator": indicator.pk, "supports": world.theirs.support.pk}


def _support_foreign(world) -> dict:
    return {"mentor": world.users["other_admin"].pk, "goals": world.theirs.goal.pk}


def _promotion_post(world, actor, client) -> dict:
    return {
        "to_stage": str(world.mine.stages[1].pk),
        "effective_on": TODAY.isoformat(),
        "note": "Leads the site team.",
    }


def _growth_page(world) -> str:
    return reverse("growth:profile-growth", args=[world.mine.profile.pk])


def _goal_page(world) -> str:
    return reverse("growth:goal-update", args=[world.mine.goal.pk])


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
        post=lambda world, actor, client: support_post(goals=[str(world.mine.goal.pk)]),
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
            notes="Monthly, with an agenda.", supports=[str(world.mine.support.pk)]
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
            title="Facilitation course, part 2", goals=[str(world.mine.goal.pk)]
        ),
        texts=("title", "notes"),
        ids=SUPPORT_IDS,
        foreign=_support_foreign,
        show=_growth_page,
        edits=lambda world: world.mine.support,
    ),
    UrlCase("growth:support-delete", kwargs=pk_of("support"), post=no_fields),
    UrlCase("growth:mentee-list"),
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
