"""Two people saving the same goal from forms read at the same version, at the same instant,
on real PostgreSQL: one save wins, the other is refused whole, nothing is mixed."""

from datetime import timedelta

from django.utils import timezone

from coordinators.versioning import StaleEdit
from growth.models import Goal
from growth.services import goal_create, goal_status_set, goal_update
from tests.races import ON_POSTGRESQL, race

pytestmark = ON_POSTGRESQL


def test_two_saves_of_one_goal_at_the_same_version(profile, director):
    later = timezone.localdate() + timedelta(days=90)
    goal = goal_create(
        profile=profile,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=later - timedelta(days=50),
    )
    for round_number in range(6):
        read = Goal.objects.get(pk=goal.pk)

        def save(version=read.version, **fields):
            return lambda: goal_update(
                goal=Goal.objects.get(pk=goal.pk), expected_version=version, **fields
            )

        note = f"Coordinator's note {round_number}"
        outcomes = race(
            save(notes=note, target_date=read.target_date),
            save(notes=read.notes, target_date=later + timedelta(days=round_number)),
        )
        assert sum(isinstance(o, StaleEdit) for o in outcomes) == 1, outcomes
        saved = Goal.objects.get(pk=goal.pk)
        assert saved.version == read.version + 1  # ``read`` is never handed to a save
        won_note = not isinstance(outcomes[0], StaleEdit)
        assert (saved.notes == note) == won_note
        assert (saved.target_date == read.target_date) == won_note


def test_a_status_change_racing_an_edit_is_never_undone(profile, director):
    goal = goal_create(
        profile=profile,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=timezone.localdate() + timedelta(days=30),
    )
    for _round in range(6):
        read = Goal.objects.get(pk=goal.pk)
        other = "met" if read.status == "open" else "open"
        outcomes = race(
            lambda read=read, other=other: goal_status_set(goal=read, status=other),
            lambda read=read: goal_update(
                goal=Goal.objects.get(pk=goal.pk),
                expected_version=read.version,
                status=read.status,
                notes=f"{read.notes}+",
            ),
        )
        saved = Goal.objects.get(pk=goal.pk)
        assert saved.status == other, outcomes
        if isinstance(outcomes[1], StaleEdit):
            assert saved.notes == read.notes
        else:
            assert saved.notes == f"{read.notes}+"
