"""Writes of the school-site app: principal contacts, partnership agreements, their
signatures and the links a principal signs through; and the requests for a principal's
feedback, which reach into the assessments' principal feedback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Assessment, FeedbackRequest
from assessments.services import WorkflowError
from coordinators import events, public_tokens
from coordinators.models import CoordinatorProfile, Role, School, User
from coordinators.versioning import version_claim, versioned_save
from schoolsites.emails import signature_link_send
from schoolsites.events import AgreementChanged
from schoolsites.models import (
    AgreementGoal,
    AgreementSignature,
    AgreementState,
    PartnershipAgreement,
    PrincipalContact,
    SignatureLink,
)

MAX_GOALS = 5  # an agreement prints on one page
LINK_DAYS = 30  # how long a signature link works
# The fields of an agreement that are its terms: what signatories sign.
TERM_FIELDS = (
    "principal_name",
    "principal_email",
    "role_covers",
    "role_excludes",
    "meeting_cadence",
    "space",
    "staff_time",
    "leadership_seat",
    "meeting_schedule",
)


class AgreementError(Exception):
    """A write the agreement's state refuses; the message says why in words."""


@dataclass(frozen=True)
class GoalInput:
    outcome: str
    measure: str = ""
    target: str = ""


def _publish(agreement: PartnershipAgreement) -> None:
    events.publish(
        AgreementChanged(
            organization_id=agreement.school.organization_id,
            school_id=agreement.school_id,
            school_year=agreement.school_year,
        )
    )


# Principal contacts ---------------------------------------------------------------------


@transaction.atomic
def principal_contact_save(
    *, school: School, school_year: int, name: str, email: str, expected_version: int | None
) -> PrincipalContact:
    """The school's principal for that school year, made or changed (a change only from a form
    read at the version saved now)."""
    contact = PrincipalContact.objects.filter(school=school, school_year=school_year).first()
    if contact is None:
        return PrincipalContact.objects.create(
            school=school, school_year=school_year, name=name, email=email
        )
    contact.name, contact.email = name, email
    versioned_save(contact, fields=["name", "email"], expected=expected_version)
    return contact


# The text signed --------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def terms_text(agreement: PartnershipAgreement, goals: Sequence[AgreementGoal]) -> str:
    """The agreement's terms as plain text: what each signatory signs, word for word."""
    year = agreement.school.organization.school_year(agreement.school_year)
    coordinator = agreement.coordinator.user.display_name if agreement.coordinator else "—"
    director = agreement.director.display_name if agreement.director else "—"
    parts = [
        f"Partnership agreement — {agreement.school.name}, school year {year.label}",
        f"Organization: {agreement.school.organization.name}",
        f"Principal: {agreement.principal_name} <{agreement.principal_email}>",
        f"Coordinator: {coordinator}",
        f"Director: {director}",
        "",
        "Shared goals:",
    ]
    for number, goal in enumerate(goals, start=1):
        line = f"{number}. {goal.outcome}"
        if goal.measure:
            line += f" — measure: {goal.measure}"
        if goal.target:
            line += f" — target: {goal.target}"
        parts.append(line)
    if not goals:
        parts.append("(none)")
    parts += ["", "The coordinator's role covers:"]
    parts += [f"- {line}" for line in _lines(agreement.role_covers)] or ["(nothing listed)"]
    parts += ["", "The coordinator's role does not cover:"]
    parts += [f"- {line}" for line in _lines(agreement.role_excludes)] or ["(nothing listed)"]
    parts += [
        "",
        "The principal commits to:",
        f"- Meetings with the principal: {agreement.meeting_cadence or '—'}",
        f"- Space for the coordinator: {agreement.space or '—'}",
        f"- Staff time: {agreement.staff_time or '—'}",
        "- A seat on the school's leadership team: "
        + ("yes" if agreement.leadership_seat else "no"),
        "",
        "Meeting schedule:",
    ]
    parts += _lines(agreement.meeting_schedule) or ["(none set)"]
    return "\n".join(parts)


def current_text(agreement: PartnershipAgreement) -> str:
    return terms_text(agreement, list(agreement.goals.all()))


def required_signatories(agreement: PartnershipAgreement) -> list[str]:
    """Who signs: the principal always; the coordinator and the director when there is one."""
    roles = ["principal"]
    if agreement.coordinator_id is not None:
        roles.append("coordinator")
    if agreement.director_id is not None:
        roles.append("director")
    return roles


def valid_signatures(
    agreement: PartnershipAgreement, text: str | None = None
) -> dict[str, AgreementSignature]:
    """The signatures of the present text, by signatory (the latest of each)."""
    wanted = public_tokens.digest(text if text is not None else current_text(agreement))
    return {
        signature.role: signature
        for signature in agreement.signatures.all()
        if signature.text_digest == wanted
    }


# Agreements -----------------------------------------------------------------------------


def _goals_write(agreement: PartnershipAgreement, goals: Sequence[GoalInput]) -> None:
    """The goals as given, in order; a goal kept at the same place keeps its review."""
    existing = list(agreement.goals.all())
    for index, wanted in enumerate(goals[:MAX_GOALS]):
        if index < len(existing):
            goal = existing[index]
            if (goal.outcome, goal.measure, goal.target) != (
                wanted.outcome,
                wanted.measure,
                wanted.target,
            ):
                goal.outcome, goal.measure, goal.target = (
                    wanted.outcome,
                    wanted.measure,
                    wanted.target,
                )
                goal.save(update_fields=["outcome", "measure", "target"])
        else:
            AgreementGoal.objects.create(
                agreement=agreement,
                order=index,
                outcome=wanted.outcome,
                measure=wanted.measure,
                target=wanted.target,
            )
    for goal in existing[len(goals) :]:
        goal.delete()


def works_at(coordinator: CoordinatorProfile, school: School) -> bool:
    """The coordinator works at the school now (active, with an active account)."""
    return (
        coordinator.organization_id == school.organization_id
        and coordinator.active
        and coordinator.user.is_active
        and coordinator.schools.filter(pk=school.pk).exists()
    )


def coordinator_at(school: School) -> CoordinatorProfile | None:
    """The school's coordinator now: the active coordinator placed there (the first by name
    when there are several)."""
    return (
        CoordinatorProfile.objects.filter(schools=school, active=True, user__is_active=True)
        .select_related("user", "team__director")
        .order_by("user__last_name", "user__first_name", "pk")
        .first()
    )


def agreement_start_values(*, school: School, school_year: int) -> tuple[dict, list[GoalInput]]:
    """What a new agreement starts from: a copy of last year's terms and goals when there is
    one (without its reviews and signatures), the year's principal contact for the principal."""
    values: dict = {}
    goals: list[GoalInput] = []
    last = (
        PartnershipAgreement.objects.filter(school=school, school_year__lt=school_year)
        .order_by("-school_year")
        .first()
    )
    if last is not None:
        values = {name: getattr(last, name) for name in TERM_FIELDS}
        goals = [GoalInput(g.outcome, g.measure, g.target) for g in last.goals.all()]
    contact = (
        PrincipalContact.objects.filter(school=school, school_year__lte=school_year)
        .order_by("-school_year")
        .first()
    )
    if contact is not None:
        values |= {"principal_name": contact.name, "principal_email": contact.email}
    return values, goals


AT_SCHOOL = object()  # no coordinator chosen: the school's coordinator now (coordinator_at)
UNCHANGED = object()  # an edit that leaves the coordinator as they are


def _director_of(coordinator: CoordinatorProfile | None) -> User | None:
    return coordinator.team.director if coordinator and coordinator.team else None


@transaction.atomic
def agreement_create(
    *,
    school: School,
    school_year: int,
    actor,
    fields: dict,
    goals: Sequence[GoalInput],
    coordinator: CoordinatorProfile | None | object = AT_SCHOOL,
) -> PartnershipAgreement:
    """A draft agreement for the school year, between ``coordinator`` (one who works at the
    school; by default the school's coordinator now) and their director. Refused when the
    school already has one for that year, or the coordinator does not work there."""
    if PartnershipAgreement.objects.filter(school=school, school_year=school_year).exists():
        raise AgreementError("This school already has an agreement for that school year.")
    if coordinator is AT_SCHOOL:
        coordinator = coordinator_at(school)
    elif coordinator is not None and not works_at(coordinator, school):
        raise AgreementError(f"{coordinator.user.display_name} does not work at {school.name}.")
    director = _director_of(coordinator)
    agreement = PartnershipAgreement.objects.create(
        school=school,
        school_year=school_year,
        coordinator=coordinator,
        director=director,
        created_by=actor,
        **{name: fields[name] for name in TERM_FIELDS if name in fields},
    )
    _goals_write(agreement, goals)
    _publish(agreement)
    return agreement


def _links_revoke(agreement: PartnershipAgreement) -> int:
    now = timezone.now()
    return SignatureLink.objects.filter(
        agreement=agreement, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)


@transaction.atomic
def agreement_update(
    *,
    agreement: PartnershipAgreement,
    expected_version: int,
    fields: dict,
    goals: Sequence[GoalInput],
    coordinator: CoordinatorProfile | None | object = UNCHANGED,
) -> bool:
    """Save the terms and goals from a form read at ``expected_version``, and the coordinator
    when one is given (one who works at the school; the director follows them). A change of
    the terms or the signatories of a shared or signed agreement takes it back to draft: the
    signatures stay on record for the text they signed, the open links stop working, and it
    must be shared and signed again. Returns whether that happened."""
    before = current_text(agreement)
    version_claim(agreement, expected=expected_version)
    saved = list(TERM_FIELDS)
    if coordinator is not UNCHANGED and coordinator != agreement.coordinator:
        if coordinator is not None and not works_at(coordinator, agreement.school):
            raise AgreementError(
                f"{coordinator.user.display_name} does not work at {agreement.school.name}."
            )
        agreement.coordinator, agreement.director = coordinator, _director_of(coordinator)
        saved += ["coordinator", "director"]
    for name in TERM_FIELDS:
        if name in fields:
            setattr(agreement, name, fields[name])
    _goals_write(agreement, goals)
    changed_terms = current_text(agreement) != before
    back_to_draft = changed_terms and agreement.state != AgreementState.DRAFT
    if back_to_draft:
        agreement.state, agreement.signed_at = AgreementState.DRAFT, None
        saved += ["state", "signed_at"]
        _links_revoke(agreement)
    agreement.save(update_fields=saved)
    _publish(agreement)
    return back_to_draft


@transaction.atomic
def agreement_review_save(
    *,
    agreement: PartnershipAgreement,
    expected_version: int,
    mid_year_note: str,
    results: dict[int, tuple[str, str]],
) -> None:
    """The mid-year note and each goal's end-of-year result and note (goal id → (result,
    note)). Not terms: the signatures stand."""
    version_claim(agreement, expected=expected_version)
    agreement.mid_year_note = mid_year_note
    agreement.save(update_fields=["mid_year_note"])
    for goal in agreement.goals.all():
        if goal.pk in results and (goal.result, goal.result_note) != results[goal.pk]:
            goal.result, goal.result_note = results[goal.pk]
            goal.save(update_fields=["result", "result_note"])
    _publish(agreement)


@transaction.atomic
def agreement_share(*, agreement: PartnershipAgreement, actor) -> SignatureLink:
    """Share the agreement for signature: the principal is emailed a new link (any earlier one
    stops working). Sharing again resends."""
    if agreement.state == AgreementState.SIGNED:
        raise AgreementError("The agreement is already signed; edit it to ask for new signatures.")
    if not agreement.goals.exists():
        raise AgreementError("Add at least one shared goal before sharing the agreement.")
    _links_revoke(agreement)
    now = timezone.now()
    link = SignatureLink.objects.create(
        agreement=agreement,
        email=agreement.principal_email,
        created_by=actor,
        expires_at=now + timedelta(days=LINK_DAYS),
    )
    first_share = agreement.state == AgreementState.DRAFT
    agreement.state = AgreementState.SHARED
    agreement.shared_at = now if first_share or agreement.shared_at is None else agreement.shared_at
    versioned_save(agreement, fields=["state", "shared_at"])
    _publish(agreement)
    transaction.on_commit(lambda: signature_link_send.enqueue(link_id=link.pk))
    return link


@transaction.atomic
def agreement_sign(
    *, agreement: PartnershipAgreement, role: str, name: str, email: str, user=None
) -> AgreementSignature:
    """Record a signature of the present text; the agreement is signed once every signatory
    has signed that text."""
    agreement = PartnershipAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.state != AgreementState.SHARED:
        raise AgreementError("Only an agreement shared for signature can be signed.")
    if role not in required_signatories(agreement):
        raise AgreementError("This agreement asks for no such signatory.")
    text = current_text(agreement)
    if role in valid_signatures(agreement, text):
        raise AgreementError("Already signed.")
    signature = AgreementSignature.objects.create(
        agreement=agreement,
        role=role,
        name=name,
        email=email,
        user=user,
        signed_at=timezone.now(),
        text_signed=text,
        text_digest=public_tokens.digest(text),
    )
    if set(required_signatories(agreement)) <= set(valid_signatures(agreement, text)):
        agreement.state, agreement.signed_at = AgreementState.SIGNED, signature.signed_at
        versioned_save(agreement, fields=["state", "signed_at"])
    _publish(agreement)
    return signature


# Signature links --------------------------------------------------------------------------


def signature_link_open(raw: str) -> SignatureLink | None:
    """The open link of this token, or None for a wrong, expired, revoked or used one (the
    caller answers all of them alike). Marks the first opening."""
    if not public_tokens.plausible(raw):
        return None
    digest = public_tokens.digest(raw)
    link = (
        SignatureLink.objects.filter(token_digest=digest)
        .select_related(
            "agreement__school__organization", "agreement__coordinator__user", "agreement__director"
        )
        .first()
    )
    if link is None or not public_tokens.matches(raw, link.token_digest):
        return None
    if not link.is_open(timezone.now()) or link.agreement.state != AgreementState.SHARED:
        return None
    if link.opened_at is None:
        link.opened_at = timezone.now()
        link.save(update_fields=["opened_at"])
    return link


@transaction.atomic
def agreement_sign_by_link(*, link: SignatureLink, name: str) -> AgreementSignature:
    """The principal signs through their link, which then stops working."""
    link = SignatureLink.objects.select_for_update().get(pk=link.pk)
    if not link.is_open(timezone.now()):
        raise AgreementError("This link no longer works.")
    signature = agreement_sign(
        agreement=link.agreement, role="principal", name=name, email=link.email
    )
    link.used_at = signature.signed_at
    link.save(update_fields=["used_at"])
    return signature


# The principal's feedback -------------------------------------------------------------------


def principal_contact_of(school, day) -> PrincipalContact | None:
    """The school's principal contact for the school year ``day`` falls in."""
    year = school.organization.school_year_of(day).start_year
    return PrincipalContact.objects.filter(school=school, school_year=year).first()


@transaction.atomic
def demo_link_for(*, assessment: Assessment, school_id: int | None = None):
    """A fresh link for the assessment's request to one school's principal (the first school
    when None), making the request for the school's principal contact when there is none yet
    (nothing is emailed). Returns (request, absolute URL)."""
    if assessment.state == Assessment.State.FINALIZED:
        raise WorkflowError("This assessment is finalized: its principals can no longer answer.")
    schools = assessment.schools.select_related("organization").order_by("name", "pk")
    school = schools.filter(pk=school_id).first() if school_id else schools.first()
    if school is None:
        raise WorkflowError("This assessment names no such school site.")
    request = FeedbackRequest.objects.filter(assessment=assessment, school=school).first()
    if request is None:
        contact = principal_contact_of(school, timezone.localdate())
        if contact is None:
            raise WorkflowError(
                f"{school.name} has no principal contact for this school year: record one, or "
                "send a request from the assessment's principal feedback page."
            )
        team = assessment.coordinator.team
        actor = (
            team.director
            if team is not None and team.director is not None
            else User.objects.filter(
                organization_id=school.organization_id, memberships__role=Role.ADMIN
            )
            .order_by("pk")
            .first()
        )
        request = assessment_services.feedback_request_send(
            assessment=assessment,
            school=school,
            actor=actor,
            principal_name=contact.name,
            principal_email=contact.email,
            email=False,
        )
    url = assessment_services.feedback_link_mint(request=request)
    return FeedbackRequest.objects.select_related("school").get(pk=request.pk), url
