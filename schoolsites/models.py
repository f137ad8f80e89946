from django.db import models
from simple_history.models import HistoricalRecords

from coordinators.models import School
from coordinators.versioning import Versioned


class PrincipalContact(Versioned, models.Model):
    """Who speaks for a school in one school year: feedback requests and agreement
    signatures go to this name and address. Edited by the org admin and the school's
    directors; every change is kept."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="principal_contacts")
    # The calendar year the school year starts in (2025 for 2025–26, by the organization's
    # school-year start).
    school_year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    history = HistoricalRecords()

    class Meta:
        ordering = ["school__name", "-school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"], name="one_principal_contact_per_school_year"
            ),
            models.CheckConstraint(
                condition=models.Q(school_year__gte=1990, school_year__lte=2200),
                name="principal_contact_school_year_is_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.school}, {self.school_year})"


class AgreementState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SHARED = "shared", "Shared for signature"
    SIGNED = "signed", "Signed"


class GoalResult(models.TextChoices):
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"


class PartnershipAgreement(Versioned, models.Model):
    """What one school and its coordinator will do together in one school year: shared goals,
    what the role covers and does not cover at this site, the principal's commitments and the
    meeting schedule, signed by the principal, the coordinator and the director.

    Draft → shared for signature → signed. The state is derived from the signatures: the
    agreement is signed when every signatory has signed its present text (``terms_text``), so
    an edit of the terms after signing asks for new signatures. The mid-year note and the
    end-of-year review of each goal are not terms: writing them keeps the signatures."""

    State = AgreementState

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="agreements")
    school_year = models.PositiveSmallIntegerField()  # the calendar year the school year starts
    coordinator = models.ForeignKey(
        "coordinators.CoordinatorProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    director = models.ForeignKey(
        "coordinators.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements_directed",
    )
    state = models.CharField(max_length=10, choices=AgreementState.choices, default="draft")
    principal_name = models.CharField("principal's name", max_length=200)
    principal_email = models.EmailField("principal's email", max_length=254)
    role_covers = models.TextField("the coordinator's role covers", max_length=4000, blank=True)
    role_excludes = models.TextField(
        "the coordinator's role does not cover", max_length=4000, blank=True
    )
    meeting_cadence = models.CharField("meetings with the principal", max_length=200, blank=True)
    space = models.CharField("space for the coordinator", max_length=200, blank=True)
    staff_time = models.CharField("staff time", max_length=200, blank=True)
    leadership_seat = models.BooleanField("a seat on the school's leadership team", default=False)
    meeting_schedule = models.TextField("meeting schedule", max_length=2000, blank=True)
    mid_year_note = models.TextField("mid-year review", max_length=4000, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "coordinators.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["school__name", "-school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"], name="one_agreement_per_school_year"
            ),
            models.CheckConstraint(
                condition=models.Q(school_year__gte=1990, school_year__lte=2200),
                name="agreement_school_year_is_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=AgreementState.values), name="agreement_state_valid"
            ),
        ]

    def __str__(self):
        return f"Agreement of {self.school} for {self.school_year}"


class AgreementGoal(models.Model):
    """One shared outcome goal of an agreement, with an optional measure and target ("chronic
    absence", "from 18% to 14%"), and its end-of-year review."""

    agreement = models.ForeignKey(
        PartnershipAgreement, on_delete=models.CASCADE, related_name="goals"
    )
    order = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField("goal", max_length=300)
    measure = models.CharField(max_length=200, blank=True)
    target = models.CharField(max_length=200, blank=True)
    result = models.CharField(
        "end-of-year result", max_length=10, choices=GoalResult.choices, blank=True
    )
    result_note = models.TextField("end-of-year note", max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result__in=["", *GoalResult.values]),
                name="agreement_goal_result_valid",
            ),
        ]

    def __str__(self):
        return self.outcome


class SignatoryRole(models.TextChoices):
    PRINCIPAL = "principal", "Principal"
    COORDINATOR = "coordinator", "Coordinator"
    DIRECTOR = "director", "Director"


class AgreementSignature(models.Model):
    """One signatory's signature: who, when, and the exact text they signed. A signature
    counts while the agreement's text is still the text signed."""

    Role = SignatoryRole

    agreement = models.ForeignKey(
        PartnershipAgreement, on_delete=models.CASCADE, related_name="signatures"
    )
    role = models.CharField(max_length=12, choices=SignatoryRole.choices)
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    user = models.ForeignKey(
        "coordinators.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField()
    text_signed = models.TextField()
    text_digest = models.CharField(max_length=64)
    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=SignatoryRole.values), name="signature_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.name} on {self.signed_at:%Y-%m-%d}"


class SignatureLink(models.Model):
    """A link emailed to the principal to sign an agreement without an account. Only the
    token's digest is stored; the link works until it expires, is revoked (shared again,
    edited back to draft) or has been used."""

    agreement = models.ForeignKey(
        PartnershipAgreement, on_delete=models.CASCADE, related_name="signature_links"
    )
    email = models.EmailField(max_length=254)
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "coordinators.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Signature link for {self.agreement} to {self.email}"

    def is_open(self, now) -> bool:
        return (
            self.token_digest is not None
            and self.used_at is None
            and self.revoked_at is None
            and now < self.expires_at
        )
