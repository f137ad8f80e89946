"""The demo's principal feedback: principals' answers on several past reviews (one where the
principal sees the site very differently from the coordinator), and a request waiting in the
open cycle, whose link ``seed_demo`` prints each time it starts.

Past answers are written as the product would have kept them (requests answered before the
review was finalized, with their ratings and history), in bulk; the request of the open
cycle goes through the service, without an email.
"""

from datetime import timedelta

from django.utils import timezone

from assessments.models import Assessment, FeedbackRequest, PrincipalRating, Rating
from assessments.scoring import category_level
from assessments.services import feedback_request_send
from coordinators.models import Role, User
from rubrics.vocabulary import MAX_LEVEL, MIN_LEVEL, SITE
from schoolsites.models import PrincipalContact

PRINCIPAL_NAMES = (
    "Dr. Renee Whitfield",
    "Marcus Oyelaran",
    "Linda Castellanos",
    "Tom Brandvold",
    "Aisha Karimi",
    "Gloria Pham",
    "Victor Mensah",
    "Hannah Okafor",
)
COMMENTS = {
    1: "We rarely see the coordinator's work reach our staff meetings yet.",
    2: "A good start; the partners are known, but the plan is not shared by everyone.",
    3: "Our families and teachers know the coordinator; the site plan is ours together.",
}
DIFFERENT = (
    "Honestly, the school is not there yet: the leadership team has not met with the "
    "coordinator this year, and the partners work around us rather than with us."
)


def _principal(school, contacts) -> tuple[str, str]:
    contact = contacts.get(school.pk)
    if contact is not None:
        return contact.name, contact.email
    name = PRINCIPAL_NAMES[school.pk % len(PRINCIPAL_NAMES)]
    slug = name.lower().replace("dr. ", "").replace(" ", ".")
    return name, f"{slug}@school.example.org"


def _contacts(org) -> dict:
    return {
        contact.school_id: contact
        for contact in PrincipalContact.objects.filter(school__organization=org).order_by(
            "-school_year"
        )
    }


def principal_feedback_build(org, *, today) -> None:
    contacts = _contacts(org)
    finalized = list(
        Assessment.objects.filter(cycle__organization=org, state=Assessment.State.FINALIZED)
        .select_related("cycle")
        .prefetch_related("schools")
        .order_by("-cycle__opens_on", "pk")
    )
    latest_cycles = list(dict.fromkeys(a.cycle_id for a in finalized))[:2]
    chosen = [a for a in finalized if a.cycle_id in latest_cycles and a.schools.all()][:8]
    site_ratings = _site_ratings(chosen)
    # The one the principal sees very differently: the highest own School site level.
    different = max(
        chosen,
        key=lambda a: sum(r.self_level or 0 for r in site_ratings.get(a.pk, [])),
        default=None,
    )
    requests, ratings = [], []
    for n, assessment in enumerate(chosen):
        school = assessment.schools.all()[0]
        name, email = _principal(school, contacts)
        finalized_at = assessment.finalized_at or timezone.now()
        sent_at = finalized_at - timedelta(days=12)
        request = FeedbackRequest(
            assessment=assessment,
            school=school,
            principal_name=name,
            principal_email=email,
            state=FeedbackRequest.State.ANSWERED,
            sent_at=sent_at,
            expires_at=sent_at + timedelta(days=FeedbackRequest.VALID_DAYS),
            opened_at=sent_at + timedelta(days=2),
            answered_at=sent_at + timedelta(days=3),
        )
        levels = []
        for rating in site_ratings.get(assessment.pk, []):
            agreed = rating.supervisor_level or rating.self_level or 2
            if assessment is different:
                level = MIN_LEVEL
            else:
                level = max(MIN_LEVEL, min(MAX_LEVEL, agreed + (-1 if n % 3 == 1 else 0)))
            levels.append(level)
            ratings.append((request, rating.indicator_id, level, COMMENTS[level]))
        request.site_level = category_level(levels)
        request.overall_comment = (
            DIFFERENT if assessment is different else COMMENTS[request.site_level or 2]
        )
        requests.append(request)
    FeedbackRequest.objects.bulk_create(requests)
    PrincipalRating.objects.bulk_create(
        PrincipalRating(request=request, indicator_id=indicator_id, level=level, comment=comment)
        for request, indicator_id, level, comment in ratings
    )
    for request in requests:
        request._history_date = request.answered_at
    FeedbackRequest.history.bulk_history_create(requests, default_date=None)
    open_request_create(org, contacts)


def _site_ratings(assessments) -> dict[int, list[Rating]]:
    found: dict[int, list[Rating]] = {}
    for rating in Rating.objects.filter(
        assessment__in=assessments, indicator__category__key=SITE
    ).order_by("indicator__order", "pk"):
        found.setdefault(rating.assessment_id, []).append(rating)
    return found


def open_request_create(org, contacts) -> None:
    """A request waiting for the principal in the open cycle, for a submitted assessment
    (else any open one), so the demo has a link to open."""
    waiting = (
        Assessment.objects.filter(cycle__organization=org, cycle__state="open")
        .exclude(state=Assessment.State.FINALIZED)
        .filter(schools__isnull=False)
        .select_related("cycle", "coordinator__user", "coordinator__team__director")
        .order_by("-state", "pk")  # submitted before returned before draft
        .distinct()
        .first()
    )
    if waiting is None:
        return
    school = waiting.schools.order_by("name", "pk").first()
    name, email = _principal(school, contacts)
    team = waiting.coordinator.team
    actor = (
        team.director
        if team and team.director
        else User.objects.filter(organization=org, memberships__role=Role.ADMIN).first()
    )
    feedback_request_send(
        assessment=waiting,
        school=school,
        actor=actor,
        principal_name=name,
        principal_email=email,
        email=False,
    )


def demo_principal_request() -> FeedbackRequest | None:
    """The demo's request still waiting for its principal, whose link ``seed_demo`` prints."""
    return (
        FeedbackRequest.objects.filter(
            assessment__cycle__organization__slug="demo", answered_at__isnull=True
        )
        .exclude(state=FeedbackRequest.State.REVOKED)
        .exclude(assessment__state=Assessment.State.FINALIZED)
        .select_related("assessment__coordinator__user", "school")
        .order_by("pk")
        .first()
    )
