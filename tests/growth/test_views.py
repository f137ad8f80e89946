"""Growth pages: works for the right people, 404 outside their reach, 403 for a role that
may look but not act."""

from datetime import timedelta

import pytest
from django.urls import reverse

from growth.models import CareerStage, Goal, Promotion, Support, SupportCatalogEntry
from growth.services import career_position_set, goal_create, support_create
from tests.factories import ProfileFactory, UserFactory, mentoring_match


@pytest.fixture
def goal(profile, director, today):
    return goal_create(
        profile=profile,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=today + timedelta(days=40),
    )


@pytest.fixture
def course(profile, director):
    return support_create(profile=profile, actor=director, kind="pd", title="Course", hours=4)


@pytest.fixture
def mentor(profile, director, other_team):
    user = ProfileFactory(team=other_team).user
    mentoring_match(mentee=profile, mentor=user)
    return user


@pytest.fixture
def entry(org):
    return SupportCatalogEntry.objects.filter(
        organization=org, kind="pd", category_key="site"
    ).first()


def goal_data(today, **changes):
    data = {
        "category_key": "site",
        "target_level": "2",
        "target_date": (today + timedelta(days=60)).isoformat(),
        "status": "open",
        "notes": "Meet the principal monthly.",
    }
    return data | changes


# The growth page ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "director", "admin_user", "mentor"])
def test_growth_page_works_for_those_in_reach(request, client_for, profile, goal, who):
    response = client_for(request.getfixturevalue(who)).get(
        reverse("growth:profile-growth", args=[profile.pk])
    )
    assert response.status_code == 200
    assert "Growth goals" in response.content.decode()


@pytest.mark.parametrize("who", ["teammate_user", "other_director", "other_admin"])
def test_growth_page_hides_from_others(request, client_for, profile, who, teammate):
    user = teammate.user if who == "teammate_user" else request.getfixturevalue(who)
    response = client_for(user).get(reverse("growth:profile-growth", args=[profile.pk]))
    assert response.status_code == 404


def test_growth_page_refuses_a_user_without_a_role(client_for, org, profile):
    nobody = UserFactory(organization=org)
    assert (
        client_for(nobody).get(reverse("growth:profile-growth", args=[profile.pk])).status_code
        == 403
    )


def test_mentor_sees_but_cannot_edit(client_for, profile, goal, course, mentor):
    client = client_for(mentor)
    body = client.get(reverse("growth:profile-growth", args=[profile.pk])).content.decode()
    assert "Add a goal" not in body
    assert client.get(reverse("growth:goal-create", args=[profile.pk])).status_code == 403
    assert client.get(reverse("growth:goal-update", args=[goal.pk])).status_code == 403
    assert client.post(reverse("growth:support-delete", args=[course.pk])).status_code == 403


# Goals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "director"])
def test_coordinator_and_director_set_goals(request, client_for, profile, course, who, today):
    user = request.getfixturevalue(who)
    response = client_for(user).post(
        reverse("growth:goal-create", args=[profile.pk]), goal_data(today, supports=[course.pk])
    )
    assert response.status_code == 302
    goal = Goal.objects.get(coordinator=profile)
    assert goal.created_by == user and list(goal.supports.all()) == [course]


def test_goal_form_page_and_validation(client_for, director, profile, today):
    client = client_for(director)
    url = reverse("growth:goal-create", args=[profile.pk])
    assert client.get(url + "?category=development").status_code == 200
    past = client.post(url, goal_data(today, target_date=(today - timedelta(days=1)).isoformat()))
    assert "from today on" in past.content.decode()
    from rubrics.models import Indicator

    wrong = Indicator.objects.filter(
        category__version__rubric__role_family=profile.role_family,
        category__version__state="published",
        category__key="coordinator",
    ).first()
    mismatch = client.post(url, goal_data(today, indicator=wrong.pk))
    assert "choose an indicator of the goal" in mismatch.content.decode()
    assert not Goal.objects.exists()


def test_goal_pages_404_for_another_team_and_organization(
    client_for, goal, other_director, other_admin
):
    for user in (other_director, other_admin):
        client = client_for(user)
        assert client.get(reverse("growth:goal-update", args=[goal.pk])).status_code == 404
        assert client.post(reverse("growth:goal-delete", args=[goal.pk])).status_code == 404
        assert (
            client.post(
                reverse("growth:goal-status", args=[goal.pk]), {"status": "met"}
            ).status_code
            == 404
        )
        assert (
            client.get(reverse("growth:goal-create", args=[goal.coordinator_id])).status_code == 404
        )
    assert Goal.objects.filter(pk=goal.pk, status="open").exists()


def test_goal_edit_status_and_delete(client_for, coordinator, goal, today):
    client = client_for(coordinator)
    page = reverse("growth:profile-growth", args=[goal.coordinator_id])
    response = client.post(
        reverse("growth:goal-update", args=[goal.pk]),
        goal_data(today, target_level="3", next=page, version=goal.version),
    )
    assert response.url == page
    goal.refresh_from_db()
    assert goal.target_level == 3
    status = reverse("growth:goal-status", args=[goal.pk])
    assert (
        "Goal marked met." in client.post(status, {"status": "met"}, follow=True).content.decode()
    )
    goal.refresh_from_db()
    assert goal.status == "met"
    again = client.post(status, {"status": "met"}, follow=True)
    assert "The goal was already marked met." in again.content.decode()
    client.post(reverse("growth:goal-delete", args=[goal.pk]))
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_a_directors_stale_date_change_does_not_overwrite_the_coordinators_note(
    client_for, coordinator, director, goal, today
):
    url = reverse("growth:goal-update", args=[goal.pk])
    mine, theirs = client_for(coordinator), client_for(director)
    mine.get(url)
    read_values = theirs.get(url).context["form"]["read_values"].value()
    opened = goal_data(
        today, notes="", target_date=goal.target_date.isoformat(), version=goal.version
    )
    opened |= {"read_values": read_values}
    assert (
        mine.post(url, opened | {"notes": "Ask Ms Diaz about the spring plan."}).status_code == 302
    )
    later = (today + timedelta(days=90)).isoformat()
    response = theirs.post(url, opened | {"target_date": later})
    assert response.status_code == 409
    html = response.content.decode()
    assert f'value="{later}"' in html
    assert "Saved meanwhile: Ask Ms Diaz about the spring plan." in html
    goal.refresh_from_db()
    assert (goal.notes, goal.target_date) == (
        "Ask Ms Diaz about the spring plan.",
        today + timedelta(days=40),
    )
    # The note they had not touched now shows the coordinator's; saving again keeps both.
    shown = response.context["form"].data
    assert shown["notes"] == "Ask Ms Diaz about the spring plan."
    assert theirs.post(url, dict(shown.lists())).status_code == 302
    goal.refresh_from_db()
    assert (goal.notes, goal.target_date.isoformat()) == (
        "Ask Ms Diaz about the spring plan.",
        later,
    )


def test_next_must_stay_on_this_site(client_for, coordinator, goal):
    response = client_for(coordinator).post(
        reverse("growth:goal-status", args=[goal.pk]),
        {"status": "met", "next": "https://evil.example/"},
    )
    assert response.url == reverse("growth:profile-growth", args=[goal.coordinator_id])


def test_a_goal_saved_with_next_oops_is_saved_once_and_goes_back_to_the_growth_page(
    client_for, director, profile, today
):
    """``oops`` is a relative URL, not a page: the saved goal goes back to the growth page
    instead of answering an error that invites a second, duplicate save."""
    client = client_for(director)
    client.raise_request_exception = False
    url = reverse("growth:goal-create", args=[profile.pk]) + "?next=oops"
    page = client.get(url)
    assert 'value="oops"' not in page.content.decode()
    response = client.post(url, goal_data(today, next="oops"))
    assert response.status_code == 302
    assert response.url == reverse("growth:profile-growth", args=[profile.pk])
    assert Goal.objects.filter(coordinator=profile).count() == 1


# Supports ----------------------------------------------------------------------------------


def test_the_support_form_no_longer_offers_mentoring(client_for, director, profile, other_team):
    mentor = ProfileFactory(team=other_team).user
    client = client_for(director)
    url = reverse("growth:support-create", args=[profile.pk])
    assert 'value="mentoring"' not in client.get(url).content.decode()
    response = client.post(url, {"kind": "mentoring", "mentor": mentor.pk, "title": "M"})
    assert response.status_code == 200
    assert not Support.objects.exists()


def test_support_form_validation(client_for, director, profile, other_admin):
    url = reverse("growth:support-create", args=[profile.pk])
    client = client_for(director)
    assert client.get(url + "?kind=network").status_code == 200
    body = client.post(url, {"kind": "network", "title": "Net"}).content.decode()
    assert "Say which kind of network." in body
    assert not Support.objects.exists()


def test_support_edit_and_delete(client_for, coordinator, course, goal):
    client = client_for(coordinator)
    client.post(
        reverse("growth:support-update", args=[course.pk]),
        {
            "kind": "network",
            "title": "Regional group",
            "network_scope": "regional",
            "goals": [goal.pk],
            "version": course.version,
        },
    )
    course.refresh_from_db()
    assert (course.kind, course.network_scope, course.hours) == ("network", "regional", None)
    assert list(course.goals.all()) == [goal]
    client.post(reverse("growth:support-delete", args=[course.pk]))
    assert not Support.objects.filter(pk=course.pk).exists()


def test_support_pages_404_outside_reach(client_for, course, other_director, other_admin):
    for user in (other_director, other_admin):
        client = client_for(user)
        assert client.get(reverse("growth:support-update", args=[course.pk])).status_code == 404
        assert client.post(reverse("growth:support-delete", args=[course.pk])).status_code == 404
        assert (
            client.get(reverse("growth:support-create", args=[course.coordinator_id])).status_code
            == 404
        )


def test_director_attaches_a_suggested_support_in_one_click(
    client_for, director, profile, goal, entry
):
    client = client_for(director)
    page = client.get(reverse("growth:profile-growth", args=[profile.pk])).content.decode()
    attach = reverse("growth:support-attach", args=[profile.pk, entry.pk])
    assert attach in page
    client.post(attach, {"goal": goal.pk})
    support = Support.objects.get(coordinator=profile, catalog_entry=entry)
    assert list(goal.supports.all()) == [support]


def test_attach_is_for_directors(client_for, coordinator, profile, entry, other_admin, org):
    url = reverse("growth:support-attach", args=[profile.pk, entry.pk])
    assert client_for(coordinator).post(url).status_code == 403
    assert client_for(other_admin).post(url).status_code == 404
    assert not Support.objects.exists()


def test_attach_an_entry_of_another_organization_is_404(client_for, director, profile, other_org):
    foreign = SupportCatalogEntry.objects.filter(organization=other_org).first()
    url = reverse("growth:support-attach", args=[profile.pk, foreign.pk])
    assert client_for(director).post(url).status_code == 404


# Promotions --------------------------------------------------------------------------------


def test_director_records_a_promotion(client_for, director, profile, org, today):
    stage = CareerStage.objects.filter(organization=org).order_by("order")[1]
    client = client_for(director)
    url = reverse("growth:promotion-create", args=[profile.pk])
    assert client.get(url).status_code == 200
    future = client.post(
        url, {"to_stage": stage.pk, "effective_on": (today + timedelta(days=3)).isoformat()}
    )
    assert "on or after the day" in future.content.decode()
    client.post(url, {"to_stage": stage.pk, "effective_on": today.isoformat(), "note": "Earned."})
    profile.refresh_from_db()
    assert profile.career_position.stage == stage
    assert Promotion.objects.get(profile=profile).note == "Earned."
    page = client.get(reverse("growth:profile-growth", args=[profile.pk])).content.decode()
    assert "Earned." in page


def test_promotion_is_for_directors(client_for, coordinator, profile, other_director, other_admin):
    url = reverse("growth:promotion-create", args=[profile.pk])
    assert client_for(coordinator).get(url).status_code == 403
    assert client_for(other_director).get(url).status_code == 404
    assert client_for(other_admin).get(url).status_code == 404


# Mentees -----------------------------------------------------------------------------------


def test_mentee_list_empty_state(client_for, coordinator):
    response = client_for(coordinator).get(reverse("growth:mentee-list"))
    assert "You mentor nobody now." in response.content.decode()


def test_mentee_list_needs_a_role(client_for, org):
    assert (
        client_for(UserFactory(organization=org)).get(reverse("growth:mentee-list")).status_code
        == 403
    )


# Org admin: stages and catalogue -----------------------------------------------------------


def admin_urls(org):
    stage = CareerStage.objects.filter(organization=org).first()
    entry = SupportCatalogEntry.objects.filter(organization=org).first()
    return (
        stage,
        entry,
        [
            reverse("growth:stage-list"),
            reverse("growth:stage-create"),
            reverse("growth:stage-update", args=[stage.pk]),
            reverse("growth:catalogue-list"),
            reverse("growth:catalogue-create"),
            reverse("growth:catalogue-update", args=[entry.pk]),
        ],
    )


def test_admin_pages_work(client_for, admin_user, org):
    client = client_for(admin_user)
    for url in admin_urls(org)[2]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["director", "coordinator"])
def test_admin_pages_refuse_other_roles(request, client_for, org, who):
    client = client_for(request.getfixturevalue(who))
    stage, entry, urls = admin_urls(org)
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("growth:stage-delete", args=[stage.pk])).status_code == 403
    assert client.post(reverse("growth:catalogue-delete", args=[entry.pk])).status_code == 403


def test_admin_pages_404_for_another_organization(client_for, other_admin, org):
    client = client_for(other_admin)
    stage, entry, urls = admin_urls(org)
    assert client.get(urls[2]).status_code == 404
    assert client.get(urls[5]).status_code == 404
    assert client.post(reverse("growth:stage-delete", args=[stage.pk])).status_code == 404
    assert client.post(reverse("growth:catalogue-delete", args=[entry.pk])).status_code == 404
    assert CareerStage.objects.filter(pk=stage.pk).exists()


def test_edit_stages(client_for, admin_user, org):
    client = client_for(admin_user)
    stage = CareerStage.objects.get(organization=org, order=2)
    data = {
        "title": "Coordinator II",
        "order": 1,
        "expected_years_from": 2,
        "expected_years_to": 4,
        "min_coordinator": 2,
        "min_site": 2,
        "min_organization": 1,
        "min_development": 2,
    }
    data_of_stage = data | {"version": stage.version}
    clash = client.post(reverse("growth:stage-update", args=[stage.pk]), data_of_stage)
    assert "Coordinator I is at position 1" in clash.content.decode()
    client.post(reverse("growth:stage-update", args=[stage.pk]), data_of_stage | {"order": 2})
    stage.refresh_from_db()
    assert stage.min_site == 2
    client.post(
        reverse("growth:stage-create"),
        data
        | {"title": "Program Lead", "order": 5, "expected_years_from": 9, "expected_years_to": ""},
    )
    assert CareerStage.objects.get(organization=org, title="Program Lead").expected_years_to is None
    backwards = client.post(
        reverse("growth:stage-create"),
        data | {"title": "Backwards", "order": 6, "expected_years_from": 5, "expected_years_to": 3},
    )
    assert "at or after the first year" in backwards.content.decode()


def test_edit_the_catalogue(client_for, admin_user, org):
    client = client_for(admin_user)
    client.post(
        reverse("growth:catalogue-create"),
        {
            "category_key": "site",
            "level": 2,
            "kind": "pd",
            "title": "Principal partnership lab",
            "hours": 6,
        },
    )
    entry = SupportCatalogEntry.objects.get(organization=org, title="Principal partnership lab")
    assert (entry.level, entry.hours) == (2, 6)
    duplicate = client.post(
        reverse("growth:catalogue-create"),
        {"category_key": "site", "level": 2, "kind": "pd", "title": "principal partnership lab"},
    )
    assert "already has this support" in duplicate.content.decode()
    client.post(reverse("growth:catalogue-delete", args=[entry.pk]))
    assert not SupportCatalogEntry.objects.filter(pk=entry.pk).exists()


def test_stage_delete_in_use_says_why(client_for, admin_user, org, profile):
    stage = CareerStage.objects.filter(organization=org).first()
    career_position_set(profile=profile, stage=stage, since=None, actor=admin_user)
    response = client_for(admin_user).post(
        reverse("growth:stage-delete", args=[stage.pk]), follow=True
    )
    assert "move them to another stage first" in response.content.decode()


def test_my_growth_explains_a_flag_once_above_the_supports_it_suggests(
    client_for, coordinator, profile, today
):
    """Several suggested supports answer the same flag: its sentence appears once, above them,
    and each suggestion names the flag only."""
    from tests.dashboards.test_growth_panel import finalize

    finalize(today, profile, {"coordinator": 3, "site": 1, "organization": 3, "development": 3}, 30)
    html = client_for(coordinator).get(reverse("pages:my-growth")).content.decode()
    explanation = (
        "School site: Novice (the director&#x27;s view), Coordinator: Expert — two levels apart"
    )
    suggestions = html.split('id="gp-suggest-')[1]
    assert suggestions.count("<li>Flag: Site gap</li>") >= 2
    assert suggestions.count(explanation) == 1
    assert suggestions.index(explanation) < suggestions.index("<li>Flag: Site gap</li>")


def test_my_mentees_puts_who_needs_attention_first_with_goals_in_level_names(
    client_for, director, profile, other_team, team, today
):
    """A mentee with a flag, and one with no contact on record lately, come before a mentee
    seen recently without flags; goals name the level ("to Proficient", not "to level 2")."""
    from tests.dashboards.test_growth_panel import finalize

    mentor = ProfileFactory(team=other_team).user
    quiet = ProfileFactory(team=team, user__first_name="Quinn", user__last_name="Abbott")
    flagged = ProfileFactory(team=team, user__first_name="Fay", user__last_name="Baker")
    steady = profile
    mentoring_match(mentee=quiet, mentor=mentor, starts_on=today - timedelta(days=120))
    for person in (flagged, steady):
        mentoring_match(mentee=person, mentor=mentor)
    finalize(today, flagged, {"coordinator": 3, "site": 1, "organization": 3, "development": 3}, 30)
    goal_create(
        profile=steady,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=today + timedelta(days=40),
    )
    html = client_for(mentor).get(reverse("growth:mentee-list")).content.decode()
    order = [html.index(p.user.display_name) for p in (quiet, flagged, steady)]
    assert order[2] > max(order[:2])  # the steady mentee comes last
    quiet_card = html.split(quiet.user.display_name, 1)[1].split('class="col"', 1)[0]
    assert "No contact on record since" in quiet_card
    flagged_card = html.split(flagged.user.display_name, 1)[1].split('class="col"', 1)[0]
    assert "Site gap" in flagged_card
    assert (
        "School site: Novice (the director&#x27;s view), Coordinator: Expert — two levels apart."
        in flagged_card
    )
    assert "School site to Proficient by" in html
    assert "to level" not in html


def test_the_support_form_names_goals_by_their_level_name(client_for, director, profile, goal):
    html = client_for(director).get(reverse("growth:support-create", args=[profile.pk])).text
    assert "to Proficient by" in html
    assert "to level" not in html


def test_my_mentees_takes_the_same_queries_for_one_mentee_or_five(
    client_for, director, team, other_team, today
):
    from tests.dashboards.dashboard_data import get_counting_queries

    mentor = ProfileFactory(team=other_team).user
    client = client_for(mentor)
    url = reverse("growth:mentee-list")

    def mentee():
        person = ProfileFactory(team=team)
        mentoring_match(mentee=person, mentor=mentor)
        goal_create(
            profile=person,
            actor=director,
            category_key="site",
            target_level=2,
            target_date=today + timedelta(days=40),
        )

    mentee()
    _response, one = get_counting_queries(client, url)
    for _ in range(4):
        mentee()
    response, five = get_counting_queries(client, url)
    assert response.text.count("School site to Proficient by") == 5
    assert five == one
