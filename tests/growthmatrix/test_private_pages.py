"""Pages of a signed-in person are never kept by a shared browser's or a proxy's cache."""

import pytest
from django.urls import reverse

from tests.assessments.workflow_helpers import make_assessment


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize(
    "who, url_name",
    [
        ("coordinator", "pages:my-growth"),
        ("director", "pages:my-team"),
        ("director", "dashboards:team-dashboard"),
        ("director", "dashboards:team-dashboard-csv"),
        ("admin_user", "pages:organization"),
        ("admin_user", "rubrics:role-family-list"),
        ("admin_user", "coordinators:person-list"),
    ],
)
def test_every_signed_in_page_says_private_no_store(request, client_for, who, url_name):
    user = request.getfixturevalue(who)
    response = client_for(user).get(reverse(url_name))
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_the_matrix_and_its_review_say_private_no_store(client_for, profile, coordinator, director):
    assessment = make_assessment(profile, ratings=2)
    matrix = client_for(coordinator).get(
        reverse("assessments:assessment-detail", args=[assessment.pk])
    )
    assert {"private", "no-store"} <= cache_control(matrix)


def test_an_error_page_of_a_signed_in_person_is_private_too(client_for, coordinator):
    response = client_for(coordinator).get("/organization/people/999999/edit/")
    assert response.status_code in (403, 404)
    assert {"private", "no-store"} <= cache_control(response)
