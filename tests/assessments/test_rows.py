"""Writing many ratings at once (assessments/services/rows.py): each row its own values, and
their history rows the same as django-simple-history's own writes them."""

import pytest

from assessments.models import Rating
from assessments.services import assessment_save_self
from assessments.services.rows import rows_history, rows_update
from tests.assessments.workflow_helpers import all_levels, make_assessment

pytestmark = pytest.mark.django_db


def history_of(rows):
    return list(
        Rating.history.filter(id__in=[row.pk for row in rows])
        .order_by("id", "history_id")
        .values(
            "id",
            "self_level",
            "self_evidence",
            "supervisor_level",
            "supervisor_note",
            "assessment_id",
            "indicator_id",
            "history_type",
            "history_user_id",
            "history_change_reason",
        )
    )


def test_each_row_gets_its_own_values(profile):
    assessment = make_assessment(profile, ratings=1)
    rows = list(assessment.ratings.order_by("pk"))
    for n, row in enumerate(rows):
        row.self_level, row.self_evidence = n % 3 + 1, f"text {n}"

    assert rows_update(Rating, rows, ["self_level", "self_evidence"]) == len(rows)

    stored = dict(assessment.ratings.values_list("pk", "self_evidence"))
    assert stored == {row.pk: f"text {n}" for n, row in enumerate(rows)}


def test_history_rows_match_what_simple_history_writes(profile, coordinator):
    assessment = make_assessment(profile, ratings=1)
    rows = list(assessment.ratings.order_by("pk"))
    Rating.history.filter(id__in=[row.pk for row in rows]).delete()

    Rating.history.bulk_history_create(
        rows, update=True, default_user=coordinator, default_change_reason=None
    )
    expected = history_of(rows)
    Rating.history.filter(id__in=[row.pk for row in rows]).delete()
    assert rows_history(Rating, rows, user=coordinator) == len(rows)

    assert history_of(rows) == expected
    dates = set(
        Rating.history.filter(id__in=[row.pk for row in rows]).values_list(
            "history_date", flat=True
        )
    )
    assert len(dates) == 1 and dates != {None}


def test_a_save_leaves_one_history_row_per_changed_rating_naming_who(profile, coordinator):
    assessment = make_assessment(profile, ratings=1)
    before = Rating.history.filter(assessment_id=assessment.pk).count()

    assessment_save_self(
        assessment=assessment,
        actor=coordinator,
        expected_version=assessment.version,
        ratings=all_levels(assessment, level=3, text="Seen at the family night"),
    )

    written = Rating.history.filter(assessment_id=assessment.pk).order_by("-history_id")
    changed = list(written[: written.count() - before])
    assert len(changed) == assessment.ratings.count()
    assert {
        (h.self_level, h.self_evidence, h.history_user_id, h.history_type) for h in changed
    } == {(3, "Seen at the family night", coordinator.pk, "~")}
