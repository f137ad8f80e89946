"""Dashboard exports too large to write inside the request: a job row, a background task that
writes the file to the private storage and records its progress, an email when it is ready,
and the expiry that deletes old files.

The task rebuilds the dashboard from the requester and the filters they used, through the
same reach as the page, so the file holds exactly what the dashboard showed them. Queued tasks
name their function by this module's path, so the task stays here.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.core.mail import send_mail
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from coordinators.access import has_role
from coordinators.models import Role, Team, User
from dashboards import exports, fragments
from dashboards.filters import DashboardFilterSet
from dashboards.models import ExportJob
from dashboards.selectors.team import (
    DashboardReach,
    TeamDashboard,
    TeamOutOfReach,
    dashboard_reach,
)
from dashboards.selectors.team import team_dashboard_for as _team_dashboard_for

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 100  # rows written between two progress updates (one UPDATE each)


def private_storage():
    """Where export files live: never served by URL, only through the download view."""
    return storages["private"]


# The dashboard a query asks for ------------------------------------------------------------


@dataclass
class RequestedDashboard:
    """The reach, chosen team and parsed filters of one person's dashboard query, before any
    row is read: enough to count the rows an export would have."""

    reach: DashboardReach
    team: Team | None
    filterset: DashboardFilterSet

    def people_count(self) -> int:
        """Coordinators the filters keep (before the flag and status filters; one query)."""
        return self.filterset.qs.count()

    def read(self) -> TeamDashboard:
        return _team_dashboard_for(reach=self.reach, team=self.team, filterset=self.filterset)

    def reuse_key(self, query: QueryDict, fmt: str) -> str:
        """The same for two requests exactly when their files would hold the same: the same
        reach, filters and format, on the same day (flags start with the date), with no write
        to the organization's dashboards between them (the version the fragment cache keys
        on, read with the reach's cycles)."""
        reach = self.reach
        return fragments.fragment_key(
            page=f"export-{fmt}",
            organization_id=reach.organization_id,
            cycle_id=None,
            scope=fragments.scope_of(
                is_admin=reach.everyone,
                team_ids=() if reach.everyone else [team.pk for team in reach.teams],
            ),
            query=_as_query(export_query(query)),
            version=reach.version,
        )


def requested_dashboard(*, user: User, query: QueryDict) -> RequestedDashboard:
    """The dashboard ``user`` asks for with ``query``: their teams for a director, the whole
    organization (or one chosen team) for an org admin."""
    reach = dashboard_reach(user=user)
    filterset = DashboardFilterSet(
        query or None, queryset=reach.profiles, cycles=reach.cycles, teams=reach.team_queryset
    )
    team = reach.team_named_by(query.get("team", ""), filterset)
    return RequestedDashboard(reach=reach, team=team, filterset=filterset)


def export_download_name(*, user: User, dashboard: TeamDashboard, fmt: str) -> str:
    """``growth-matrix-<team, organization or "teams">-<cycle>.<fmt>``."""
    if dashboard.team is not None or len(dashboard.teams) == 1:
        scope = (dashboard.team or dashboard.teams[0]).name
    elif has_role(user, Role.ADMIN):
        scope = user.organization.slug
    else:
        scope = "teams"
    cycle_name = dashboard.cycle.name if dashboard.cycle else ""
    return exports.export_filename("growth-matrix", scope, cycle_name, extension=fmt)


def export_query(query: QueryDict) -> dict[str, list[str]]:
    """The filters of a dashboard query as stored with a job (the page number left out)."""
    return {key: query.getlist(key) for key in query if key != "page"}


def _as_query(filters: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in filters.items():
        query.setlist(key, [str(value) for value in values])
    return query


# Writes --------------------------------------------------------------------------------------


@transaction.atomic
def export_job_create(
    *, requester: User, query: QueryDict, fmt: str, people: int, reuse_key: str = ""
) -> ExportJob:
    """Record the export and queue its task once the row is committed; or, when the
    requester already asked for the same file (the same ``reuse_key``: see
    ``RequestedDashboard.reuse_key``), that export, still being written or written with its
    file still there: a second click, a second tab or a reload is not a second file to wait
    for and a second email."""
    if reuse_key and (earlier := _same_export(requester, reuse_key)):
        return earlier
    job = ExportJob.objects.create(
        requester=requester,
        organization_id=requester.organization_id,
        filters=export_query(query),
        format=fmt,
        rows_total=people,
        reuse_key=reuse_key,
    )
    transaction.on_commit(partial(export_job_run.enqueue, job_id=job.pk))
    return job


def _same_export(requester: User, reuse_key: str) -> ExportJob | None:
    """The requester's latest export of that key that is not failed and whose file, once
    written, is still in the storage."""
    earlier = (
        ExportJob.objects.filter(requester=requester, reuse_key=reuse_key)
        .exclude(state=ExportJob.State.FAILED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if earlier is None or earlier.pending:
        return earlier
    return earlier if private_storage().exists(earlier.file_name) else None


def _claim(job_id: int) -> ExportJob | None:
    """Move a queued job to running, once: a second worker given the same task finds nothing."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
        state=ExportJob.State.RUNNING, rows_done=0
    )
    if not claimed:
        return None
    return ExportJob.objects.select_related("requester__organization").get(pk=job_id)


def _counted(job: ExportJob, lines: Iterable[list]) -> Iterator[list]:
    """``lines`` as they are written, recording every PROGRESS_EVERY rows how far it got."""
    done = 0
    for line in lines:
        yield line
        done += 1
        if done % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done)


def export_job_build(*, job: ExportJob) -> ExportJob:
    """Write the job's file to the private storage and mark it ready (or failed, with a
    sentence its requester can read). Deliberately not one transaction: each progress update
    commits at once, so the progress page sees it while the file is being written."""
    user = job.requester
    try:
        wanted = requested_dashboard(user=user, query=_as_query(job.filters))
        dashboard = wanted.read()
    except TeamOutOfReach:
        return _fail(job, "The team of this export is no longer yours to see.")
    job.rows_total = len(dashboard.rows)
    ExportJob.objects.filter(pk=job.pk).update(rows_total=job.rows_total)
    download_name = export_download_name(user=user, dashboard=dashboard, fmt=job.format)
    header = exports.matrix_header()
    lines = _counted(job, exports.matrix_lines(dashboard.rows, dashboard.cycle))
    name = f"exports/{job.organization_id}/{job.pk}-{secrets.token_hex(8)}.{job.format}"
    with tempfile.TemporaryFile() as out:
        if job.format == ExportJob.Format.XLSX:
            cycle_name = dashboard.cycle.name if dashboard.cycle else ""
            exports.write_xlsx(out, header, lines, title=cycle_name or "Matrix")
        else:
            exports.write_csv(out, header, lines)
        out.seek(0)
        stored = private_storage().save(name, File(out, name=download_name))
    job.state = ExportJob.State.READY
    job.rows_done = job.rows_total
    job.file_name = stored
    job.download_name = download_name
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "state",
            "rows_done",
            "rows_total",
            "file_name",
            "download_name",
            "finished_at",
        ]
    )
    return job


def _fail(job: ExportJob, reason: str) -> ExportJob:
    job.state = ExportJob.State.FAILED
    job.error = reason
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "finished_at"])
    return job


@task()
def export_job_run(*, job_id: int) -> str:
    """Build one queued export, then email its requester where to download it."""
    job = _claim(job_id)
    if job is None:
        return "not queued"
    try:
        job = export_job_build(job=job)
    except Exception:
        logger.exception("Export %s failed", job_id)
        job = _fail(job, "Something went wrong while writing the file. Ask for it again.")
    export_job_notify(job)
    return job.state


def export_job_notify(job: ExportJob) -> None:
    """An email to the requester: the export is ready (with the page to download it from),
    or it failed."""
    user = job.requester
    url = settings.SITE_URL + reverse("dashboards:export-job", kwargs={"pk": job.pk})
    ready = job.state == ExportJob.State.READY
    send_mail(
        subject="Your Growth Matrix export is ready" if ready else "Your export failed",
        message=render_to_string(
            "emails/export_ready.txt",
            {
                "recipient": user,
                "job": job,
                "ready": ready,
                "url": url,
                "days": settings.EXPORT_KEEP_DAYS,
            },
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def export_jobs_expire(*, days: int, now=None) -> int:
    """Delete the exports older than ``days`` days: their files, then their rows. Returns how
    many. A file already gone (deleted by hand, or by an earlier run that stopped midway) is
    no reason to keep the row."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    storage = private_storage()
    expired = list(ExportJob.objects.filter(created_at__lt=cutoff).values_list("pk", "file_name"))
    for _pk, file_name in expired:
        if file_name:
            storage.delete(file_name)
    ExportJob.objects.filter(pk__in=[pk for pk, _ in expired]).delete()
    return len(expired)


def export_expires_on(job: ExportJob):
    """When ``exports_expire`` will delete this export."""
    return job.created_at + timedelta(days=settings.EXPORT_KEEP_DAYS)
