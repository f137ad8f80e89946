"""The production worker settings: templates and the prepared reads' SQL are compiled before
the first request."""

import pytest
from django.template import engines
from django.urls import get_resolver, reverse

from coordinators.prepared import Prepared, compile_every
from growthmatrix.gunicorn_conf import compile_templates
from tests.assessments.workflow_helpers import review_post, self_post
from tests.factories import AssessmentFactory


def cached_names():
    (cached,) = engines["django"].engine.template_loaders
    return {key.split("-")[0] for key in cached.get_template_cache}


def test_every_page_template_is_compiled_before_the_first_request():
    engines["django"].engine.template_loaders[0].reset()
    compile_templates()
    compiled = cached_names()
    assert {
        "base.html",
        "assessments/assessment_review.html",
        "assessments/includes/matrix_jump_list.html",
        "pages/my_growth.html",
        "bootstrap5/field.html",
    } <= compiled
    assert not any(name.startswith("admin/") for name in compiled)


def test_a_worker_starts_without_errors_for_the_pages_of_library_features_not_installed(caplog):
    """allauth ships two-factor pages that load django.contrib.humanize, which the product
    does not install: they are never served, and a worker's start logs nothing about them."""
    engines["django"].engine.template_loaders[0].reset()
    with caplog.at_level("ERROR"):
        compile_templates()
    assert [record.getMessage() for record in caplog.records] == []


@pytest.mark.django_db
def test_after_a_workers_start_no_page_or_move_builds_a_reads_sql(
    client_for, profile, director, monkeypatch
):
    """A coordinator's pages and submit, and the director's review and finalize, with every
    prepared read built as the worker started (compile_every), build none of their own."""
    assessment = AssessmentFactory(coordinator=profile)
    get_resolver().url_patterns  # noqa: B018 (the views' modules, as a worker imports them)
    assert compile_every() > 0

    def build_in_a_request(*_args):
        raise AssertionError("a request built a prepared read's SQL")

    monkeypatch.setattr(Prepared, "_compile", build_in_a_request)
    client = client_for(profile.user)
    assert client.get(reverse("pages:my-growth")).status_code == 200
    assert opened_then_moved(client, "detail", "submit", assessment, self_post) == "submitted"
    client = client_for(director)
    assert opened_then_moved(client, "review", "finalize", assessment, review_post) == "finalized"


def opened_then_moved(client, page: str, move: str, assessment, post) -> str:
    """Open the assessment's ``page``, make the ``move`` with every level chosen; its state."""
    opened = client.get(reverse(f"assessments:assessment-{page}", args=[assessment.pk]))
    assert opened.status_code == 200
    url = reverse(f"assessments:assessment-{move}", args=[assessment.pk])
    assert client.post(url, post(assessment, level=2)).status_code == 302
    assessment.refresh_from_db()
    return assessment.state


@pytest.mark.django_db
def test_a_read_that_cannot_be_built_is_logged_and_the_others_are_built(caplog):
    def broken(_shape, pk):
        raise ValueError("no such field")

    read = Prepared(broken, "pk")
    with caplog.at_level("ERROR"):
        built = compile_every()
    assert built > 0
    assert [r.getMessage() for r in caplog.records] == [f"Prepared read {read.build}"] * 2
