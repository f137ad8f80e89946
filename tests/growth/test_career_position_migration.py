"""The migration that moves each profile's career stage and its date to a career position
keeps every person's stage, date and history of stage changes, and gives them back when
reversed."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from growth.models import CareerPosition

BEFORE = [
    ("coordinators", "0003_profiles_point_at_growth_career_stages"),
    ("growth", "0002_take_over_career_stage_tables"),
]
T0 = datetime(2024, 1, 5, 9, tzinfo=UTC)


def migrate(targets):
    """Migrate the test database to ``targets``; the models of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_world(apps):
    """Three profiles at the previous state: one with a stage and a history of changes, one
    with a stage and no history (bulk created), one without a stage."""
    model = apps.get_model
    org = model("coordinators", "Organization").objects.create(name="Old", slug="old")
    family = model("coordinators", "RoleFamily").objects.create(organization=org, name="CSC")
    first, second = (
        model("growth", "CareerStage").objects.create(organization=org, title=title, order=n)
        for n, title in enumerate(["Coordinator I", "Coordinator II"], start=1)
    )
    user = model("coordinators", "User")
    director = user.objects.create(email="director@old.org", organization=org)
    profile = model("coordinators", "CoordinatorProfile")
    people = {
        name: profile.objects.create(
            user=user.objects.create(email=f"{name}@old.org", organization=org),
            organization=org,
            role_family=family,
            role_start_date=date(2020, 8, 1),
        )
        for name in ("promoted", "bulk", "unplaced")
    }
    promoted = people["promoted"]
    history = model("coordinators", "HistoricalCoordinatorProfile")
    for hours, kind, stage, since, by in [
        (0, "+", None, None, None),
        (1, "~", first, date(2021, 8, 1), director),
        (2, "~", first, date(2021, 8, 1), None),  # another field changed
        (3, "~", second, date(2023, 8, 1), director),
    ]:
        history.objects.create(
            id=promoted.pk,
            user_id=promoted.user_id,
            role_family_id=family.pk,
            role_start_date=promoted.role_start_date,
            active=True,
            career_stage=stage,
            stage_since=since,
            history_date=T0 + timedelta(hours=hours),
            history_type=kind,
            history_user=by,
        )
    profile.objects.filter(pk=promoted.pk).update(career_stage=second, stage_since=date(2023, 8, 1))
    profile.objects.filter(pk=people["bulk"].pk).update(career_stage=first)
    return people, first, second, director


@pytest.mark.django_db(transaction=True)  # SQLite changes its schema only outside a transaction
def test_positions_take_over_each_profiles_stage_and_history_and_give_them_back():
    people, first, second, director = old_world(migrate(BEFORE))

    migrate(latest())

    positions = {p.profile_id: p for p in CareerPosition.objects.all()}
    promoted, bulk, unplaced = (people[name].pk for name in ("promoted", "bulk", "unplaced"))
    assert set(positions) == {promoted, bulk}
    assert (positions[promoted].stage_id, positions[promoted].since) == (
        second.pk,
        date(2023, 8, 1),
    )
    assert (positions[bulk].stage_id, positions[bulk].since) == (first.pk, None)
    changes = positions[promoted].history.order_by("history_date")
    assert [(h.history_type, h.stage_id, h.history_user_id, h.history_date) for h in changes] == [
        ("+", first.pk, director.pk, T0 + timedelta(hours=1)),
        ("~", second.pk, director.pk, T0 + timedelta(hours=3)),
    ]
    assert [(h.history_type, h.stage_id) for h in positions[bulk].history.all()] == [
        ("+", first.pk)
    ]

    old = migrate(BEFORE)
    restored = old.get_model("coordinators", "CoordinatorProfile").objects.in_bulk()
    assert (restored[promoted].career_stage_id, restored[promoted].stage_since) == (
        second.pk,
        date(2023, 8, 1),
    )
    assert (restored[bulk].career_stage_id, restored[unplaced].career_stage_id) == (first.pk, None)
    migrate(latest())
