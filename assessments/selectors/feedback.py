"""Reads of the principal's feedback: the request a link opens, what the principal's page
shows, the requests of one assessment, and the principals' columns of the review."""

from dataclasses import dataclass, field

from django.utils import timezone

from assessments.models import Assessment, FeedbackRequest, PrincipalFeedbackSettings
from coordinators import public_tokens
from rubrics.models import Indicator, Level
from rubrics.text import rubric_text
from rubrics.vocabulary import SITE


def feedback_request_for_token(raw: str) -> FeedbackRequest | None:
    """The open request whose link carries ``raw``, or None for a token that is malformed,
    unknown, revoked, expired or of a finalized review: callers answer all of them alike.
    Junk never reaches the database; the final comparison is in constant time."""
    if not isinstance(raw, str) or not public_tokens.plausible(raw):
        return None
    digest = public_tokens.digest(raw)
    request = (
        FeedbackRequest.objects.select_related(
            "school",
            "assessment__cycle__organization",
            "assessment__coordinator__user",
            "assessment__rubric_version",
        )
        .filter(token_digest=digest)
        .first()
    )
    if request is None or not public_tokens.matches(raw, request.token_digest or ""):
        return None
    if not request.link_works(timezone.now()):
        return None
    return request


@dataclass
class PrincipalIndicator:
    """One School site indicator on the principal's page, with its descriptor per level."""

    indicator: Indicator
    descriptors: dict[int, str]


@dataclass
class PrincipalPage:
    """Everything the principal's page shows, and nothing more."""

    organization_name: str
    coordinator_name: str
    school_name: str
    category_name: str
    levels: list[Level]
    indicators: list[PrincipalIndicator]
    ask_about_collaboration: bool
    answered: bool
    initial: dict = field(default_factory=dict)


def principal_page(*, request: FeedbackRequest) -> PrincipalPage:
    """The School site category of the assessment's rubric version, word for word, and the
    principal's earlier answer to revise (two queries when the words are cached)."""
    assessment = request.assessment
    words = rubric_text(assessment.rubric_version)
    category, indicators = next(
        ((c, items) for c, items in words.categories if c.key == SITE), (None, [])
    )
    initial = {"overall_comment": request.overall_comment, "collaboration": request.collaboration}
    for rating in request.ratings.all():
        initial[f"level_{rating.indicator_id}"] = rating.level
        initial[f"comment_{rating.indicator_id}"] = rating.comment
    return PrincipalPage(
        organization_name=assessment.cycle.organization.name,
        coordinator_name=assessment.coordinator.user.display_name,
        school_name=request.school.name,
        category_name=category.name if category else "School site",
        levels=words.levels,
        indicators=[
            PrincipalIndicator(indicator, descriptors) for indicator, descriptors in indicators
        ],
        ask_about_collaboration=PrincipalFeedbackSettings.objects.filter(
            organization_id=assessment.cycle.organization_id, ask_about_collaboration=True
        ).exists(),
        answered=request.answered_at is not None,
        initial=initial,
    )


@dataclass
class FeedbackRequestRow:
    request: FeedbackRequest
    state: str  # sent, opened, answered, expired, revoked

    @property
    def state_label(self) -> str:
        return self.state.capitalize()


def feedback_requests_of(*, assessment: Assessment) -> list[FeedbackRequestRow]:
    """Every request of the assessment with the state the request page lists (one query)."""
    now = timezone.now()
    requests = FeedbackRequest.objects.filter(assessment=assessment).select_related(
        "school", "sent_by"
    )
    rows = []
    for request in requests:
        request.assessment = assessment
        rows.append(FeedbackRequestRow(request, request.shown_state(now)))
    return rows


@dataclass
class PrincipalColumn:
    """One school's principal as a column of the review: their level and comment per School
    site indicator, their School site level and their overall words."""

    school_name: str
    principal_name: str
    answered_at: object
    site_level: int | None
    site_level_name: str
    levels: dict[int, tuple[int, str, str]]  # indicator id → (level, level name, comment)
    overall_comment: str
    collaboration: str


def principal_columns(*, assessment: Assessment) -> list[PrincipalColumn]:
    """A column per school whose principal answered, by school name (two queries)."""
    requests = list(
        FeedbackRequest.objects.filter(assessment=assessment, answered_at__isnull=False)
        .select_related("school")
        .prefetch_related("ratings")
        .order_by("school__name", "pk")
    )
    if not requests:
        return []
    names = {level.value: level.name for level in rubric_text(assessment.rubric_version).levels}
    return [
        PrincipalColumn(
            school_name=request.school.name,
            principal_name=request.principal_name,
            answered_at=request.answered_at,
            site_level=request.site_level,
            site_level_name=names.get(request.site_level, ""),
            levels={
                rating.indicator_id: (
                    rating.level,
                    names.get(rating.level, str(rating.level)),
                    rating.comment,
                )
                for rating in request.ratings.all()
            },
            overall_comment=request.overall_comment,
            collaboration=request.collaboration,
        )
        for request in requests
    ]


def site_views(categories, columns: list[PrincipalColumn]) -> dict | None:
    """The School site category of ``categories`` (sheet_rows) as a table of the three
    views, self, supervisor and each principal who answered, per indicator; None when no
    principal answered."""
    if not columns:
        return None
    site = next((c for c in categories if c["category"].key == SITE), None)
    if site is None:
        return None
    rows = []
    for row in site["rows"]:
        rating = row["rating"]
        rows.append(
            {
                "name": row["name"],
                "self_level": getattr(rating, "self_level", None),
                "self_name": row["self_level_name"],
                "supervisor_level": getattr(rating, "supervisor_level", None),
                "supervisor_name": row["supervisor_level_name"],
                "principals": [column.levels.get(row["pk"], (None, "", "")) for column in columns],
            }
        )
    score = site["score"]
    return {
        "category_name": site["category"].name,
        "columns": columns,
        "rows": rows,
        "totals": {
            "self_level": getattr(score, "self_level", None),
            "self_name": site["self_name"],
            "supervisor_level": getattr(score, "supervisor_level", None),
            "supervisor_name": site["supervisor_name"],
        },
    }
