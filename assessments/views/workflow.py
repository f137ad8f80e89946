"""The coordinator's matrix and the director's review (DESIGN.md, "Cycles and the assessment
workflow"). Views validate, call one service and turn its refusals into messages: a wrong
state is a message, a stale version re-shows what the person typed, another organization or
team is a 404 and the wrong role a 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import services
from assessments.forms import MatrixForm, ReviewForm, SelfAssessmentForm
from assessments.models import Assessment, AssessmentCycle
from assessments.selectors import Matrix, assessment_history, get_assessment_for_user, matrix_load
from assessments.services import IncompleteAssessmentError, StaleAssessmentError, WorkflowError
from coordinators.access import can_direct, role_required
from coordinators.models import CoordinatorProfile, Role
from coordinators.ratelimits import rate_limited

STALE_ELSEWHERE = (
    "This page is out of date: the assessment changed since you opened it. "
    "Check it below and try again."
)


def _is_owner(request, assessment: Assessment) -> bool:
    return assessment.coordinator.user_id == request.user.pk


def _require_owner(request, assessment: Assessment) -> None:
    if not _is_owner(request, assessment):
        raise PermissionDenied("Only the coordinator works on their own self-assessment.")


def _require_reviewer(request, assessment: Assessment) -> None:
    if _is_owner(request, assessment) or not can_direct(request.user, assessment.coordinator):
        raise PermissionDenied("Only the coordinator's director or an org admin reviews this.")


def _posted_version(request) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


def _level_name(matrix: Matrix, value) -> str:
    return matrix.level_names.get(value, str(value))


def _differs(matrix: Matrix, rating) -> str:
    """The words that mark a row where self and supervisor disagree (never colour alone)."""
    if rating is None or rating.self_level is None or rating.supervisor_level is None:
        return ""
    if rating.self_level == rating.supervisor_level:
        return ""
    return (
        f"Differs: self {_level_name(matrix, rating.self_level)}, "
        f"supervisor {_level_name(matrix, rating.supervisor_level)}"
    )


def _rows(matrix: Matrix, form: MatrixForm | None = None, *, missing=(), conflicts=None):
    """The matrix as the templates walk it: categories, then one row per indicator with its
    radio options (checked from the form), errors, conflicts and the differs marker."""
    missing_ids = {indicator.pk for indicator in missing}
    conflicts = conflicts or {}
    categories = []
    for category in matrix.categories:
        rows = []
        for item in category.indicators:
            row = {
                "item": item,
                "rating": item.rating,
                "self_level_name": _level_name(matrix, getattr(item.rating, "self_level", None)),
                "supervisor_level_name": _level_name(
                    matrix, getattr(item.rating, "supervisor_level", None)
                ),
                "self_descriptor": item.descriptors.get(getattr(item.rating, "self_level", None)),
                "differs": _differs(matrix, item.rating),
                "missing": item.pk in missing_ids,
                "conflict": conflicts.get(item.pk),
            }
            if form is not None:
                level_field = form[form.level_name(item.pk)]
                chosen = level_field.value()
                row["level_field"] = level_field
                row["text_field"] = form[form.text_name(item.pk)]
                row["options"] = [
                    {
                        "value": level.value,
                        "name": level.name,
                        "text": item.descriptors.get(level.value, ""),
                        "id": f"{level_field.auto_id}_{level.value}",
                        "checked": chosen is not None and str(chosen) == str(level.value),
                        "is_self": getattr(item.rating, "self_level", None) == level.value,
                    }
                    for level in matrix.levels
                ]
            rows.append(row)
        score = category.score
        categories.append(
            {
                "category": category.category,
                "score": score,
                "self_name": _level_name(matrix, getattr(score, "self_level", None)),
                "supervisor_name": _level_name(matrix, getattr(score, "supervisor_level", None)),
                "rows": rows,
            }
        )
    return categories


def _saved_at(assessment: Assessment) -> str:
    return timezone.localtime(assessment.updated_at).strftime("%H:%M")


# The coordinator's matrix -----------------------------------------------------------------


def _self_form(assessment: Assessment, matrix: Matrix, data=None) -> SelfAssessmentForm:
    form = SelfAssessmentForm(data, matrix=matrix)
    if data is None:
        form.initial = {
            "version": assessment.version,
            **form.initial_from_ratings("self_level", "self_evidence"),
        }
    return form


def _render_matrix(request, assessment, matrix, form=None, *, status=200, **extra):
    editable = form is not None
    return render(
        request,
        "assessments/assessment_detail.html"
        if not editable
        else "assessments/assessment_form.html",
        {
            "assessment": assessment,
            "matrix": matrix,
            "form": form,
            "categories": _rows(
                matrix, form, missing=extra.get("missing", ()), conflicts=extra.get("conflicts")
            ),
            "missing": extra.get("missing", ()),
            "show_supervisor": assessment.state == Assessment.State.FINALIZED,
            "can_recall": assessment.state == Assessment.State.SUBMITTED
            and assessment.review_started_at is None,
            "saved_at": _saved_at(assessment),
        },
        status=status,
    )


def _conflicts(matrix: Matrix, form: MatrixForm, level_field: str, text_field: str) -> dict:
    """Per indicator, what is stored now where it differs from what the person typed."""
    conflicts = {}
    for item in matrix.indicators:
        stored_level = getattr(item.rating, level_field, None)
        stored_text = getattr(item.rating, text_field, "") or ""
        typed_level = form.cleaned_data.get(form.level_name(item.pk))
        typed_text = (form.cleaned_data.get(form.text_name(item.pk)) or "").strip()
        if stored_level != typed_level or stored_text != typed_text:
            conflicts[item.pk] = {
                "level_name": _level_name(matrix, stored_level) if stored_level else "no level",
                "text": stored_text,
            }
    return conflicts


def _stale_form(form_class, request, current: Assessment, matrix: Matrix, **kwargs):
    """The person's own POST, re-bound at the current version: saving it again is a choice
    they make having seen what changed, never a silent overwrite."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = form_class(data, matrix=matrix, **kwargs)
    form.is_valid()
    return form


def _save_self(request, assessment: Assessment, matrix: Matrix):
    """Save the posted matrix. Returns (saved assessment, None) or (None, response)."""
    form = _self_form(assessment, matrix, data=request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was saved: correct the problems marked below.")
        return None, _render_matrix(request, assessment, matrix, form, status=400)
    try:
        saved = services.assessment_save_self(
            assessment=assessment,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            ratings=form.ratings(),
        )
    except StaleAssessmentError as exc:
        messages.error(request, str(exc))
        matrix = matrix_load(assessment=exc.current)
        conflicts = _conflicts(matrix, form, "self_level", "self_evidence")
        form = _stale_form(SelfAssessmentForm, request, exc.current, matrix)
        return None, _render_matrix(
            request, exc.current, matrix, form, status=409, conflicts=conflicts
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
    """The coordinator's own matrix: a form while it is theirs to change, read-only after."""
    assessment = get_assessment_for_user(request, pk)
    if not _is_owner(request, assessment):
        if can_direct(request.user, assessment.coordinator):
            # Their director may look (on the review page) but never save the self-assessment.
            if request.method == "POST":
                raise PermissionDenied("Only the coordinator changes their self-assessment.")
            return redirect("assessments:assessment-review", pk=assessment.pk)
        raise PermissionDenied("This is someone else's self-assessment.")
    matrix = matrix_load(assessment=assessment)
    editable = assessment.is_editable_by_coordinator and services.cycle_accepts_changes(
        assessment.cycle
    )
    if request.method == "POST":
        if not editable:
            messages.error(request, services.STATE_REFUSALS.get(assessment.state, ""))
            return redirect("assessments:assessment-detail", pk=assessment.pk)
        saved, response = _save_self(request, assessment, matrix)
        if response is not None:
            return response
        messages.success(request, f"Draft saved at {_saved_at(saved)}.")
        return redirect("assessments:assessment-detail", pk=assessment.pk)
    form = _self_form(assessment, matrix) if editable else None
    return _render_matrix(request, assessment, matrix, form)


@require_POST
@role_required(Role.COORDINATOR)
@save_rate_limited
def assessment_autosave(request, pk):
    """The background save of the matrix page (static/js/assessment.js); answers JSON."""
    assessment = get_assessment_for_user(request, pk)
    _require_owner(request, assessment)
    form = _self_form(assessment, matrix_load(assessment=assessment), data=request.POST)
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
    _require_owner(request, assessment)
    saved, response = _save_self(request, assessment, matrix_load(assessment=assessment))
    if response is not None:
        return response
    try:
        services.assessment_submit(
            assessment=saved, actor=request.user, expected_version=saved.version
        )
    except IncompleteAssessmentError as exc:
        messages.error(request, f"Not submitted yet (your draft is saved). {exc}")
        matrix = matrix_load(assessment=saved)
        return _render_matrix(
            request, saved, matrix, _self_form(saved, matrix), status=400, missing=exc.missing
        )
    except WorkflowError as exc:
        messages.error(request, STALE_ELSEWHERE if isinstance(exc, StaleAssessmentError) else exc)
        return redirect("assessments:assessment-detail", pk=assessment.pk)
    messages.success(
        request,
        "Submitted. Your director has been told and will review it with you. You can recall "
        "it until they start the review.",
    )
    return redirect("assessments:assessment-detail", pk=assessment.pk)


@require_POST
@role_required(Role.COORDINATOR)
def assessment_recall(request, pk):
    assessment = get_assessment_for_user(request, pk)
    _require_owner(request, assessment)
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
    cycle = get_object_or_404(
        AssessmentCycle, pk=cycle_pk, organization_id=request.user.organization_id
    )
    profile = get_object_or_404(CoordinatorProfile, user=request.user)
    try:
        assessment = services.assessment_start(cycle=cycle, profile=profile, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("pages:my-growth")
    return redirect("assessments:assessment-detail", pk=assessment.pk)


# The director's review ----------------------------------------------------------------------


def _review_form(assessment: Assessment, matrix: Matrix, data=None, **kwargs) -> ReviewForm:
    form = ReviewForm(data, matrix=matrix, **kwargs)
    if data is None:
        form.initial = {
            "version": assessment.version,
            "coaching_notes": assessment.coaching_notes,
            "next_steps": assessment.next_steps,
            **form.initial_from_ratings("supervisor_level", "supervisor_note"),
        }
    return form


def _render_review(request, assessment, matrix, form=None, *, status=200, **extra):
    return render(
        request,
        "assessments/assessment_review.html",
        {
            "assessment": assessment,
            "matrix": matrix,
            "form": form,
            "categories": _rows(
                matrix, form, missing=extra.get("missing", ()), conflicts=extra.get("conflicts")
            ),
            "missing": extra.get("missing", ()),
            "show_self": assessment.state
            in (Assessment.State.SUBMITTED, Assessment.State.FINALIZED),
            "show_supervisor": True,
        },
        status=status,
    )


def _save_review(request, assessment: Assessment, matrix: Matrix, *, returning=False):
    """Save the posted review. Returns (saved assessment, form, None) or (None, None, response)."""
    form = _review_form(assessment, matrix, data=request.POST, returning=returning)
    if not form.is_valid():
        messages.error(request, "Nothing was saved: correct the problems marked below.")
        return None, None, _render_review(request, assessment, matrix, form, status=400)
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
        matrix = matrix_load(assessment=exc.current)
        conflicts = _conflicts(matrix, form, "supervisor_level", "supervisor_note")
        form = _stale_form(ReviewForm, request, exc.current, matrix)
        return (
            None,
            None,
            _render_review(request, exc.current, matrix, form, status=409, conflicts=conflicts),
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
    _require_reviewer(request, assessment)
    matrix = matrix_load(assessment=assessment)
    if assessment.state != Assessment.State.SUBMITTED:
        if request.method == "POST":
            messages.error(request, services.STATE_REFUSALS[assessment.state])
            return redirect("assessments:assessment-review", pk=assessment.pk)
        return _render_review(request, assessment, matrix)
    if request.method == "POST":
        saved, _form, response = _save_review(request, assessment, matrix)
        if response is not None:
            return response
        messages.success(request, f"Review saved at {_saved_at(saved)}.")
        return redirect("assessments:assessment-review", pk=assessment.pk)
    return _render_review(request, assessment, matrix, _review_form(assessment, matrix))


@require_POST
@role_required(Role.DIRECTOR, Role.ADMIN)
def assessment_finalize(request, pk):
    """Save the review on the page, then finalize it; missing levels are listed and linked."""
    assessment = get_assessment_for_user(request, pk)
    _require_reviewer(request, assessment)
    saved, _form, response = _save_review(request, assessment, matrix_load(assessment=assessment))
    if response is not None:
        return response
    try:
        services.assessment_finalize(
            assessment=saved, actor=request.user, expected_version=saved.version
        )
    except IncompleteAssessmentError as exc:
        messages.error(request, f"Not finalized yet (your review is saved). {exc}")
        matrix = matrix_load(assessment=saved)
        return _render_review(
            request, saved, matrix, _review_form(saved, matrix), status=400, missing=exc.missing
        )
    except WorkflowError as exc:
        messages.error(request, STALE_ELSEWHERE if isinstance(exc, StaleAssessmentError) else exc)
        return redirect("assessments:assessment-review", pk=assessment.pk)
    messages.success(
        request,
        f"Finalized. {assessment.coordinator.user.display_name} can now see your levels, notes "
        "and next steps.",
    )
    return redirect("assessments:assessment-review", pk=assessment.pk)


@require_POST
@role_required(Role.DIRECTOR, Role.ADMIN)
def assessment_return(request, pk):
    """Save the review on the page, then send it back to the coordinator with the note."""
    assessment = get_assessment_for_user(request, pk)
    _require_reviewer(request, assessment)
    saved, form, response = _save_review(
        request, assessment, matrix_load(assessment=assessment), returning=True
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
    owner = _is_owner(request, assessment)
    include_supervisor = not owner or assessment.state == Assessment.State.FINALIZED
    return render(
        request,
        "assessments/assessment_history.html",
        {
            "assessment": assessment,
            "entries": assessment_history(
                assessment=assessment, include_supervisor=include_supervisor
            ),
            "back_url_name": "assessments:assessment-detail"
            if owner
            else "assessments:assessment-review",
        },
    )
