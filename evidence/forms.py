"""The forms of evidence: adding a file or a link, and the org admin's review settings."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from assessments.models import EvidenceKind, ReviewSettings
from coordinators.form_helpers import VersionedFormMixin, int_or_none
from evidence.services import TITLE_MAX_CHARS, EvidenceOwner

REVIEW_OWNER = "review"


class CheckInAttachmentForm(forms.Form):
    """One file or one link, with an optional title; ``version`` is the owner's (a check-in's
    here, an assessment's in ``AttachmentForm``), as the page read it."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    title = forms.CharField(label="Title", max_length=TITLE_MAX_CHARS, required=False)
    # Empty files reach the service, which says why it refuses them.
    file = forms.FileField(label="File", required=False, allow_empty_file=True)
    url = forms.CharField(label="or a link", max_length=2000, required=False)

    def clean(self):
        cleaned = super().clean()
        has_file = cleaned.get("file") is not None
        has_url = bool(cleaned.get("url", "").strip())
        if has_file == has_url:
            raise forms.ValidationError(
                "Choose a file or type a link (one at a time)."
                if not has_file
                else "Add the file and the link one at a time."
            )
        return cleaned

    def first_error(self) -> str:
        for errors in self.errors.values():
            return errors[0]
        return ""


class AttachmentForm(CheckInAttachmentForm):
    """A file or a link for one indicator's evidence (``owner`` is the indicator's id) or the
    review (``owner`` is "review"); ``version`` is the assessment's."""

    owner = forms.CharField(max_length=20, widget=forms.HiddenInput)

    def clean_owner(self):
        owner = self.cleaned_data["owner"]
        if owner == REVIEW_OWNER:
            return EvidenceOwner()
        indicator = int_or_none(owner)
        if indicator is not None:
            return EvidenceOwner(indicator_id=indicator)
        raise forms.ValidationError("The form arrived incomplete; reload the page.")


class ReviewSettingsForm(VersionedFormMixin, forms.ModelForm):
    """Acknowledgement on or off, when an unacknowledged review needs attention, and which
    kinds of evidence files the organization accepts."""

    evidence_kinds = forms.MultipleChoiceField(
        label="Kinds of evidence files people may attach",
        choices=EvidenceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked to accept links only.",
    )

    class Meta:
        model = ReviewSettings
        fields = ["acknowledgement_on", "acknowledgement_overdue_days", "evidence_kinds"]
        labels = {
            "acknowledgement_on": "Coordinators acknowledge their finalized review",
            "acknowledgement_overdue_days": "Days before an unacknowledged review needs "
            "the director's attention",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = self.fields["acknowledgement_overdue_days"]
        days.min_value, days.max_value = 1, 365
        days.widget.attrs.update({"min": 1, "max": 365})
        days.validators += [MinValueValidator(1), MaxValueValidator(365)]

    def clean_evidence_kinds(self):
        chosen = set(self.cleaned_data["evidence_kinds"])
        return [kind for kind in EvidenceKind.values if kind in chosen]
