import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

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
    from datetime import timedelta

    from django.utils import timezone

    from dashboards.models import CoordinatorCycleRow
    from growth.mentoring_selectors import mentor_suggestions, needing_a_mentor
    from growth.mentoring_services import programme_of
    from growth.models import CheckIn, Goal, MentoringMatch, Support

    settings.DEBUG = True
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    assert Goal.objects.filter(coordinator__organization=demo).count() >= 4
    assert Goal.objects.filter(supports__catalog_entry__isnull=False).exists()
    mentor = User.objects.get(email="demo-coordinator-8@example.org")
    mentees = MentoringMatch.objects.filter(mentor=mentor).values_list(
        "mentee__user__email", flat=True
    )
    assert sorted(mentees) == ["demo-coordinator-1@example.org", "demo-coordinator-6@example.org"]
    client.force_login(mentor)
    page = client.get("/growth/mentees/").content.decode()
    assert User.objects.get(email="demo-coordinator-1@example.org").display_name in page
    assert "Last check-in" in page

    # Between cycles: three matches, a year of check-ins, one team falling behind, and
    # people who need a mentor with mentors to suggest; besides, the reports' mentored
    # coordinators, whose mentor is demo-coordinator-2.
    matches = MentoringMatch.objects.filter(mentee__organization=demo)
    reports_mentor = User.objects.get(email="demo-coordinator-2@example.org")
    assert matches.exclude(mentor=reports_mentor).count() == 3
    assert matches.filter(mentor=reports_mentor).count() >= 5
    assert not Support.objects.filter(kind="mentoring").exists()
    today = timezone.localdate()
    assert CheckIn.objects.filter(held_on__lt=today - timedelta(days=300)).exists()
    late = CoordinatorCycleRow.objects.filter(
        organization=demo, no_check_in_from__lte=today
    ).values_list("coordinator__team__name", flat=True)
    assert set(late) == {"Valley"}
    needing = list(needing_a_mentor(CoordinatorProfile.objects.filter(organization=demo)))
    assert needing
    page = mentor_suggestions(profile=needing[0], programme=programme_of(demo))
    assert page.suggestions


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


def test_seed_demo_dates_every_move_and_its_history_on_the_day_it_pretends(db, settings):
    """A past cycle was opened, filled in, finalized and closed on its own days, not today;
    each assessment's history starts with its creation and follows the moves in order."""
    from django.utils import timezone

    from assessments.models import AssessmentCycle
    from assessments.selectors.history import assessment_history

    settings.DEBUG = True
    call_command("seed_demo", coordinators=12, cycles=3, stdout=io.StringIO())
    today = timezone.localdate()
    local = timezone.localdate
    for cycle in AssessmentCycle.objects.filter(organization__slug="demo"):
        records = list(cycle.history.order_by("history_date", "history_id"))
        assert local(cycle.opened_at) == cycle.opens_on
        assert [r.history_type for r in records][0] == "+"
        assert {r.closes_on for r in records} == {cycle.closes_on}  # no invented change
        opened = [r for r in records if r.state == "open"][0]
        assert local(opened.history_date) == cycle.opens_on
        if cycle.state == "closed":
            [closed] = [r for r in records if r.state == "closed"]
            assert local(closed.history_date) == cycle.closes_on < today
        for assessment in cycle.assessments.all():
            moves = list(assessment.history.order_by("history_id"))
            dates = [m.history_date for m in moves]
            assert dates == sorted(dates)
            assert local(dates[0]) == cycle.opens_on == local(assessment.created_at)
            ratings = [
                r.history_date
                for r in assessment.ratings.model.history.filter(assessment_id=assessment.pk)
            ]
            assert all(dates[0] < when <= assessment.updated_at for when in ratings)
            assert assessment.updated_at == max([*dates, *ratings])
            stamps = [assessment.submitted_at, assessment.returned_at, assessment.finalized_at]
            for stamp in filter(None, stamps):
                assert stamp in dates and cycle.opens_on <= local(stamp) < today
            if cycle.state == "closed":
                assert local(assessment.finalized_at) < cycle.closes_on
        finalized = cycle.assessments.filter(state="finalized").first()
        if finalized is not None:
            entries = assessment_history(
                assessment=finalized, include_supervisor=True, include_coaching_notes=True
            )
            assert entries[-1].text.startswith("created the assessment")
            assert entries[0].text == "finalized the review"
            assert entries[0].when == finalized.finalized_at


def test_seed_demo_gives_people_goals_and_supports_a_history_dated_as_it_pretends(db, settings):
    """Each profile and career position starts its history on the day the demo says it began,
    goals and supports on the day they were agreed, in the name of who agreed them."""
    from django.utils import timezone

    from coordinators.change_history import profile_changes
    from growth.models import CareerPosition, Goal, Support
    from growth.selectors import career_position_changes

    settings.DEBUG = True
    call_command("seed_demo", coordinators=12, cycles=2, stdout=io.StringIO())
    local = timezone.localdate
    today = local()
    for profile in CoordinatorProfile.objects.filter(organization__slug="demo"):
        [created] = profile_changes(person=profile.user, latest=None).entries
        assert (created.action, local(created.when)) == ("created", profile.role_start_date)
        position = CareerPosition.objects.get(profile=profile)
        [placed] = career_position_changes(profile=profile, latest=None).entries
        assert (placed.action, local(placed.when)) == ("created", position.since)
    for row in [*Goal.objects.all(), *Support.objects.all()]:
        [record] = row.history.all()
        assert record.history_user_id == row.created_by_id
        assert record.history_date == row.created_at and local(row.created_at) < today


def test_seed_demo_shows_principals_views_and_prints_a_fresh_link_before_the_logins(
    db, settings, client
):
    """Principals answered on several past reviews, one seeing the site far below the
    coordinator's own view; each start prints a new link to a waiting request, which opens
    the principal's page without an account (and the earlier link no longer does)."""
    from assessments.models import FeedbackRequest
    from dashboards.models import CoordinatorCycleRow

    settings.DEBUG = True
    first = io.StringIO()
    call_command("seed_demo", stdout=first)
    answered = FeedbackRequest.objects.filter(
        assessment__cycle__organization__slug="demo", answered_at__isnull=False
    )
    assert answered.count() >= 4
    assert CoordinatorCycleRow.objects.filter(site_perception_from__isnull=False).exists()
    second = io.StringIO()
    call_command("seed_demo", stdout=second)
    links = [
        re.search(r"http://testserver(/principal/[\w-]+/)", out.getvalue()).group(1)
        for out in (first, second)
    ]
    text = second.getvalue()
    assert text.index("/principal/") < text.index("Demo logins")
    assert client.get(links[1]).status_code == 200
    assert client.get(links[0]).status_code == 404


def test_seed_demo_prints_a_working_api_token_and_keeps_an_example_sign_in(db, settings, client):
    """A new user tries the read API with the token ``make run`` prints; the sign-in page
    shows an example Google configuration that offers nobody anything until it is filled in."""
    from signin.models import IdentityProvider

    settings.DEBUG = True

    def printed_token():
        out = io.StringIO()
        call_command("seed_demo", coordinators=8, cycles=1, stdout=out)
        (line,) = [line for line in out.getvalue().splitlines() if "curl" in line]
        assert "/api/v1/assessments/?limit=2" in line
        return re.search(r"Bearer ([^']+)'", line).group(1)

    first = printed_token()
    response = client.get("/api/v1/assessments/?limit=2", HTTP_AUTHORIZATION=f"Bearer {first}")
    assert response.status_code == 200 and len(response.json()["results"]) == 2
    again = printed_token()
    assert again != first
    assert client.get("/api/v1/cycles/", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 401
    assert client.get("/api/v1/cycles/", HTTP_AUTHORIZATION=f"Bearer {again}").status_code == 200

    (example,) = IdentityProvider.objects.filter(organization__slug="demo")
    assert example.kind == "google" and not example.enabled
    assert not example.client_secret()
    looked_up = client.post(reverse("signin:lookup"), {"email": "someone@example.org"})
    assert "Continue with Google" not in looked_up.content.decode()
