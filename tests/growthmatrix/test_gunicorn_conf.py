"""The production worker settings: templates are compiled before the first request."""

from django.template import engines

from growthmatrix.gunicorn_conf import compile_templates


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
