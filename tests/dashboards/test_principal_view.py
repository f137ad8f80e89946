"""The principal's School site level in the dashboards: the site gap's explanation names whose
view it rests on, by the rule the org admin chooses on the flag thresholds page."""

from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Rating
from assessments.services import (
    PrincipalRatingInput,
    assessment_finalize,
    assessment_save_review,
    category_scores_refresh,
    feedback_answer_save,
    feedback_request_send,
    site_indicator_ids,
)
from dashboards.forms import threshold_defaults
from dashboards.models import FlagThresholds
from tests.assessments.workflow_helpers import all_levels
from tests.dashboards.dashboard_data import open_cycle
from tests.factories import AssessmentFactory


def finalized_with_principal(profile, director, *, principal_level):
    """Expert everywhere by the coordinator and the director; the principal's School site
    level is ``principal_level``."""
    assessment = AssessmentFactory(
        coordinator=profile,
        cycle=open_cycle(profile.organization),
        state=Assessment.State.SUBMITTED,
        submitted_at=timezone.now(),
        ratings=3,
    )
    category_scores_refresh(assessment=assessment)
    request = feedback_request_send(
        assessment=assessment,
        school=assessment.schools.get(),
        actor=director,
        principal_name="Dr. Renee Whitfield",
        principal_email="rw@school.example.org",
        email=False,
    )
    feedback_answer_save(
        request=request,
        ratings={
            pk: PrincipalRatingInput(principal_level) for pk in site_indicator_ids(assessment)
        },
        overall_comment="",
    )
    assessment.refresh_from_db()
    reviewed = assessment_save_review(
        assessment=assessment,
        actor=director,
        expected_version=assessment.version,
        ratings=all_levels(assessment, 3),
        coaching_notes="",
    )
    # A strong coordinator: the Coordinator category stays Expert, School site Expert too by
    # the director, so only the principal's view makes a gap.
    assert Rating.objects.filter(assessment=assessment, supervisor_level=3).exists()
    return assessment_finalize(
        assessment=reviewed, actor=director, expected_version=reviewed.version
    )


def test_the_site_gap_names_the_principal_s_view(client_for, profile, director, team, org):
    finalized_with_principal(profile, director, principal_level=1)
    page = client_for(director).get(reverse("dashboards:team-dashboard") + f"?team={team.pk}")
    text = page.content.decode()
    assert "Site gap" in text
    assert "(the principal&#x27;s view)" in text or "(the principal's view)" in text
    assert "School and coordinator see the site differently" in text


def test_the_org_admin_chooses_the_director_s_view_on_the_thresholds_page(
    client_for, profile, director, team, org, admin_user
):
    finalized_with_principal(profile, director, principal_level=1)
    row, _ = FlagThresholds.objects.get_or_create(organization=org)
    body = {key: str(value) for key, value in threshold_defaults().items()}
    body |= {"site_score_rule": "director", "version": str(row.version)}
    page = client_for(admin_user).get(reverse("dashboards:flag-thresholds"))
    assert "Whose School site level the site gap" in page.content.decode()
    assert (
        client_for(admin_user).post(reverse("dashboards:flag-thresholds"), body).status_code == 302
    )
    assert FlagThresholds.objects.get(organization=org).site_score_rule == "director"
    text = (
        client_for(director)
        .get(reverse("dashboards:team-dashboard") + f"?team={team.pk}")
        .content.decode()
    )
    assert "the principal&#x27;s view)" not in text and "the principal's view)" not in text
