import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from assessments.models import Assessment, CategoryScore, Rating
from coordinators.models import CoordinatorProfile, Organization, Role, School, Team, User


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not Organization.objects.exists()


def test_seed_demo_builds_every_role_and_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (
        User.objects.count(),
        Assessment.objects.count(),
        Rating.objects.count(),
        CategoryScore.objects.count(),
    )
    call_command("seed_demo")
    assert counts == (
        User.objects.count(),
        Assessment.objects.count(),
        Rating.objects.count(),
        CategoryScore.objects.count(),
    )

    demo = Organization.objects.get(slug="demo")
    roles = {
        role: User.objects.filter(organization=demo, memberships__role=role).count()
        for role in Role.values
    }
    assert roles["admin"] == 1 and roles["director"] == 3 and roles["coordinator"] >= 24
    assert School.objects.filter(organization=demo).count() == 12
    assert Team.objects.filter(organization=demo).count() == 3
    assert set(demo.role_families.values_list("name", flat=True)) == {
        "Community school coordinator",
        "Instructional coach",
    }
    assert demo.cycles.filter(state="closed").count() == 4
    assert demo.cycles.filter(state="open").count() == 1
    open_states = set(
        Assessment.objects.filter(cycle__organization=demo, cycle__state="open").values_list(
            "state", flat=True
        )
    )
    assert open_states == {"draft", "submitted", "returned", "finalized"}
    # The second organization exists with its own admin and none of the demo people.
    other = Organization.objects.get(slug="riverside")
    assert User.objects.get(email="other-admin@example.org").organization == other
    assert not CoordinatorProfile.objects.filter(organization=other, team__organization=demo)


def test_seed_demo_stories_show_the_gaps(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")

    def latest_finalized(email):
        a = (
            Assessment.objects.filter(coordinator__user__email=email, state="finalized")
            .order_by("-cycle__opens_on")
            .first()
        )
        return {s.category_key: s for s in a.category_scores.all()}

    strong_at_weak_site = latest_finalized("demo-coordinator-2@example.org")
    assert strong_at_weak_site["coordinator"].supervisor_level == 3
    assert strong_at_weak_site["site"].supervisor_level == 1
    disagree = latest_finalized("demo-coordinator-4@example.org")
    assert any(s.self_level != s.supervisor_level for s in disagree.values())


def test_seed_demo_scales_up(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", coordinators=70, cycles=3)
    demo = Organization.objects.get(slug="demo")
    assert demo.profiles.count() == 71  # 70 coordinators and a director who self-assesses
    assert demo.teams.count() == 3
    assert demo.cycles.count() == 4


def test_seed_demo_gives_the_growth_pages_something_to_show(db, settings, client):
    from growth.models import Goal, Support

    settings.DEBUG = True
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    assert Goal.objects.filter(coordinator__organization=demo).count() >= 4
    assert Goal.objects.filter(supports__catalog_entry__isnull=False).exists()
    mentor = User.objects.get(email="demo-coordinator-8@example.org")
    mentees = Support.objects.filter(mentor=mentor).values_list(
        "coordinator__user__email", flat=True
    )
    assert sorted(mentees) == ["demo-coordinator-1@example.org", "demo-coordinator-6@example.org"]
    client.force_login(mentor)
    page = client.get("/growth/mentees/").content.decode()
    assert User.objects.get(email="demo-coordinator-1@example.org").display_name in page


def test_seed_demo_writes_what_the_workflow_writes(db, settings):
    """Reviewed by each coordinator's director, with the history of each move and the scores
    the product computes."""
    from assessments.services import category_scores_refresh

    settings.DEBUG = True
    call_command("seed_demo")
    finalized = Assessment.objects.filter(
        cycle__organization__slug="demo", state="finalized"
    ).select_related("coordinator__team")
    assert finalized.count() > 24
    for assessment in finalized:
        assert assessment.finalized_by_id == assessment.coordinator.team.director_id
        moves = list(assessment.history.order_by("history_id").values_list("history_type", "state"))
        assert moves == [("+", "draft"), ("~", "submitted"), ("~", "submitted"), ("~", "finalized")]
    rated = Rating.objects.filter(self_level__isnull=False).select_related(
        "assessment__coordinator"
    )
    for rating in rated[:50]:
        assert rating.history.filter(history_user=rating.assessment.coordinator.user_id).exists()
    scores = sorted(
        CategoryScore.objects.values_list(
            "assessment", "category_key", "self_level", "supervisor_level"
        )
    )
    for assessment in Assessment.objects.all():
        category_scores_refresh(assessment=assessment)
    assert (
        sorted(
            CategoryScore.objects.values_list(
                "assessment", "category_key", "self_level", "supervisor_level"
            )
        )
        == scores
    )


@pytest.mark.django_db(transaction=True)
def test_seed_demo_emails_nobody(settings):
    settings.DEBUG = True
    call_command("seed_demo", coordinators=8, cycles=1, stdout=io.StringIO())
    assert Assessment.objects.filter(state="submitted").exists()
    assert mail.outbox == []
