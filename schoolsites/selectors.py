"""Reads of the school-site app that return plain data: an agreement's page."""

from __future__ import annotations

from dataclasses import dataclass, replace

from coordinators.change_history import ChangeHistory, change_history
from coordinators.school_years import SchoolYear
from schoolsites.models import (
    AgreementGoal,
    AgreementSignature,
    PartnershipAgreement,
    PrincipalContact,
    SignatureLink,
)
from schoolsites.services import current_text, required_signatories, valid_signatures

SIGNATORY_WORDS = {"principal": "Principal", "coordinator": "Coordinator", "director": "Director"}


@dataclass(frozen=True)
class Signatory:
    role: str
    label: str
    name: str
    signature: AgreementSignature | None


@dataclass
class AgreementPage:
    agreement: PartnershipAgreement
    school_year: SchoolYear
    goals: list[AgreementGoal]
    text: str
    signatories: list[Signatory]
    earlier_signatures: list[AgreementSignature]  # of a text since changed
    latest_link: SignatureLink | None
    reviewed_goals: int

    @property
    def review_status(self) -> str:
        return review_status(self.agreement, self.goals)


def review_status(agreement: PartnershipAgreement, goals) -> str:
    """Where the year's reviews stand, in words."""
    return review_words(
        mid_year_note=agreement.mid_year_note,
        goals=len(goals),
        reviewed=sum(1 for goal in goals if goal.result),
    )


def review_words(*, mid_year_note: str, goals: int, reviewed: int) -> str:
    if goals and reviewed == goals:
        return "End-of-year review done"
    if reviewed:
        return "End-of-year review under way"
    if mid_year_note.strip():
        return "Mid-year review written"
    return "No review yet"


def agreement_page(agreement: PartnershipAgreement) -> AgreementPage:
    goals = list(agreement.goals.all())
    text = current_text(agreement)
    valid = valid_signatures(agreement, text)
    names = {
        "principal": agreement.principal_name,
        "coordinator": agreement.coordinator.user.display_name if agreement.coordinator else "",
        "director": agreement.director.display_name if agreement.director else "",
    }
    signatories = [
        Signatory(role, SIGNATORY_WORDS[role], names[role], valid.get(role))
        for role in required_signatories(agreement)
    ]
    kept = {signature.pk for signature in valid.values()}
    return AgreementPage(
        agreement=agreement,
        school_year=agreement.school.organization.school_year(agreement.school_year),
        goals=goals,
        text=text,
        signatories=signatories,
        earlier_signatures=[s for s in agreement.signatures.all() if s.pk not in kept],
        latest_link=agreement.signature_links.first(),
        reviewed_goals=sum(1 for goal in goals if goal.result),
    )


def agreement_changes(*, agreement: PartnershipAgreement, latest: int | None) -> ChangeHistory:
    """Every change of the agreement, its goals and its signatures, newest first."""
    own = change_history(
        PartnershipAgreement.history.filter(id=agreement.pk),
        noun="agreement",
        hidden=("school", "school_year", "shared_at", "signed_at"),
    )
    goals = change_history(
        AgreementGoal.history.filter(agreement_id=agreement.pk),
        noun="goal",
        hidden=("agreement", "order"),
    )
    signatures = change_history(
        AgreementSignature.history.filter(agreement_id=agreement.pk),
        noun="signature",
        hidden=("agreement", "text_signed", "text_digest", "user"),
    )
    entries = sorted(
        [
            *own.entries,
            *[_named(e, "goal") for e in goals.entries],
            *[_named(e, "signature") for e in signatures.entries],
        ],
        key=lambda entry: entry.when,
        reverse=True,
    )
    return ChangeHistory(
        noun="agreement", entries=entries[:latest] if latest else entries, total=len(entries)
    )


def _named(entry, noun):
    return replace(entry, noun=noun)


def principal_contact_changes(*, contact: PrincipalContact | None, latest: int | None):
    if contact is None:
        return None
    return change_history(
        PrincipalContact.history.filter(id=contact.pk),
        noun="principal contact",
        hidden=("school", "school_year"),
        latest=latest,
    )
