"""A member's second factor reset by an admin, as an entry of the person page's history
(coordinators/change_history.py reads it through ``person_entries_register``)."""

from coordinators.change_history import ChangeEntry, FieldChange
from signin.models import TwoFactorReset

RESET = FieldChange(
    "Two-factor sign-in", "set up", "reset (authenticator app and recovery codes removed)"
)


def two_factor_reset_entries(person) -> list[ChangeEntry]:
    """One query."""
    return [
        ChangeEntry(
            reset.reset_at,
            reset.reset_by.display_name if reset.reset_by else "Growth Matrix",
            "changed",
            [RESET],
        )
        for reset in TwoFactorReset.objects.filter(member_id=person.pk).select_related("reset_by")
    ]
