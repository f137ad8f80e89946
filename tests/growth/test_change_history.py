"""Who changed what, and when, on the goal, support, promotion and growth pages: in words,
choices by label and foreign keys by name, limited to the newest with a way to see all, in a
fixed number of queries, and only for those who may see the object."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from coordinators.change_history import LATEST_CHANGES, change_history
from growth.models import CareerStage, Goal
from growth.selectors import career_position_changes, goal_changes, match_changes
from growth.services import goal_create, goal_update, promotion_record
from tests.factories import ProfileFactory, mentoring_match


@pytest.fixture
def goal(profile, director, today):
    return goal_create(
        profile=profile,
        actor=director,
        category_key="site",
        target_level=2,
        target_date=today + timedelta(days=40),
    )


def goal_form(goal, **changes):
    data = {
        "category_key": goal.category_key,
        "target_level": str(goal.target_level),
        "target_date": goal.target_date.isoformat(),
        "status": goal.status,
        "notes": goal.notes,
        "version": goal.version,
    }
    return data | changes


def test_a_goal_edited_on_its_page_shows_who_changed_which_field_from_what_to_what(
    client_for, coordinator, director, goal, today
):
    url = reverse("growth:goal-update", args=[goal.pk])
    later = today + timedelta(days=90)
    response = client_for(coordinator).post(
        url, goal_form(goal, category_key="development", target_level="3", target_date=later)
    )
    assert response.status_code == 302
    page = client_for(director).get(url)
    history = page.context["history"]
    [changed, created] = history.entries
    assert (created.action, created.who) == ("created", director.display_name)
    assert (changed.action, changed.who) == ("changed", coordinator.display_name)
    assert {(c.label, c.before, c.after) for c in changed.changes} == {
        ("Category", "School site", "Development"),
        ("Target level", "2 (Proficient)", "3 (Expert)"),
        (
            "Target date",
            (today + timedelta(days=40)).strftime("%-d %b %Y"),
            later.strftime("%-d %b %Y"),
        ),
    }
    body = page.content.decode()
    assert "History of this goal" in body
    assert "Target level: 2 (Proficient) → 3 (Expert)" in body
    assert f"{coordinator.display_name}</span>\n      changed" in body


def test_foreign_keys_read_by_name_and_the_history_is_a_fixed_number_of_queries(
    django_assert_max_num_queries, profile, director, team, org
):
    mentors = [ProfileFactory(team=team).user for _ in range(3)]
    match = mentoring_match(mentee=profile, mentor=mentors[0])
    for mentor in [*mentors[1:], mentors[0]] * 5:
        match.mentor = mentor
        match.save(update_fields=["mentor"])
    with django_assert_max_num_queries(2):  # the records, then the mentors' names
        history = match_changes(match=match, latest=None)
    assert history.total == 1 + 15
    assert [(c.before, c.after) for c in history.entries[0].changes] == [
        (mentors[2].display_name, mentors[0].display_name)
    ]


def test_a_long_history_shows_the_newest_and_a_link_to_all(client_for, director, goal):
    for n in range(LATEST_CHANGES + 5):
        goal_update(goal=goal, expected_version=goal.version, notes=f"Note {n}")
    url = reverse("growth:goal-update", args=[goal.pk])
    client = client_for(director)
    page = client.get(url + "?next=/growth/")
    history = page.context["history"]
    assert len(history.entries) == LATEST_CHANGES and history.total == LATEST_CHANGES + 6
    assert history.entries[0].changes[0].after == f"Note {LATEST_CHANGES + 4}"
    body = page.content.decode()
    assert f"Show all {LATEST_CHANGES + 6} changes" in body
    assert "?next=%2Fgrowth%2F&amp;history=all#change-history" in body
    everything = client.get(url + "?history=all").context["history"]
    assert len(everything.entries) == everything.total == LATEST_CHANGES + 6
    assert "Show all" not in client.get(url + "?history=all").content.decode()


def test_promotions_show_the_career_stage_history_on_the_growth_and_promotion_pages(
    client_for, director, coordinator, profile, org
):
    first, second = CareerStage.objects.filter(organization=org).order_by("order")[:2]
    promotion_record(profile=profile, to_stage=first, effective_on=date(2024, 9, 1), actor=director)
    promotion_record(
        profile=profile, to_stage=second, effective_on=date(2025, 9, 1), actor=director
    )
    history = career_position_changes(profile=profile, latest=None)
    [changed, created] = history.entries
    assert created.who == director.display_name
    assert {(c.label, c.before, c.after) for c in changed.changes} == {
        ("Stage", first.title, second.title),
        ("Since", "1 Sep 2024", "1 Sep 2025"),
    }
    growth_page = client_for(coordinator).get(reverse("growth:profile-growth", args=[profile.pk]))
    assert f"Stage: {first.title} → {second.title}" in growth_page.content.decode()
    form_page = client_for(director).get(reverse("growth:promotion-create", args=[profile.pk]))
    assert "History of the career stage" in form_page.content.decode()
    assert form_page.context["history"].total == 2


def test_the_history_is_only_on_pages_its_reader_may_open(
    client_for, goal, other_director, other_admin, teammate
):
    url = reverse("growth:goal-update", args=[goal.pk])
    assert client_for(other_director).get(url).status_code == 404
    assert client_for(other_admin).get(url).status_code == 404
    assert client_for(teammate.user).get(url).status_code in (403, 404)


def test_a_hidden_field_never_shows_nor_does_a_save_that_changed_only_it(director, goal):
    goal_update(goal=goal, expected_version=goal.version, notes="Private words")
    goal_update(goal=goal, expected_version=goal.version, target_level=3)
    history = change_history(Goal.history.filter(id=goal.pk), noun="goal", hidden=("notes",))
    assert [e.action for e in history.entries] == ["changed", "created"]
    assert "Private words" not in str(history.entries)
    assert "Private words" in str(goal_changes(goal=goal, latest=None).entries)
