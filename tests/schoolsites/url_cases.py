"""How the access table and the hostile-input tests reach a school's principal contact, its
partnership agreements and the principal's signature link, and the requests for a principal's
feedback: the request page of the submitted assessment, resending and revoking its request."""

from django.urls import reverse

from coordinators.models import School
from schoolsites.models import PartnershipAgreement
from schoolsites.services import agreement_share
from tests.access_world import UrlCase, no_fields, pk_of

AGREEMENT_TEXTS = (
    "principal_name",
    "role_covers",
    "role_excludes",
    "meeting_cadence",
    "space",
    "staff_time",
    "meeting_schedule",
    "goal_1",
    "measure_1",
    "target_1",
)


def _school_year(world) -> dict:
    return {"pk": world.mine.school.pk, "year": world.mine.school_year.start_year}


def _next_school_year(world) -> dict:
    """A school year without an agreement yet."""
    return {"pk": world.mine.school.pk, "year": world.mine.school_year.start_year + 1}


def _principal_post(world, actor, client) -> dict:
    return {"name": "Dana Principal-Okafor", "email": "dana@school.example.org"}


def agreement_post(world, actor=None, client=None, **changes) -> dict:
    data = {
        "coordinator": str(world.mine.profile.pk),
        "principal_name": "Dana Principal",
        "principal_email": "principal@school.example.org",
        "role_covers": "Family engagement nights\nPartner coordination",
        "role_excludes": "Lunch duty",
        "meeting_cadence": "Every Tuesday, 30 minutes",
        "space": "Room 12",
        "staff_time": "Two hours a week of the family liaison",
        "leadership_seat": "on",
        "meeting_schedule": "First Tuesday of each month",
        "goal_1": "Chronic absence down",
        "measure_1": "Chronic absence",
        "target_1": "from 18% to 14%",
        "goal_2": "More families at conferences",
    }
    return data | changes


def _review_post(world, actor, client) -> dict:
    goal = world.mine.agreement.goals.get()
    return {
        "mid_year_note": "Attendance team meets weekly now.",
        f"result_{goal.pk}": "partly",
        f"note_{goal.pk}": "Down to 16%.",
    }


def _shared_then_signed(world, actor, client) -> dict:
    """The agreement shared for signature first; the coordinator or director signs it."""
    agreement = PartnershipAgreement.objects.get(pk=world.mine.agreement.pk)
    agreement_share(agreement=agreement, actor=world.users["director"])
    return {}


def _other_coordinator(world) -> dict:
    return {"coordinator": str(world.theirs.profile.pk)}


def _token(world) -> dict:
    return {"token": world.mine.sign_token}


def _ask_principal(world, actor, client) -> dict:
    return {
        "school": str(world.mine.submitted.schools.get().pk),
        "principal_name": "Marcus Oyelaran",
        "principal_email": "m.oyelaran@school.example.org",
    }


def _other_school(world) -> dict:
    return {"school": str(School.objects.filter(organization=world.theirs.org).first().pk)}


def _request_page(world) -> str:
    return reverse("schoolsites:feedback-requests", args=[world.mine.submitted.pk])


def _feedback_pk(world) -> dict:
    return {"pk": world.mine.feedback.pk}


CASES = [
    UrlCase(
        "schoolsites:principal-contact",
        kwargs=_school_year,
        post=_principal_post,
        texts=("name",),
        edits=lambda world: world.mine.principal,
    ),
    UrlCase(
        "schoolsites:agreement-create",
        kwargs=_next_school_year,
        post=agreement_post,
        texts=AGREEMENT_TEXTS,
        ids=("coordinator",),
        foreign=_other_coordinator,
    ),
    UrlCase("schoolsites:agreement-detail", kwargs=pk_of("agreement")),
    UrlCase(
        "schoolsites:agreement-update",
        kwargs=pk_of("agreement"),
        post=agreement_post,
        texts=AGREEMENT_TEXTS,
        edits=lambda world: world.mine.agreement,
    ),
    UrlCase(
        "schoolsites:agreement-review",
        kwargs=pk_of("agreement"),
        post=_review_post,
        texts=("mid_year_note",),
        edits=lambda world: world.mine.agreement,
    ),
    UrlCase("schoolsites:agreement-share", kwargs=pk_of("agreement"), post=no_fields),
    UrlCase("schoolsites:agreement-sign", kwargs=pk_of("agreement"), post=_shared_then_signed),
    UrlCase("schoolsites:agreement-print", kwargs=pk_of("agreement")),
    UrlCase(
        "schoolsites:agreement-sign-link",
        kwargs=_token,
        post=lambda world, actor, client: {"name": "Dana Principal", "agree": "on"},
        texts=("name",),
    ),
    UrlCase(
        "schoolsites:feedback-requests",
        kwargs=pk_of("submitted"),
        post=_ask_principal,
        ids=("school",),
        foreign=_other_school,
        texts=("principal_name",),
        show=_request_page,
    ),
    UrlCase("schoolsites:feedback-request-resend", kwargs=_feedback_pk, post=no_fields),
    UrlCase("schoolsites:feedback-request-revoke", kwargs=_feedback_pk, post=no_fields),
]
