"""The role families of an organization and the versions of one rubric, for the editor's
lists."""

from django.db.models import Count, Q

from coordinators.models import RoleFamily
from rubrics.models import Rubric, RubricVersion


def rubric_versions_with_usage(*, rubric: Rubric) -> list[RubricVersion]:
    """Every version, newest first, with who published it and ``assessment_count``."""
    return list(
        rubric.versions.select_related("published_by", "created_by")
        .annotate(assessment_count=Count("assessments"))
        .order_by("-number")
    )


def role_families_overview(*, organization_id: int):
    """The organization's role families with their rubric, current and draft version numbers
    and how many people belong to each. Two queries."""
    families = list(
        RoleFamily.objects.filter(organization_id=organization_id)
        .select_related("rubric")
        .annotate(people=Count("profiles", filter=Q(profiles__active=True), distinct=True))
        .order_by("name")
    )
    versions = RubricVersion.objects.filter(
        rubric__role_family__in=families, state__in=["draft", "published"]
    ).values_list("rubric__role_family_id", "state", "number", "pk")
    by_family: dict[int, dict] = {}
    for family_id, state, number, pk in versions:
        by_family.setdefault(family_id, {})[state] = (number, pk)
    for family in families:
        family.current_version = by_family.get(family.pk, {}).get("published")
        family.draft_version = by_family.get(family.pk, {}).get("draft")
    return families


def open_assessments_on_current(*, rubric: Rubric) -> int:
    """How many assessments under way (not finalized) in an open cycle are on the rubric's
    current version: a cycle keeps the version it opened with, so publishing leaves them on
    it and the new version applies from the next cycle opened."""
    return (
        rubric.versions.filter(state=RubricVersion.State.PUBLISHED).aggregate(
            n=Count(
                "assessments",
                filter=Q(assessments__cycle__state="open") & ~Q(assessments__state="finalized"),
            )
        )["n"]
        or 0
    )
