"""A coordinator's career position: set through the growth services, and read as "no stage"
on every page while a profile has none."""

from datetime import timedelta

import pytest
from django.urls import reverse

from growth.models import CareerPosition, CareerStage
from growth.services import GrowthError, career_position_set
from tests.factories import mentoring_match


def stage_pages(profile, director):
    """(viewer, url, what the page says without a stage) for each page naming the stage."""
    return [
        (profile.user, reverse("pages:my-growth"), "Not set"),
        (director, reverse("pages:my-team"), "<td>—</td>"),
        (director, reverse("dashboards:coordinator-detail", args=[profile.pk]), "stage: not set"),
        (director, reverse("growth:profile-growth", args=[profile.pk]), "No career stage recorded"),
        (director, reverse("growth:promotion-create", args=[profile.pk]), "no stage recorded"),
        (director, reverse("growth:mentee-list"), "No stage recorded"),
    ]


def test_every_page_reads_a_profile_without_a_position_as_no_stage(
    client_for, org, profile, director, today
):
    mentoring_match(mentee=profile, mentor=director)
    assert not CareerPosition.objects.exists()
    for viewer, url, no_stage in stage_pages(profile, director):
        page = client_for(viewer).get(url).content.decode()
        assert no_stage in page, url

    stage = CareerStage.objects.filter(organization=org).order_by("order")[1]
    career_position_set(profile=profile, stage=stage, since=today, actor=director)
    for viewer, url, no_stage in stage_pages(profile, director):
        page = client_for(viewer).get(url).content.decode()
        assert stage.title in page and no_stage not in page, url


def test_of_reads_a_missing_position_as_an_empty_one(profile):
    position = CareerPosition.of(profile)
    assert (position.pk, position.stage, position.since) == (None, None, None)
    assert not CareerPosition.objects.exists()


def test_setting_a_position_creates_it_once_and_keeps_who_changed_it(org, profile, director, today):
    first, second = CareerStage.objects.filter(organization=org).order_by("order")[:2]
    career_position_set(profile=profile, stage=first, since=today - timedelta(days=30), actor=None)
    position = career_position_set(profile=profile, stage=second, since=today, actor=director)
    assert CareerPosition.objects.get() == position
    assert (position.stage, position.since) == (second, today)
    assert [(h.stage_id, h.history_user) for h in position.history.all()] == [
        (second.pk, director),
        (first.pk, None),
    ]


def test_a_stage_of_another_organization_is_refused(other_org, profile, director, today):
    foreign = CareerStage.objects.filter(organization=other_org).first()
    with pytest.raises(GrowthError, match="another organization"):
        career_position_set(profile=profile, stage=foreign, since=today, actor=director)
    assert not CareerPosition.objects.exists()
