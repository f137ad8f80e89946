"""An error page never claims that nothing was saved: a failure can come after the write
(a redirect, a message, an email), and a person told "nothing was saved" saves again and
makes a duplicate."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from growth import views as growth_views
from growth.models import Goal


@pytest.mark.parametrize("template", ["400.html", "500.html"])
def test_an_error_page_does_not_claim_nothing_was_saved(template):
    html = render_to_string(template)
    assert "nothing was saved" not in html.lower()
    assert "may have been saved" in html


def test_a_failure_after_the_write_says_to_check_before_saving_again(
    client_for, director, profile, monkeypatch
):
    real_create = growth_views.goal_create

    def create_then_fail(**kwargs):
        real_create(**kwargs)
        raise RuntimeError("the mail server went away")

    monkeypatch.setattr(growth_views, "goal_create", create_then_fail)
    client = client_for(director)
    client.raise_request_exception = False
    response = client.post(
        reverse("growth:goal-create", args=[profile.pk]),
        {
            "category_key": "site",
            "target_level": "2",
            "target_date": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "status": "open",
        },
    )
    assert response.status_code == 500
    assert Goal.objects.filter(coordinator=profile).count() == 1
    html = response.content.decode()
    assert "nothing was saved" not in html.lower()
    assert "may have been saved" in html
    assert "check" in html
