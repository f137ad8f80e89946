"""The team dashboard's CSV and XLSX exports: written at once when small, built in the
background when they cover more than EXPORT_QUEUE_ROWS coordinators, with a page that shows
their progress and the one view that hands out their files."""

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from coordinators.access import role_required
from coordinators.models import Role
from dashboards import exports
from dashboards.access import get_export_job_for_user
from dashboards.export_jobs import (
    TeamOutOfReach,
    export_download_name,
    export_expires_on,
    export_job_create,
    private_storage,
    requested_dashboard,
)
from dashboards.models import ExportJob

REFRESH_SECONDS = 3  # how often the progress page reloads itself without JavaScript
SIGNED_URL_SECONDS = 60


@require_http_methods(["GET", "POST"])
@role_required(Role.DIRECTOR, Role.ADMIN)
def team_dashboard_export(request, fmt):
    """GET: the dashboard as CSV or XLSX, every row of the filtered list in its order; past
    EXPORT_QUEUE_ROWS coordinators, a page that offers to build it in the background.
    POST: queue that background export (or find the same one the person asked for before,
    while nothing it shows has changed) and show its progress."""
    try:
        wanted = requested_dashboard(user=request.user, query=request.GET)
    except TeamOutOfReach as exc:
        raise Http404("No such team in your reach.") from exc
    people = wanted.people_count()
    if request.method == "POST":
        job = export_job_create(
            requester=request.user,
            query=request.GET,
            fmt=fmt,
            people=people,
            reuse_key=wanted.reuse_key(request.GET, fmt),
        )
        return redirect("dashboards:export-job", pk=job.pk)
    if people > settings.EXPORT_QUEUE_ROWS:
        return render(
            request,
            "dashboards/export_start.html",
            {
                "people": people,
                "format_label": ExportJob.Format(fmt).label,
                "query": request.GET.urlencode(),
                "days": settings.EXPORT_KEEP_DAYS,
            },
        )
    dashboard = wanted.read()
    header, lines = exports.matrix_table(dashboard.rows, dashboard.cycle)
    filename = export_download_name(user=request.user, dashboard=dashboard, fmt=fmt)
    if fmt == "xlsx":
        title = dashboard.cycle.name if dashboard.cycle else "Matrix"
        return exports.xlsx_response(filename, header, lines, title=title)
    return exports.csv_response(filename, header, lines)


@require_GET
def export_job(request, pk):
    """Where a background export stands; the download once it is ready. Without JavaScript
    the page reloads itself while the export is being written; with it, it asks for the
    progress (export_job_status) and reloads when the export is done."""
    job = get_export_job_for_user(request, pk)
    return render(
        request,
        "dashboards/export_job.html",
        {
            "job": job,
            "expires_on": export_expires_on(job),
            "refresh_seconds": REFRESH_SECONDS,
            "status_url": reverse("dashboards:export-job-status", kwargs={"pk": job.pk}),
        },
    )


@require_GET
def export_job_status(request, pk):
    job = get_export_job_for_user(request, pk)
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent": job.percent,
            "pending": job.pending,
        }
    )


@require_GET
def export_job_download(request, pk):
    """The file of a ready export, to its requester only: streamed from the filesystem, or a
    redirect to a signed address of the S3 store that works for a minute."""
    job = get_export_job_for_user(request, pk)
    if job.state != ExportJob.State.READY:
        return redirect("dashboards:export-job", pk=job.pk)
    storage = private_storage()
    if getattr(storage, "querystring_auth", False):
        disposition = f'attachment; filename="{job.download_name}"'
        return redirect(
            storage.url(
                job.file_name,
                parameters={"ResponseContentDisposition": disposition},
                expire=SIGNED_URL_SECONDS,
            )
        )
    if not storage.exists(job.file_name):
        raise Http404("This export's file is gone; ask for it again.")
    return FileResponse(
        storage.open(job.file_name, "rb"),
        as_attachment=True,
        filename=job.download_name,
        content_type=exports.XLSX_TYPE
        if job.format == ExportJob.Format.XLSX
        else "text/csv; charset=utf-8",
    )
