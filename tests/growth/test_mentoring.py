"""Mentoring matches: who needs a mentor, the suggested mentors, confirming a match (capacity,
the director, emails), My mentees, and moving the old mentoring supports into matches."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, CategoryScore
from coordinators.models import CoordinatorProfile
from growth.check_in_services import check_in_create
from growth.mentoring_selectors import mentor_suggestions, needing_a_mentor
from growth.mentoring_services import match_create, match_end, mentor_need_set, programme_of
from growth.models import CareerPosition, CareerStage, MentoringMatch, MentorOffer, Support
from growth.services import GrowthError
from tests.factories import (
    AssessmentFactory,
    CycleFactory,
    ProfileFactory,
    SchoolFactory,
    mentoring_match,
)


def finalized_levels(today, profile, levels: dict[str, int]):
    cycle = CycleFactory(organization=profile.organization, opens_on=today - timedelta(days=300))
    assessment = AssessmentFactory(
        coordinator=profile, cycle=cycle, state=Assessment.State.FINALIZED
    )
    CategoryScore.objects.filter(assessment=assessment).delete()
    CategoryScore.objects.bulk_create(
        CategoryScore(assessment=assessment, category_key=key, self_level=v, supervisor_level=v)
        for key, v in levels.items()
    )


def at_stage(profile, order: int):
    stage = CareerStage.objects.filter(organization=profile.organization).order_by("order")[order]
    CareerPosition.objects.update_or_create(profile=profile, defaults={"stage": stage})
    return stage


@pytest.fixture
def programme(org):
    programme = programme_of(org)
    programme.mentor_stages.set(CareerStage.objects.filter(organization=org).order_by("order")[2:])
    return programme


def test_suggestions_rank_by_the_documented_score_and_say_why(
    org, team, other_team, profile, director, programme, today
):
    profile.schools.set([SchoolFactory(organization=org, level="middle", setting="rural")])
    finalized_levels(
        today, profile, {"coordinator": 2, "site": 1, "organization": 2, "development": 1}
    )
    strong = ProfileFactory(team=other_team, user__first_name="Ana", user__last_name="Strong")
    strong.schools.set([SchoolFactory(organization=org, level="middle", setting="urban")])
    finalized_levels(
        today, strong, {"coordinator": 3, "site": 3, "organization": 3, "development": 2}
    )
    plain = ProfileFactory(team=other_team, user__first_name="Bo", user__last_name="Plain")
    plain.schools.set([SchoolFactory(organization=org, level="high", setting="suburban")])
    for mentor in (strong, plain):
        at_stage(mentor, 2)
    at_stage(ProfileFactory(team=other_team), 0)  # not at a mentoring stage: never suggested
    MentorOffer.objects.create(user=director)  # their own director offers: never suggested

    page = mentor_suggestions(profile=profile, programme=programme)
    assert [s.name for s in page.suggestions] == ["Ana Strong", "Bo Plain"]
    best = page.suggestions[0]
    assert best.score == 3 + 2 + 2  # Expert where Novice (site), middle schools, family
    assert best.reasons[0] == "Expert where the mentee is Novice: School site"
    assert "Works at middle schools too" in best.reasons
    assert all(s.user_id != director.pk for s in page.suggestions)


def test_the_suggestions_page_is_a_fixed_number_of_queries(
    django_assert_max_num_queries, client_for, org, other_team, profile, director, programme, today
):
    def grow(n):
        for _ in range(n):
            mentor = ProfileFactory(team=other_team)
            at_stage(mentor, 2)
            mentor.schools.add(SchoolFactory(organization=org))
            finalized_levels(today, mentor, {"coordinator": 3, "site": 3})
            mentoring_match(mentee=ProfileFactory(team=other_team), mentor=mentor.user)

    client = client_for(director)
    url = reverse("growth:mentor-suggestions", args=[profile.pk])
    grow(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(12)
    with django_assert_max_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert page.count('class="card mb-3 suggestion"') == 14


def test_a_match_is_confirmed_emailed_and_respects_capacity_and_the_director(
    org,
    team,
    other_team,
    profile,
    teammate,
    director,
    programme,
    mailoutbox,
    django_capture_on_commit_callbacks,
    today,
):
    mentor = ProfileFactory(team=other_team).user
    with pytest.raises(GrowthError, match="director"):
        match_create(mentee=profile, mentor=director, actor=director, starts_on=today)
    with pytest.raises(GrowthError, match="own mentor"):
        match_create(mentee=profile, mentor=profile.user, actor=director, starts_on=today)
    with django_capture_on_commit_callbacks(execute=True):
        match = match_create(mentee=profile, mentor=mentor, actor=director, starts_on=today)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([mentor.email, profile.user.email])
    assert any(
        f"You are now mentoring {profile.user.display_name}" == m.subject for m in mailoutbox
    )
    with pytest.raises(GrowthError, match="already mentors"):
        match_create(mentee=profile, mentor=mentor, actor=director, starts_on=today)
    match_create(mentee=teammate, mentor=mentor, actor=director, starts_on=today)
    third = ProfileFactory(team=team)
    with pytest.raises(GrowthError, match="capacity"):
        match_create(mentee=third, mentor=mentor, actor=director, starts_on=today)
    match_end(match=match, ends_on=today, actor=director)
    # Ended today still counts today; from tomorrow the place is free.
    match_create(mentee=third, mentor=mentor, actor=director, starts_on=today + timedelta(days=1))


def test_who_needs_a_mentor(org, team, profile, teammate, director, today):
    veteran = ProfileFactory(team=team, role_start_date=today - timedelta(days=900))
    gap = ProfileFactory(team=team, role_start_date=today - timedelta(days=900))
    finalized_levels(today, gap, {"development": 1})
    chosen = ProfileFactory(team=team, role_start_date=today - timedelta(days=900))
    mentor_need_set(profile=chosen, needed=True, actor=director)
    new = ProfileFactory(team=team, role_start_date=today - timedelta(days=30))
    matched = ProfileFactory(team=team, role_start_date=today - timedelta(days=30))
    mentoring_match(mentee=matched, mentor=director)
    found = set(needing_a_mentor(CoordinatorProfile.objects.filter(team=team)))
    assert {gap, chosen, new} <= found
    assert veteran not in found and matched not in found


def test_director_confirms_from_the_suggestions_page_and_the_mentor_sees_the_mentee(
    client_for, org, other_team, profile, director, programme, today
):
    mentor = ProfileFactory(team=other_team)
    at_stage(mentor, 2)
    client = client_for(director)
    page = client.get(reverse("growth:mentor-suggestions", args=[profile.pk])).content.decode()
    assert mentor.user.display_name in page
    response = client.post(
        reverse("growth:match-create", args=[profile.pk]),
        {"mentor": str(mentor.user_id), "starts_on": today.isoformat(), "notes": "Year one"},
    )
    assert response.status_code == 302
    assert MentoringMatch.objects.get(mentee=profile).mentor == mentor.user
    check_in_create(profile=profile, actor=mentor.user, held_on=today)
    mentees = client_for(mentor.user).get(reverse("growth:mentee-list")).content.decode()
    assert profile.user.display_name in mentees
    assert "Last check-in" in mentees and "Log a check-in" in mentees


def test_my_mentees_is_a_fixed_number_of_queries(
    django_assert_max_num_queries, client_for, org, team, other_team, director, today
):
    mentor = ProfileFactory(team=other_team).user

    def grow(n):
        for _ in range(n):
            mentee = ProfileFactory(team=team)
            mentoring_match(mentee=mentee, mentor=mentor)
            check_in_create(profile=mentee, actor=mentor, held_on=today)

    client = client_for(mentor)
    url = reverse("growth:mentee-list")
    grow(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    grow(10)
    with django_assert_max_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert page.count("Log a check-in") == 12


def test_offering_to_mentor_puts_someone_among_the_candidates(client_for, profile, other_team, org):
    volunteer = ProfileFactory(team=other_team).user
    client_for(volunteer).post(reverse("growth:mentor-offer"), {"willing": "1"})
    assert MentorOffer.objects.filter(user=volunteer).exists()
    names = [
        s.user_id
        for s in mentor_suggestions(profile=profile, programme=programme_of(org)).suggestions
    ]
    assert names == [volunteer.pk]
    client_for(volunteer).post(reverse("growth:mentor-offer"), {"willing": "0"})
    assert not MentorOffer.objects.exists()


def test_old_mentoring_supports_become_matches_with_their_dates(
    profile, director, other_team, today
):
    migration = import_module("growth.migrations.0006_mentoring_supports_become_matches")
    mentor = ProfileFactory(team=other_team).user
    started = today - timedelta(days=400)
    support = Support.objects.create(
        coordinator=profile,
        kind="mentoring",
        title="Mentoring with Mina",
        mentor=mentor,
        starts_on=started,
        notes="Monthly calls",
        created_by=director,
    )
    migration.supports_to_matches(apps, None)
    assert not Support.objects.filter(pk=support.pk).exists()
    match = MentoringMatch.objects.get(mentee=profile)
    assert (match.mentor, match.starts_on, match.ends_on) == (mentor, started, None)
    assert "Monthly calls" in match.notes
    migration.matches_to_supports(apps, None)
    back = Support.objects.get(coordinator=profile, kind="mentoring")
    assert (back.mentor, back.starts_on) == (mentor, started)
