"""The flag thresholds form: each value with its range, its default and the flag it tunes."""

from django import forms

from coordinators.form_helpers import VersionedFormMixin
from dashboards import flags as flag_rules
from dashboards.models import FlagThresholds

# field → (minimum, maximum, unit, the flag it tunes); the ranges match the model's constraint.
THRESHOLD_FIELDS = {
    "site_gap_levels": (1, 2, "levels", flag_rules.SITE_GAP),
    "support_gap_levels": (1, 2, "levels", flag_rules.SUPPORT_GAP),
    "development_grace_years": (0, 10, "years", flag_rules.DEVELOPMENT_GAP),
    "perception_gap_levels": (1, 2, "levels", flag_rules.PERCEPTION_GAP),
    "stalled_cycles": (2, 10, "finalized cycles", flag_rules.STALLED),
    "long_tenure_extra_years": (0, 10, "years", flag_rules.LONG_TENURE),
    "agreement_grace_days": (0, 365, "days", flag_rules.NO_AGREEMENT),
}


def threshold_defaults() -> dict[str, int | str]:
    return {
        name: FlagThresholds._meta.get_field(name).default
        for name in [*THRESHOLD_FIELDS, "site_score_rule"]
    }


class FlagThresholdsForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = FlagThresholds
        fields = [*THRESHOLD_FIELDS, "site_score_rule"]
        widgets = {"site_score_rule": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = threshold_defaults()
        for name, (low, high, unit, flag) in THRESHOLD_FIELDS.items():
            field = self.fields[name]
            field.label = f"{flag_rules.FLAG_LABELS[flag]}: {field.help_text}"
            field.help_text = f"{low} to {high} {unit}. Default: {defaults[name]}."
            field.min_value, field.max_value = low, high
            field.widget.attrs.update({"min": low, "max": high})
            field.validators = [
                *(v for v in field.validators if not hasattr(v, "limit_value")),
                _range_validator(low, high, unit),
            ]
        rule = self.fields["site_score_rule"]
        rule.label = "Whose School site level the site gap and site ahead flags rest on"
        rule.help_text = (
            "In a finalized review. The flag's explanation always says whose view it is; a "
            "self-assessment not yet reviewed uses the coordinator's own level."
        )

    def rows(self):
        """Each field with its default, for the page that shows them side by side."""
        defaults = threshold_defaults()
        for name, (_low, _high, unit, flag) in THRESHOLD_FIELDS.items():
            current = getattr(self.instance, name)
            yield {
                "field": self[name],
                "default": defaults[name],
                "unit": unit[:-1] if defaults[name] == 1 else unit,  # "1 level", "2 levels"
                "changed": current != defaults[name],
                "flag_help": flag_rules.FLAG_HELP[flag],
            }


def _range_validator(low: int, high: int, unit: str):
    def validate(value):
        if value is not None and not low <= value <= high:
            raise forms.ValidationError(f"Choose a value from {low} to {high} {unit}.")

    return validate
