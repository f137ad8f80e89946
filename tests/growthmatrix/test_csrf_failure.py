"""A refused form (stale security token) is explained in the product's layout, and the
matrix's background save gets the explanation as JSON instead of an HTML page."""

from django.test import Client
from django.urls import reverse

from tests.assessments.workflow_helpers import make_assessment, self_post


def strict_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_stale_form_gets_a_page_in_the_products_layout(profile, coordinator):
    assessment = make_assessment(profile)
    url = reverse("assessments:assessment-detail", args=[assessment.pk])
    response = strict_client(coordinator).post(url, self_post(assessment, evidence="Typed"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Not saved: please reload the page" in html
    assert "Back" in html
    assert "CSRF verification failed" not in html  # not Django's technical page
    assert 'href="/static/css/app.css"' in html or "app.css" in html  # the product's layout


def test_a_stale_background_save_gets_json_the_page_can_show(profile, coordinator):
    assessment = make_assessment(profile)
    url = reverse("assessments:assessment-autosave", args=[assessment.pk])
    response = strict_client(coordinator).post(
        url, self_post(assessment, evidence="Typed"), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 403
    assert response.json()["saved"] is False
    assert "reload the page" in response.json()["message"]
    assessment.refresh_from_db()
    assert assessment.version == 1  # nothing was written
