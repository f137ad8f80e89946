"""The org admin's review settings: the kinds of evidence accepted, acknowledgement on or off
and its days, with the storage used of the quota; and a director's files on their review."""

import pytest
from django.urls import reverse

from assessments.models import ReviewSettings
from assessments.services import assessment_submit
from evidence.models import Attachment
from tests.assessments.workflow_helpers import make_assessment
from tests.evidence.samples import PDF, upload
from tests.private_storage import private_storage, s3_server  # noqa: F401

pytestmark = pytest.mark.django_db

URL = reverse("evidence:review-settings")


def test_the_admin_sees_the_storage_used_and_narrows_the_kinds(
    client_for,
    admin_user,
    org,
    coordinator,
    profile,
    private_storage,  # noqa: F811
):
    assessment = make_assessment(profile, ratings=2)
    client = client_for(coordinator)
    client.post(
        reverse("evidence:attachment-add", args=[assessment.pk]),
        {"version": assessment.version, "owner": assessment.ratings.first().indicator_id,
         "file": upload(PDF)},
    )  # fmt: skip
    assert Attachment.objects.count() == 1
    client = client_for(admin_user)
    page = client.get(URL).content.decode()
    assert "Your organization uses <strong>1 KB</strong> of its <strong>2048.0 MB</strong>" in page
    version = ReviewSettings.objects.get(organization=org).version
    response = client.post(
        URL,
        {"version": version, "acknowledgement_overdue_days": "7", "evidence_kinds": ["pdf"]},
    )
    assert response.status_code == 302
    saved = ReviewSettings.objects.get(organization=org)
    assert (saved.acknowledgement_on, saved.acknowledgement_overdue_days) == (False, 7)
    assert saved.evidence_kinds == ["pdf"]


def test_days_out_of_range_are_refused(client_for, admin_user, org):
    client = client_for(admin_user)
    client.get(URL)
    version = ReviewSettings.objects.get(organization=org).version
    response = client.post(URL, {"version": version, "acknowledgement_overdue_days": "0"})
    assert response.status_code == 400
    assert ReviewSettings.objects.get(organization=org).acknowledgement_overdue_days == 14


def test_a_director_attaches_to_the_review_they_write(
    client_for,
    coordinator,
    director,
    profile,
    private_storage,  # noqa: F811
):
    assessment = make_assessment(profile, ratings=2)
    assessment = assessment_submit(
        assessment=assessment, actor=coordinator, expected_version=assessment.version
    )
    client = client_for(director)
    review = reverse("assessments:assessment-review", args=[assessment.pk])
    assert 'id="evidence-add-review"' in client.get(review).content.decode()
    response = client.post(
        reverse("evidence:attachment-add", args=[assessment.pk]),
        {"version": assessment.version, "owner": "review", "url": "https://example.org/notes",
         "title": "Observation notes"},
        headers={"Accept": "application/json"},
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["saved"]
    attachment = Attachment.objects.get()
    assert attachment.review_id == assessment.pk and attachment.rating_id is None
    assert "Observation notes" in client.get(review).content.decode()
    # The coordinator sees it once the review is finalized, not before.
    assert (
        "Observation notes"
        not in client_for(coordinator)
        .get(reverse("assessments:assessment-detail", args=[assessment.pk]))
        .content.decode()
    )
