"""The roster import as background work: apply a previewed roster outside the request.

Queued tasks name their function by this module's path, so the task stays here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

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


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A queued roster import that saved nothing: it failed, or the database had changed
    since its preview."""

    result_id: str
    enqueued_at: object  # aware datetime
    failed: bool  # True: it broke; False: refused with row problems
    problems: int


def roster_imports_with_errors(*, organization_id: int, days: int = 30) -> list[ImportProblem]:
    """The organization's roster imports of the last ``days`` that saved nothing, newest first
    (one query). Only imports queued on the database task backend are kept; imports run at
    once show their outcome on the spot and leave no record."""
    rows = (
        DBTaskResult.objects.filter(
            task_path=f"{__name__}.roster_import_run",
            args_kwargs__kwargs__organization_id=organization_id,
            enqueued_at__gte=timezone.now() - timedelta(days=days),
        )
        .filter(Q(status="FAILED") | Q(return_value__ok=False))
        .order_by("-enqueued_at")
        .values_list("id", "enqueued_at", "status", "return_value")
    )
    return [
        ImportProblem(
            result_id=str(pk),
            enqueued_at=enqueued_at,
            failed=status == "FAILED",
            problems=len((value or {}).get("errors", [])),
        )
        for pk, enqueued_at, status, value in rows
    ]
