"""The org admin's flag thresholds page: defaults beside each value, reset, and the team
dashboard reading the change at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Rating
from assessments.services import category_scores_refresh
from dashboards.models import FlagThresholds
from tests.factories import AssessmentFactory, CycleFactory

URL = reverse("dashboards:flag-thresholds")
RESET = reverse("dashboards:flag-thresholds-reset")
VALUES = {
    "version": 1,
    "site_gap_levels": 2,
    "support_gap_levels": 1,
    "development_grace_years": 3,
    "perception_gap_levels": 1,
    "stalled_cycles": 3,
    "long_tenure_extra_years": 1,
    "site_score_rule": "principal_else_director",
    "agreement_grace_days": 30,
}


def test_page_shows_each_value_beside_its_default(client_for, admin_user):
    response = client_for(admin_user).get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Site gap: Coordinator at least this many levels above School site." in body
    assert "Default: 2." in body  # stalled cycles
    assert "Reset all to defaults" in body and "data-confirm" in body


def test_save_then_reset(client_for, admin_user, org):
    client = client_for(admin_user)
    assert client.post(URL, VALUES).status_code == 302
    row = FlagThresholds.objects.get(organization=org)
    assert (row.site_gap_levels, row.stalled_cycles, row.development_grace_years) == (2, 3, 3)
    assert "Changed" in client.get(URL).content.decode()
    client.post(RESET)
    row.refresh_from_db()
    assert (row.site_gap_levels, row.stalled_cycles, row.development_grace_years) == (1, 2, 1)
    assert row.history.count() >= 3
    # A form opened before the reset would put the old values back: it is refused.
    stale = client.post(URL, VALUES | {"version": 2})
    assert stale.status_code == 409
    assert "Saved meanwhile: 2" in stale.content.decode()  # stalled cycles, as reset
    row.refresh_from_db()
    assert (row.stalled_cycles, row.version) == (2, 3)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("site_gap_levels", 3),
        ("stalled_cycles", 1),
        ("long_tenure_extra_years", 99),
        ("agreement_grace_days", 366),
    ],
)
def test_out_of_range_values_are_refused_with_a_message(client_for, admin_user, org, field, value):
    response = client_for(admin_user).post(URL, VALUES | {field: value})
    assert response.status_code == 400
    assert "Choose a value from" in response.content.decode()
    assert FlagThresholds.objects.get(organization=org).site_gap_levels == 1


def test_garbage_is_a_form_error_not_a_crash(client_for, admin_user):
    response = client_for(admin_user).post(URL, VALUES | {"stalled_cycles": "lots"})
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["director", "coordinator"])
def test_other_roles_are_refused(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(RESET).status_code == 403


def test_each_organization_edits_only_its_own(client_for, other_admin, org, other_org):
    client_for(other_admin).post(URL, VALUES)
    assert FlagThresholds.objects.get(organization=other_org).site_gap_levels == 2
    assert FlagThresholds.objects.get(organization=org).site_gap_levels == 1


def test_team_dashboard_reflects_a_change_at_once(client_for, admin_user, director, profile):
    cycle = CycleFactory(
        organization=profile.organization,
        opens_on=timezone.localdate() - timedelta(days=100),
        state="closed",
    )
    assessment = AssessmentFactory(coordinator=profile, cycle=cycle, state="finalized")
    for rating in Rating.objects.filter(assessment=assessment).select_related(
        "indicator__category"
    ):
        level = 3 if rating.indicator.category.key == "coordinator" else 2
        rating.self_level = rating.supervisor_level = level
        rating.save(update_fields=["self_level", "supervisor_level"])
    category_scores_refresh(assessment=assessment)

    def site_gap_raised():
        response = client_for(director).get(reverse("dashboards:team-dashboard"))
        return any("site_gap" in row.flag_codes for row in response.context["rows"])

    assert site_gap_raised()
    client_for(admin_user).post(URL, VALUES)
    assert not site_gap_raised()
