"""The org admin's roster import: upload, preview, confirm, and the template files."""

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus as ResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from coordinators.access import role_required
from coordinators.models import Role
from coordinators.ratelimits import RateLimited, too_many
from coordinators.services import (
    ADDRESS_UNUSABLE,
    address_refusals_check,
    address_refusals_record,
)
from growthmatrix.roster.forms import RosterUploadForm
from growthmatrix.roster.importing import roster_import_run
from growthmatrix.roster.plan import RowError
from growthmatrix.roster.planning import roster_check
from growthmatrix.roster.sheets import KIND_LABELS, SHEETS
from growthmatrix.roster.template_files import template_csv, template_xlsx

SESSION_KEY = "roster_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns_help():
    return [
        (sheet.label, kind, [(c.name, c.required, c.help) for c in sheet.ordered_columns])
        for kind, sheet in SHEETS.items()
    ]


@role_required(Role.ADMIN)
def roster_import(request):
    """Upload a file; show what it would create and update, or every bad row."""
    posted = request.method == "POST"
    form = RosterUploadForm(request.POST, request.FILES) if posted else RosterUploadForm()
    if posted:
        try:
            address_refusals_check(request)
        except RateLimited as refusal:
            return too_many(request, refusal)
    if posted and form.is_valid():
        plan = roster_check(
            organization=request.user.organization, tables=form.cleaned_data["tables"]
        )
        refused = [
            (e.value, "an account of another organization")
            for e in plan.errors
            if e.message == ADDRESS_UNUSABLE
        ]
        try:
            address_refusals_record(request, refused)
        except RateLimited as refusal:
            return too_many(request, refusal)
        token = secrets.token_urlsafe(16)
        name = form.cleaned_data["file"].name
        if plan.is_valid and plan.has_work:
            request.session[SESSION_KEY] = {"token": token, "payload": plan.payload, "name": name}
        else:
            request.session.pop(SESSION_KEY, None)
        return render(
            request,
            "roster/roster_import_preview.html",
            {"plan": plan, "token": token, "file_name": name},
        )
    return render(
        request,
        "roster/roster_import.html",
        {"form": form, "columns_help": _columns_help()},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(Role.ADMIN)
def roster_import_confirm(request):
    stored = request.session.get(SESSION_KEY)
    if not stored or not secrets.compare_digest(
        stored.get("token", ""), request.POST.get("token", "")
    ):
        messages.error(
            request,
            "That preview is no longer available (it was imported already or replaced by "
            "another upload). Upload the file again to see a fresh preview.",
        )
        return redirect("roster:roster-import")
    del request.session[SESSION_KEY]
    result = roster_import_run.enqueue(
        organization_id=request.user.organization_id,
        actor_id=request.user.pk,
        payload=stored["payload"],
    )
    if result.status == ResultStatus.SUCCESSFUL:
        return _outcome(request, result.return_value, stored["name"])
    if result.status == ResultStatus.FAILED:
        messages.error(request, "The import failed unexpectedly and nothing was saved. Try again.")
        return redirect("roster:roster-import")
    return redirect("roster:roster-import-status", result_id=result.id)


@role_required(Role.ADMIN)
def roster_import_status(request, result_id):
    """Where a queued import stands (database task backend)."""
    try:
        result = roster_import_run.get_result(result_id)
    except (
        TaskResultDoesNotExist,
        TaskResultMismatch,
        NotImplementedError,
        ValidationError,
        ValueError,
    ) as exc:
        raise Http404("No such import.") from exc
    if result.kwargs.get("organization_id") != request.user.organization_id:
        raise Http404("No such import.")
    if result.status == ResultStatus.SUCCESSFUL:
        return _outcome(request, result.return_value, "")
    return render(
        request,
        "roster/roster_import_done.html",
        {
            "pending": result.status != ResultStatus.FAILED,
            "failed": result.status == ResultStatus.FAILED,
        },
    )


def _outcome(request, outcome: dict, name: str):
    errors = [RowError(**e) for e in outcome.get("errors", [])]
    return render(
        request,
        "roster/roster_import_done.html",
        {
            "ok": outcome.get("ok"),
            "counts": outcome.get("counts"),
            "errors": errors,
            "file_name": name,
            "labels": KIND_LABELS,
        },
        status=200 if outcome.get("ok") else 409,
    )


@role_required(Role.ADMIN)
def roster_template(request, kind):
    """An empty CSV of one kind, or the XLSX workbook with all three sheets."""
    if kind == "roster":
        response = HttpResponse(template_xlsx(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="growth-matrix-roster.xlsx"'
        return response
    if kind not in SHEETS:
        raise Http404("No such template.")
    response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="growth-matrix-{kind}.csv"'
    return response
