"""The coordinator's timeline: everything newest first, by kind, paged, printable, in a fixed
number of queries whatever its length."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.selectors.timeline import coordinator_timeline
from growth.check_in_services import check_in_create
from growth.models import CareerStage
from growth.services import goal_create, goal_status_set, promotion_record, support_create
from tests.dashboards.dashboard_data import assess, past_cycles
from tests.factories import ProfileFactory, mentoring_match


def _events(today, profile, director, cycles, n: int):
    for k in range(n):
        check_in_create(profile=profile, actor=director, held_on=today - timedelta(days=k))
        goal = goal_create(
            profile=profile,
            actor=director,
            category_key="site",
            target_level=2,
            target_date=today + timedelta(days=30 + k),
        )
        goal_status_set(goal=goal, status="met")
        support_create(profile=profile, actor=director, kind="pd", title=f"Course {k}", hours=2)


def test_everything_newest_first_with_levels_in_words(
    org, team, profile, director, other_team, today
):
    (past,) = past_cycles(org, 1)
    assess(profile, past, (3, 1, 2, 2))
    mentor = ProfileFactory(team=other_team).user
    mentoring_match(
        mentee=profile,
        mentor=mentor,
        starts_on=today - timedelta(days=40),
        ends_on=today - timedelta(days=5),
    )
    stages = list(CareerStage.objects.filter(organization=org).order_by("order"))
    promotion_record(
        profile=profile, to_stage=stages[1], effective_on=today - timedelta(days=2), actor=director
    )
    _events(today, profile, director, [past], 1)
    timeline = coordinator_timeline(profile=profile)
    entries = timeline.page.object_list
    days = [e.day for e in entries]
    assert days == sorted(days, reverse=True)
    kinds = {e.kind_label for e in entries}
    assert {"Review", "Check-in", "Goal set", "Goal met", "Support", "Mentoring", "Promotion"} <= (
        kinds
    )
    review = next(e for e in entries if e.kind_label == "Review")
    assert "Coordinator Expert; School site Novice" in review.lines[0]
    titles = [e.title for e in entries if e.kind == "match"]
    assert titles == [
        f"Mentoring with {mentor.display_name} ended",
        f"Mentoring with {mentor.display_name} began",
    ]


def test_filter_by_kind_and_pages(org, profile, director, today):
    _events(today, profile, director, [], 30)
    only = coordinator_timeline(profile=profile, kind="check_in")
    assert {e.kind for e in only.page.object_list} == {"check_in"}
    assert only.page.paginator.count == 30
    assert len(only.page.object_list) == 25
    second = coordinator_timeline(profile=profile, kind="check_in", page="2")
    assert len(second.page.object_list) == 5
    assert coordinator_timeline(profile=profile, kind="nonsense").kind == ""


def test_the_timeline_page_is_a_fixed_number_of_queries_whatever_its_length(
    django_assert_max_num_queries, client_for, org, profile, director, today
):
    (past, older) = past_cycles(org, 2)
    client = client_for(profile.user)
    url = reverse("dashboards:coordinator-timeline", args=[profile.pk])
    _events(today, profile, director, [], 2)
    assess(profile, past)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _events(today, profile, director, [], 20)
    assess(profile, older)
    with django_assert_max_num_queries(len(few)):
        page = client.get(url + "?print=1").content.decode()
    assert page.count('class="timeline-entry') == 22 * 4 + 2  # four a round, two reviews
    assert "Printable version" not in page and "data-print-page" in page


def test_someone_outside_the_coordinators_reach_gets_a_404(client_for, profile, teammate):
    url = reverse("dashboards:coordinator-timeline", args=[profile.pk])
    assert client_for(teammate.user).get(url).status_code == 404


def test_the_coordinators_partnership_agreements_are_on_their_timeline(org, team, profile, today):
    from schoolsites.services import GoalInput, agreement_create
    from tests.factories import SchoolFactory

    school = SchoolFactory(organization=org, name="Lincoln Elementary")
    profile.schools.add(school)
    year = org.school_year_of(today)
    agreement_create(
        school=school,
        school_year=year.start_year,
        actor=team.director,
        fields={"principal_name": "P", "principal_email": "p@x.org"},
        goals=[GoalInput("Attendance up")],
    )
    timeline = coordinator_timeline(profile=profile, kind="agreement")
    (entry,) = list(timeline.page)
    assert entry.title == f"Partnership agreement {year.label} at Lincoln Elementary"
    assert entry.day == year.starts and entry.lines == ("Draft",)
