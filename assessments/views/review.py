"""The director's review: self and supervisor side by side, saved in the background as the
coordinator's sheet is, "agree with the coordinator's levels" per category or for all, the
coaching conversation and its next steps; then finalize or return."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from assessments import services
from assessments.access import (
    can_ask_principal,
    can_read_coaching_notes,
    can_see_principal_feedback,
    check_can_review,
    get_assessment_for_user,
)
from assessments.forms import ReviewForm
from assessments.models import Assessment
from assessments.selectors import AssessmentSheet, assessment_sheet, sheet_conflicts, sheet_rows
from assessments.selectors.feedback import principal_columns, site_views
from assessments.services import StaleAssessmentError, WorkflowError
from assessments.views import moved_on
from assessments.views.workflow import (
    acknowledgement_context,
    autosave_answer,
    move_reported,
    move_saved,
    next_steps_context,
    save_rate_limited,
    saved_at,
    sharing_of,
    stale_form,
)
from coordinators.access import role_required
from coordinators.models import Role


def _review_form(assessment: Assessment, sheet: AssessmentSheet, data=None, **kwargs) -> ReviewForm:
    form = ReviewForm(
        data, sheet=sheet, steps_initial=list(assessment.next_step_items.all()), **kwargs
    )
    if data is None:
        form.initial = {
            "version": assessment.version,
            "coaching_notes": assessment.coaching_notes,
            **form.initial_from_ratings("supervisor_level", "supervisor_note"),
        }
    return form


def _agreed_category(request, sheet: AssessmentSheet) -> tuple[bool, str | None]:
    """Whether the director pressed "agree with the coordinator's levels", and for which
    category key (None: the whole matrix)."""
    value = request.POST.get("agree", "")
    if value == "all":
        return True, None
    keys = {category.category.key for category in sheet.categories}
    return (True, value) if value in keys else (False, None)


def _render_review(request, assessment, sheet, form=None, *, status=200, **extra):
    categories = sheet_rows(
        sheet, form, missing=extra.get("missing", ()), conflicts=extra.get("conflicts")
    )
    return render(
        request,
        "assessments/assessment_review.html",
        {
            "assessment": assessment,
            "matrix": sheet,
            "form": form,
            "categories": categories,
            "site_views": site_views(categories, principal_columns(assessment=assessment))
            if can_see_principal_feedback(request.user, assessment)
            else None,
            "can_ask_principal": can_ask_principal(request.user, assessment),
            "missing": extra.get("missing", ()),
            "show_self": assessment.state
            in (Assessment.State.SUBMITTED, Assessment.State.FINALIZED),
            "show_supervisor": True,
            "cycle_accepts_changes": services.cycle_accepts_changes(assessment.cycle),
            "show_coaching_notes": can_read_coaching_notes(request.user, assessment),
            "sharing": sharing_of(request.user, assessment),
            "saved_at": saved_at(assessment),
            "unsaved": extra.get("unsaved"),
            **next_steps_context(request.user, assessment),
            **acknowledgement_context(request.user, assessment),
        },
        status=status,
    )


def _review_ratings(request, assessment: Assessment, form: ReviewForm):
    """The posted ratings; with "agree" pressed, the coordinator's levels where they gave one."""
    agreed, category_key = _agreed_category(request, form.sheet)
    if not agreed:
        return form.ratings()
    return services.ratings_agreeing_with_self(
        assessment=assessment, ratings=form.ratings(), category_key=category_key
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
            ratings=_review_ratings(request, assessment, form),
            coaching_notes=form.cleaned_data["coaching_notes"],
            next_steps=form.next_steps(),
        )
    except StaleAssessmentError as exc:
        messages.error(request, str(exc))
        sheet = assessment_sheet(assessment=exc.current)
        conflicts = sheet_conflicts(
            sheet, form, level_field="supervisor_level", text_field="supervisor_note"
        )
        form = stale_form(ReviewForm, request, exc.current, sheet)
        return (
            None,
            None,
            _render_review(request, exc.current, sheet, form, status=409, conflicts=conflicts),
        )
    except WorkflowError as exc:
        assessment.refresh_from_db()
        if moved_on.has_moved_on(assessment, reviewing=True):
            return (
                None,
                None,
                moved_on.refused_for_good(
                    request, assessment, form, reviewing=True, render_page=_render_review
                ),
            )
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
            form = ReviewForm(request.POST, sheet=sheet)
            return moved_on.refused_for_good(
                request, assessment, form, reviewing=True, render_page=_render_review
            )
        return _render_review(request, assessment, sheet)
    if request.method == "POST":
        saved, _form, response = _save_review(request, assessment, sheet)
        if response is not None:
            return response
        agreed, category_key = _agreed_category(request, sheet)
        if agreed:
            messages.success(request, _agreed_message(assessment, sheet, category_key))
            anchor = f"#category-{category_key}" if category_key else "#review-form"
            return redirect(reverse("assessments:assessment-review", args=[pk]) + anchor)
        messages.success(request, f"Review saved at {saved_at(saved)}.")
        return redirect("assessments:assessment-review", pk=assessment.pk)
    return _render_review(request, assessment, sheet, _review_form(assessment, sheet))


def _agreed_message(assessment: Assessment, sheet: AssessmentSheet, category_key) -> str:
    name = assessment.coordinator.user.display_name
    where = next(
        (f"in {c.category.name}" for c in sheet.categories if c.category.key == category_key),
        "on every indicator",
    )
    return (
        f"Your levels {where} now match {name}'s, and your review is saved. Change any you "
        "disagree with."
    )


@require_POST
@role_required(Role.DIRECTOR, Role.ADMIN)
@save_rate_limited
def assessment_review_autosave(request, pk):
    """The background save of the review page (static/js/assessment.js); answers JSON, as the
    coordinator's autosave does."""
    assessment = get_assessment_for_user(request, pk)
    check_can_review(request.user, assessment)
    if moved_on.has_moved_on(assessment, reviewing=True):
        return moved_on.autosave_refused(
            request, assessment, reviewing=True, save_label="Save review"
        )
    sheet = assessment_sheet(assessment=assessment, scores=False)
    form = _review_form(assessment, sheet, data=request.POST)
    return autosave_answer(
        request,
        assessment,
        form,
        lambda: services.assessment_save_review(
            assessment=assessment,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            ratings=form.ratings(),
            coaching_notes=form.cleaned_data["coaching_notes"],
            next_steps=form.next_steps(),
        ),
        reviewing=True,
        save_label="Save review",
    )


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
    return move_saved(
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
    return move_reported(
        request,
        lambda: services.assessment_return(
            assessment=saved,
            actor=request.user,
            expected_version=saved.version,
            note=form.cleaned_data["return_note"],
        ),
        done=f"Returned to {assessment.coordinator.user.display_name} with your note; they can "
        "change it and submit again.",
        url_name="assessments:assessment-review",
        pk=assessment.pk,
    )
