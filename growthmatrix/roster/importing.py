"""The roster import as background work: apply a previewed roster outside the request.

Queued tasks name their function by this module's path, so the task stays here.
"""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from coordinators.models import Organization, User
from growthmatrix.roster.applying import RosterInvalid, roster_import_apply


@task()
def roster_import_run(*, organization_id: int, actor_id: int | None, payload: dict) -> dict:
    """Returns what changed, or the problems found when the database changed since the
    preview (nothing is saved)."""
    organization = Organization.objects.get(pk=organization_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        counts = roster_import_apply(organization=organization, payload=payload, actor=actor)
    except RosterInvalid as invalid:
        return {"ok": False, "errors": [asdict(error) for error in invalid.errors]}
    return {"ok": True, "counts": counts}
