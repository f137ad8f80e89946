"""The coordinator's sheet and the director's review. Views validate, call one service and
turn its refusals into messages: a wrong state is a message, a stale version re-shows what
the person typed, another organization or team is a 404 and the wrong role a 403."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import services
from assessments.access import (
    can_read_coaching_notes,
    can_review,
    can_see_supervisor_side,
    can_share_coaching_notes,
    check_can_edit_self,
    check_can_review,
    get_assessment_for_user,
    get_cycle_for_user,
    is_owner,
)
from assessments.forms import ReviewForm, SelfAssessmentForm
from assessments.models import Assessment
from assessments.selectors import (
    AssessmentSheet,
    assessment_history,
    assessment_sheet,
    coaching_notes_sharing,
    sheet_conflicts,
    sheet_rows,
)
from assessments.services import IncompleteAssessmentError, StaleAssessmentError, WorkflowError
from coordinators.access import role_required
from coordinators.models import CoordinatorProfile, Role
from coordinators.ratelimits import rate_limited

STALE_ELSEWHERE = (
    "This page is out of date: the assessment changed since you opened it. "
    "Check it below and try again."
)


def _posted_version(request) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


def _saved_at(assessment: Assessment) -> str:
    return timezone.localtime(assessment.updated_at).strftime("%H:%M")


# The coordinator's sheet -------------------------------------------------------------------


def _self_form(assessment: Assessment, sheet: AssessmentSheet, data=None) -> SelfAssessmentForm:
    form = SelfAssessmentForm(data, sheet=sheet)
    if data is None:
        form.initial = {
            "version": assessment.version,
            **form.initial_from_ratings("self_level", "self_evidence"),
        }
    return form


def _render_sheet(request, assessment, sheet, form=None, *, status=200, **extra):
    editable = form is not None
    return render(
        request,
        "assessments/assessment_detail.html"
        if not editable
        else "assessments/assessment_form.html",
        {
            "assessment": assessment,
            "matrix": sheet,
            "form": form,
            "categories": sheet_rows(
                sheet, form, missing=extra.get("missing", ()), conflicts=extra.get("conflicts")
            ),
            "missing": extra.get("missing", ()),
            "show_supervisor": assessment.state == Assessment.State.FINALIZED,
            "show_coaching_notes": can_read_coaching_notes(request.user, assessment),
            "sharing": _sharing_of(request.user, assessment),
            "can_recall": assessment.state == Assessment.State.SUBMITTED
            and assessment.review_started_at is None,
            "saved_at": _saved_at(assessment),
        },
        status=status,
    )


def _sharing_of(user, assessment: Assessment):
    """The sharing box of a finalized review, for those who may share its coaching notes."""
    if assessment.state != Assessment.State.FINALIZED:
        return None
    if not can_share_coaching_notes(user, assessment):
        return None
    return coaching_notes_sharing(assessment=assessment)


def _stale_form(form_class, request, current: Assessment, sheet: AssessmentSheet, **kwargs):
    """The person's own POST, re-bound at the current version: saving it again is a choice
    they make having seen what changed, never a silent overwrite."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = form_class(data, sheet=sheet, **kwargs)
    form.is_valid()
    return form


def _move_saved(
    request,
    saved: Assessment,
    move,
    *,
    render_page,
    page_form,
    url_name: str,
    not_yet: str,
    done: str,
):
    """Submit or finalize the assessment just saved from the page (rendered by ``render_page``
    with ``page_form``, at ``url_name``). Missing levels re-show it with them listed and linked,
    the save kept; any other refusal, such as a change made meanwhile, is a message on it."""
    try:
        move(assessment=saved, actor=request.user, expected_version=saved.version)
    except IncompleteAssessmentError as exc:
        messages.error(request, f"{not_yet} {exc}")
        sheet = assessment_sheet(assessment=saved)
        return render_page(
            request, saved, sheet, page_form(saved, sheet), status=400, missing=exc.missing
        )
    except WorkflowError as exc:
        messages.error(request, STALE_ELSEWHERE if isinstance(exc, StaleAssessmentError) else exc)
        return redirect(url_name, pk=saved.pk)
    messages.success(request, done)
    return redirect(url_name, pk=saved.pk)


def _save_self(request, assessment: Assessment, sheet: AssessmentSheet):
    """Save the posted sheet. Returns (saved assessment, None) or (None, response)."""
    form = _self_form(assessment, sheet, data=request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was saved: correct the problems marked below.")
        return None, _render_sheet(request, assessment, sheet, form, status=400)
    try:
        saved = services.assessment_save_self(
            assessment=assessment,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            ratings=form.ratings(),
        )
    except StaleAssessmentError as exc:
        messages.error(request, str(exc))
        sheet = assessment_sheet(assessment=exc.current)
        conflicts = sheet_conflicts(
            sheet, form, level_field="self_level", text_field="self_evidence"
        )
        form = _stale_form(SelfAssessmentForm, request, exc.current, sheet)
        return None, _render_sheet(
            request, exc.current, sheet, form, status=409, conflicts=conflicts
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return None, redirect("assessments:assessment-detail", pk=assessment.pk)
    return saved, None


SAVES_TOO_FAST = (
    "Not saved yet: too many saves in a short time. Your text is still here and will be saved "
    "again in a moment."
)
save_rate_limited = rate_limited("assessment-save", message=SAVES_TOO_FAST)


@require_http_methods(["GET", "POST"])
@save_rate_limited
def assessment_detail(request, pk):
    """The coordinator's own sheet: a form while it is theirs to change, read-only after."""
    assessment = get_assessment_for_user(request, pk)
    if request.method == "GET" and can_review(request.user, assessment):
        # Their director may look, on the review page, but never save the self-assessment.
        return redirect("assessments:assessment-review", pk=assessment.pk)
    check_can_edit_self(request.user, assessment)
    sheet = assessment_sheet(assessment=assessment)
    editable = assessment.is_editable_by_coordinator and services.cycle_accepts_changes(
        assessment.cycle
    )
    if request.method == "POST":
        if not editable:
            messages.error(request, services.STATE_REFUSALS.get(assessment.state, ""))
            return redirect("assessments:assessment-detail", pk=assessment.pk)
        saved, response = _save_self(request, assessment, sheet)
        if response is not None:
            return response
        messages.success(request, f"Draft saved at {_saved_at(saved)}.")
        return redirect("assessments:assessment-detail", pk=assessment.pk)
    form = _self_form(assessment, sheet) if editable else None
    return _render_sheet(request, assessment, sheet, form)


@require_POST
@role_required(Role.COORDINATOR)
@save_rate_limited
def assessment_autosave(request, pk):
    """The background save of the sheet page (static/js/assessment.js); answers JSON."""
    assessment = get_assessment_for_user(request, pk)
    check_can_edit_self(request.user, assessment)
    form = _self_form(assessment, assessment_sheet(assessment=assessment), data=request.POST)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        return JsonResponse(
            {"saved": False, "message": "Not saved: " + (errors[0] if errors else "")}, status=400
        )
    try:
        saved = services.assessment_save_self(
            assessment=assessment,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            ratings=form.ratings(),
        )
    except StaleAssessmentError:
        return JsonResponse(
            {
                "saved": False,
                "conflict": True,
                "message": "Not saved: this assessment was changed in another tab or by someone "
                "else. Press “Save draft” to compare and keep your changes.",
            },
            status=409,
        )
    except WorkflowError as exc:
        return JsonResponse({"saved": False, "message": f"Not saved: {exc}"}, status=409)
    return JsonResponse({"saved": True, "version": saved.version, "saved_at": _saved_at(saved)})


@require_POST
@role_required(Role.COORDINATOR)
def assessment_submit(request, pk):
    """Save what is on the page, then submit it; missing levels are listed and linked."""
    assessment = get_assessment_for_user(request, pk)
    check_can_edit_self(request.user, assessment)
    saved, response = _save_self(request, assessment, assessment_sheet(assessment=assessment))
    if response is not None:
        return response
    return _move_saved(
        request,
        saved,
        services.assessment_submit,
        render_page=_render_sheet,
        page_form=_self_form,
        url_name="assessments:assessment-detail",
        not_yet="Not submitted yet (your draft is saved).",
        done="Submitted. Your director has been told and will review it with you. You can recall "
        "it until they start the review.",
    )


@require_POST
@role_required(Role.COORDINATOR)
def assessment_recall(request, pk):
    assessment = get_assessment_for_user(request, pk)
    check_can_edit_self(request.user, assessment)
    version = _posted_version(request)
    try:
        if version is None:
            raise WorkflowError("The form arrived incomplete; reload the page and try again.")
        services.assessment_recall(
            assessment=assessment, actor=request.user, expected_version=version
        )
    except StaleAssessmentError:
        messages.error(request, STALE_ELSEWHERE)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Recalled: your self-assessment is a draft again.")
    return redirect("assessments:assessment-detail", pk=assessment.pk)


@require_POST
@role_required(Role.COORDINATOR)
def assessment_start(request, cycle_pk):
    """A coordinator who joined after the cycle opened makes their assessment on first visit."""
    cycle = get_cycle_for_user(request, cycle_pk)
    profile = get_object_or_404(CoordinatorProfile, user=request.user)
    try:
        assessment = services.assessment_start(cycle=cycle, profile=profile, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("pages:my-growth")
    return redirect("assessments:assessment-detail", pk=assessment.pk)


# The director's review ----------------------------------------------------------------------


def _review_form(assessment: Assessment, sheet: AssessmentSheet, data=None, **kwargs) -> ReviewForm:
    form = ReviewForm(data, sheet=sheet, **kwargs)
    if data is None:
        form.initial = {
            "version": assessment.version,
            "coaching_notes": assessment.coaching_notes,
            "next_steps": assessment.next_steps,
            **form.initial_from_ratings("supervisor_level", "supervisor_note"),
        }
    return form


def _render_review(request, assessment, sheet, form=None, *, status=200, **extra):
    return render(
        request,
        "assessments/assessment_review.html",
        {
            "assessment": assessment,
            "matrix": sheet,
            "form": form,
            "categories": sheet_rows(
                sheet, form, missing=extra.get("missing", ()), conflicts=extra.get("conflicts")
            ),
            "missing": extra.get("missing", ()),
            "show_self": assessment.state
            in (Assessment.State.SUBMITTED, Assessment.State.FINALIZED),
            "show_supervisor": True,
            "show_coaching_notes": can_read_coaching_notes(request.user, assessment),
            "sharing": _sharing_of(request.user, assessment),
        },
        status=status,
    )


def _save_review(request, assessment: Assessment, sheet: AssessmentSheet, *, returning=False):
    """Save the posted review. Returns (saved assessment, form, None) or (None, None, response)."""
    form = _review_form(assessment, sheet, data=request.POST, returning=returning)
    if not form.is_valid():
        messages.error(request, "Nothing was saved: correct the problems marked below.")
        return None, None, _render_review(request, assessment, sheet, form, status=400)
    try:
        saved = services.assessment_save_review(
            assessment=assessment,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            ratings=form.ratings(),
            coaching_notes=form.cleaned_data["coaching_notes"],
            next_steps=form.cleaned_data["next_steps"],
        )
    except StaleAssessmentError as exc:
        messages.error(request, str(exc))
        sheet = assessment_sheet(assessment=exc.current)
        conflicts = sheet_conflicts(
            sheet, form, level_field="supervisor_level", text_field="supervisor_note"
        )
        form = _stale_form(ReviewForm, request, exc.current, sheet)
        return (
            None,
            None,
            _render_review(request, exc.current, sheet, form, status=409, conflicts=conflicts),
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return None, None, redirect("assessments:assessment-review", pk=assessment.pk)
    return saved, form, None


@require_http_methods(["GET", "POST"])
@role_required(Role.DIRECTOR, Role.ADMIN)
@save_rate_limited
def assessment_review(request, pk):
    """Self and supervisor side by side; a form while the assessment is submitted."""
    assessment = get_assessment_for_user(request, pk)
    check_can_review(request.user, assessment)
    sheet = assessment_sheet(assessment=assessment)
    if assessment.state != Assessment.State.SUBMITTED:
        if request.method == "POST":
            messages.error(request, services.STATE_REFUSALS[assessment.state])
            return redirect("assessments:assessment-review", pk=assessment.pk)
        return _render_review(request, assessment, sheet)
    if request.method == "POST":
        saved, _form, response = _save_review(request, assessment, sheet)
        if response is not None:
            return response
        messages.success(request, f"Review saved at {_saved_at(saved)}.")
        return redirect("assessments:assessment-review", pk=assessment.pk)
    return _render_review(request, assessment, sheet, _review_form(assessment, sheet))


@require_POST
@role_required(Role.DIRECTOR, Role.ADMIN)
def assessment_finalize(request, pk):
    """Save the review on the page, then finalize it; missing levels are listed and linked."""
    assessment = get_assessment_for_user(request, pk)
    check_can_review(request.user, assessment)
    saved, _form, response = _save_review(
        request, assessment, assessment_sheet(assessment=assessment)
    )
    if response is not None:
        return response
    return _move_saved(
        request,
        saved,
        services.assessment_finalize,
        render_page=_render_review,
        page_form=_review_form,
        url_name="assessments:assessment-review",
        not_yet="Not finalized yet (your review is saved).",
        done=f"Finalized. {assessment.coordinator.user.display_name} can now see your levels, "
        "notes and next steps.",
    )


@require_POST
@role_required(Role.DIRECTOR, Role.ADMIN)
def assessment_return(request, pk):
    """Save the review on the page, then send it back to the coordinator with the note."""
    assessment = get_assessment_for_user(request, pk)
    check_can_review(request.user, assessment)
    saved, form, response = _save_review(
        request, assessment, assessment_sheet(assessment=assessment), returning=True
    )
    if response is not None:
        return response
    try:
        services.assessment_return(
            assessment=saved,
            actor=request.user,
            expected_version=saved.version,
            note=form.cleaned_data["return_note"],
        )
    except WorkflowError as exc:
        messages.error(request, STALE_ELSEWHERE if isinstance(exc, StaleAssessmentError) else exc)
        return redirect("assessments:assessment-review", pk=assessment.pk)
    messages.success(
        request,
        f"Returned to {assessment.coordinator.user.display_name} with your note; they can "
        "change it and submit again.",
    )
    return redirect("assessments:assessment-review", pk=assessment.pk)


# History ---------------------------------------------------------------------------------


@require_GET
def assessment_history_view(request, pk):
    """Every change in plain words. The coordinator sees the supervisor's changes once the
    review is finalized, as they see the levels themselves."""
    assessment = get_assessment_for_user(request, pk)
    owner = is_owner(request.user, assessment)
    return render(
        request,
        "assessments/assessment_history.html",
        {
            "assessment": assessment,
            "entries": assessment_history(
                assessment=assessment,
                include_supervisor=can_see_supervisor_side(request.user, assessment),
                include_coaching_notes=can_read_coaching_notes(request.user, assessment),
            ),
            "back_url_name": "assessments:assessment-detail"
            if owner
            else "assessments:assessment-review",
        },
    )
