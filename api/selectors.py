"""What the read API returns: each page a few queries, whatever its size, scoped to the
token's organization."""

from datetime import datetime

from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from api.cursors import cursor_decode, cursor_encode
from api.models import Deletion
from assessments.models import Assessment, AssessmentCycle, CategoryScore
from coordinators.models import Membership, School, Team, User
from dashboards import flags as flag_rules
from dashboards.models import CoordinatorCycleRow


def _changed_page(rows, *, cursor, limit, updated_since, item, at="updated_at") -> dict:
    """Rows oldest change first (``at``, then id), from ``updated_since`` and after the
    cursor: a nightly sync asks from its last ``next_cursor`` or from the time of its last
    sync and gets only what changed. A cursor from before a change of order (an id only)
    still reads as "after this id"."""
    if updated_since is not None:
        rows = rows.filter(**{f"{at}__gte": updated_since})
    if cursor:
        pk, when = cursor_decode(cursor)
        if when is not None:
            rows = rows.filter(Q(**{f"{at}__gt": when}) | Q(**{at: when, "pk__gt": pk}))
        else:
            rows = rows.filter(pk__gt=pk)
    found = list(rows.order_by(at, "pk")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    last = found[-1] if found else None
    return {
        "results": [item(row) for row in found],
        "next_cursor": cursor_encode(pk=last.pk, updated_at=getattr(last, at)) if more else None,
    }


def _fields(*names: str):
    """An item of a page that is the row's own fields, named as the model names them."""
    return lambda row: {name: getattr(row, name) for name in names}


def schools_page(organization_id, *, cursor=None, limit=100, updated_since=None) -> dict:
    return _changed_page(
        School.objects.filter(organization_id=organization_id),
        cursor=cursor,
        limit=limit,
        updated_since=updated_since,
        item=_fields("id", "name", "level", "setting", "active", "updated_at"),
    )


def teams_page(organization_id, *, cursor=None, limit=100, updated_since=None) -> dict:
    return _changed_page(
        Team.objects.filter(organization_id=organization_id),
        cursor=cursor,
        limit=limit,
        updated_since=updated_since,
        item=_fields("id", "name", "director_id", "updated_at"),
    )


def people_page(organization_id, *, cursor=None, limit=100, updated_since=None) -> dict:
    """Names, work email and roles only: no other personal contact data. A person changes
    when their account or their coordinator profile does (``changed_at``, the later)."""
    rows = (
        User.objects.filter(organization_id=organization_id)
        .select_related("profile")
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.order_by("role")))
        .annotate(changed_at=Greatest("updated_at", Coalesce("profile__updated_at", "updated_at")))
    )

    def item(user):
        profile = getattr(user, "profile", None)
        return {
            "id": user.pk,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "active": user.is_active,
            "roles": [m.role for m in user.memberships.all()],
            "team_id": profile.team_id if profile else None,
            "updated_at": user.changed_at,
        }

    return _changed_page(
        rows, cursor=cursor, limit=limit, updated_since=updated_since, item=item, at="changed_at"
    )


def cycles_page(organization_id, *, cursor=None, limit=100, updated_since=None) -> dict:
    return _changed_page(
        AssessmentCycle.objects.filter(organization_id=organization_id),
        cursor=cursor,
        limit=limit,
        updated_since=updated_since,
        item=_fields("id", "name", "state", "opens_on", "due_on", "closes_on", "updated_at"),
    )


def assessments_page(
    organization_id,
    *,
    cursor=None,
    limit=100,
    cycle: int | None = None,
    updated_since: datetime | None = None,
) -> dict:
    """Oldest change first, so that a nightly sync asks from its last cursor or from
    ``updated_since`` and gets only what changed. Levels only; no evidence or notes."""
    rows = (
        Assessment.objects.filter(cycle__organization_id=organization_id)
        .prefetch_related(
            Prefetch("category_scores", queryset=CategoryScore.objects.order_by("category_key"))
        )
        .select_related("coordinator")
    )
    if cycle is not None:
        rows = rows.filter(cycle_id=cycle)
    return _changed_page(
        rows,
        cursor=cursor,
        limit=limit,
        updated_since=updated_since,
        item=lambda a: {
            "id": a.pk,
            "cycle_id": a.cycle_id,
            "person_id": a.coordinator.user_id,
            "team_id": a.team_id,
            "state": a.state,
            "submitted_at": a.submitted_at,
            "finalized_at": a.finalized_at,
            "updated_at": a.updated_at,
            "categories": [
                {
                    "key": s.category_key,
                    "self_level": s.self_level,
                    "supervisor_level": s.supervisor_level,
                }
                for s in a.category_scores.all()
            ],
        },
    )


def _raised_since(since: datetime, today):
    """Rows with a flag whose first day falls after ``since`` and by ``today``: raised by the
    passing days, with nothing written."""
    day = timezone.localdate(since)
    after = Q()
    for code in flag_rules.FLAG_LABELS:
        after |= Q(**{f"{code}_from__gt": day, f"{code}_from__lte": today})
    return after


def flags_page(
    organization_id,
    *,
    cursor=None,
    limit=100,
    cycle: int | None = None,
    updated_since: datetime | None = None,
) -> dict:
    """Each person's flags in each cycle as the dashboards show them: read from the read
    model (``CoordinatorCycleRow``), with its words, as of today or the cycle's close when
    that came first. A row with no flag is listed too, so that a sync clears what is gone.
    ``updated_since`` lists the rows written since, and those with a flag raised since by
    the days passing."""
    today = timezone.localdate()
    rows = CoordinatorCycleRow.objects.filter(organization_id=organization_id).select_related(
        "cycle", "coordinator"
    )
    if cycle is not None:
        rows = rows.filter(cycle_id=cycle)
    codes = list(flag_rules.FLAG_LABELS)

    def item(row):
        as_of = min(today, row.cycle.closes_on)
        flags = []
        for code in codes:
            start = getattr(row, f"{code}_from")
            if start is None or start > as_of or code not in row.flag_words:
                continue
            flag = flag_rules.stored_flag(code, row.flag_words[code], as_of)
            flags.append(
                {
                    "code": code,
                    "label": flag.label,
                    "explanation": flag.explanation,
                    "categories": list(flag.categories),
                    "since": None if start == flag_rules.ALWAYS else start,
                }
            )
        return {
            "person_id": row.coordinator.user_id,
            "cycle_id": row.cycle_id,
            "status": row.status,
            "as_of": as_of,
            "updated_at": row.written_at,
            "flags": flags,
        }

    if updated_since is not None:
        rows = rows.filter(Q(written_at__gte=updated_since) | _raised_since(updated_since, today))
    return _changed_page(
        rows, cursor=cursor, limit=limit, updated_since=None, item=item, at="written_at"
    )


def changes_page(
    organization_id, *, cursor=None, limit=100, updated_since: datetime | None = None
) -> dict:
    """What was deleted, oldest first: the kind (school, team, person, cycle, assessment), the
    id as the other lists give it, and when."""
    return _changed_page(
        Deletion.objects.filter(organization_id=organization_id),
        cursor=cursor,
        limit=limit,
        updated_since=updated_since,
        at="deleted_at",
        item=lambda d: {
            "change": "deleted",
            "kind": d.kind,
            "id": d.object_id,
            "at": d.deleted_at,
        },
    )
