"""The coordinator's sheet, what the director's review (views/review.py) shares with it, and
the history. Views validate, call one service and turn its refusals into messages: a wrong
state is a message, a stale version re-shows what the person typed, a page the assessment has
moved past lists it (views/moved_on.py), another organization or team is a 404 and the wrong
role a 403."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import services
from assessments.access import (
    can_ask_principal,
    can_make_goals_from,
    can_read_coaching_notes,
    can_review,
    can_see_principal_feedback,
    can_see_supervisor_side,
    can_share_coaching_notes,
    check_can_acknowledge,
    check_can_edit_self,
    coordinators_may_ask_call,
    get_assessment_for_user,
    get_cycle_for_user,
    is_owner,
)
from assessments.forms import AcknowledgementForm, SelfAssessmentForm
from assessments.models import Assessment, review_settings_of
from assessments.selectors import (
    AssessmentSheet,
    assessment_history,
    assessment_sheet,
    coaching_notes_sharing,
    previous_agreed_levels,
    sheet_conflicts,
    sheet_rows,
)
from assessments.selectors.feedback import principal_columns, site_views
from assessments.services import IncompleteAssessmentError, StaleAssessmentError, WorkflowError
from assessments.views import moved_on
from coordinators.access import role_required
from coordinators.form_helpers import int_or_none
from coordinators.models import CoordinatorProfile, Role
from coordinators.ratelimits import rate_limited

STALE_ELSEWHERE = (
    "This page is out of date: the assessment changed since you opened it. "
    "Check it below and try again."
)


def _posted_version(request) -> int | None:
    return int_or_none(request.POST.get("version"))


def saved_at(assessment: Assessment) -> str:
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
    references = None
    if editable:
        references = (
            sheet.references
            if sheet.references is not None
            else previous_agreed_levels(assessment=assessment)
        )
    categories = sheet_rows(
        sheet,
        form,
        missing=extra.get("missing", ()),
        conflicts=extra.get("conflicts"),
        references=references,
    )
    return render(
        request,
        "assessments/assessment_detail.html"
        if not editable
        else "assessments/assessment_form.html",
        {
            "assessment": assessment,
            "matrix": sheet,
            "form": form,
            "categories": categories,
            "missing": extra.get("missing", ()),
            "show_supervisor": assessment.state == Assessment.State.FINALIZED,
            "site_views": site_views(categories, principal_columns(assessment=assessment))
            if not editable and can_see_principal_feedback(request.user, assessment)
            else None,
            "can_ask_principal": can_ask_principal(
                request.user, assessment, may_ask=extra.get("may_ask")
            ),
            "show_coaching_notes": can_read_coaching_notes(request.user, assessment),
            "sharing": sharing_of(request.user, assessment),
            "can_recall": assessment.state == Assessment.State.SUBMITTED
            and assessment.review_started_at is None,
            "saved_at": saved_at(assessment),
            "unsaved": extra.get("unsaved"),
            # The agreed next steps show with the finalized review's coaching conversation.
            **(
                next_steps_context(request.user, assessment)
                if assessment.state == Assessment.State.FINALIZED
                else {}
            ),
            **acknowledgement_context(
                request.user, assessment, form=extra.get("acknowledgement_form")
            ),
        },
        status=status,
    )


def acknowledgement_context(user, assessment: Assessment, *, form=None) -> dict:
    """Whether the finalized review asks to be acknowledged, and the coordinator's form."""
    if assessment.state != Assessment.State.FINALIZED:
        return {"acknowledgement_asked": False}
    asked = review_settings_of(assessment.coordinator.organization_id).acknowledgement_on
    context = {"acknowledgement_asked": asked}
    if asked and assessment.acknowledged_at is None and is_owner(user, assessment):
        context["acknowledgement_form"] = form or AcknowledgementForm(
            initial={"version": assessment.version}
        )
    return context


def next_steps_context(user, assessment: Assessment) -> dict:
    """The review's next steps; the free text they were once written as, where it says more
    than the steps do; and whose growth page "make this a goal" opens, for those who may."""
    steps = list(assessment.next_step_items.all())
    as_lines = "\n".join(step.as_line for step in steps)
    return {
        "next_steps": steps,
        "next_steps_earlier": assessment.next_steps if assessment.next_steps != as_lines else "",
        "goal_profile_pk": assessment.coordinator_id
        if can_make_goals_from(user, assessment)
        else None,
    }


def sharing_of(user, assessment: Assessment):
    """The sharing box of a finalized review, for those who may share its coaching notes."""
    if assessment.state != Assessment.State.FINALIZED:
        return None
    if not can_share_coaching_notes(user, assessment):
        return None
    return coaching_notes_sharing(assessment=assessment)


def stale_form(form_class, request, current: Assessment, sheet: AssessmentSheet, **kwargs):
    """The person's own POST, re-bound at the current version: saving it again is a choice
    they make having seen what changed, never a silent overwrite."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = form_class(data, sheet=sheet, **kwargs)
    form.is_valid()
    return form


def move_saved(
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
        messages.error(request, refusal_words(exc))
        return redirect(url_name, pk=saved.pk)
    messages.success(request, done)
    return redirect(url_name, pk=saved.pk)


def refusal_words(exc: WorkflowError) -> str:
    """What a refused move says: a change made meanwhile in the words every page uses for it,
    any other refusal its own reason."""
    return STALE_ELSEWHERE if isinstance(exc, StaleAssessmentError) else str(exc)


def move_reported(request, move, *, done: str, url_name: str, pk: int):
    """Run one workflow ``move`` (called without arguments); its refusal or ``done`` is the
    message shown on ``url_name``, where the person goes back either way."""
    try:
        move()
    except WorkflowError as exc:
        messages.error(request, refusal_words(exc))
    else:
        messages.success(request, done)
    return redirect(url_name, pk=pk)


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
        form = stale_form(SelfAssessmentForm, request, exc.current, sheet)
        return None, _render_sheet(
            request, exc.current, sheet, form, status=409, conflicts=conflicts
        )
    except WorkflowError as exc:
        assessment.refresh_from_db()
        if moved_on.has_moved_on(assessment, reviewing=False):
            return None, moved_on.refused_for_good(
                request, assessment, form, reviewing=False, render_page=_render_sheet
            )
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
    editable = assessment.is_editable_by_coordinator and services.cycle_accepts_changes(
        assessment.cycle
    )
    showing = request.method == "GET"
    # The page's reads in one round trip: the sheet, last cycle's agreed levels beside the
    # form, and whether the coordinator may ask their principal themself.
    sheet = assessment_sheet(
        assessment=assessment,
        references=showing and editable,
        also=[coordinators_may_ask_call(assessment.coordinator.organization_id)] if showing else (),
    )
    if request.method == "POST":
        if not editable:
            form = SelfAssessmentForm(request.POST, sheet=sheet)
            return moved_on.refused_for_good(
                request, assessment, form, reviewing=False, render_page=_render_sheet
            )
        saved, response = _save_self(request, assessment, sheet)
        if response is not None:
            return response
        messages.success(request, f"Draft saved at {saved_at(saved)}.")
        return redirect("assessments:assessment-detail", pk=assessment.pk)
    form = _self_form(assessment, sheet) if editable else None
    return _render_sheet(request, assessment, sheet, form, may_ask=sheet.also[0] is not None)


def autosave_answer(request, assessment, form, save, *, reviewing: bool, save_label: str):
    """The JSON answer of a background save (the sheet's or the review's): the form's first
    error, or ``save()``'s new version, or why the assessment no longer takes this page's
    saves (static/js/assessment.js shows each)."""
    if not form.is_valid():
        errors = form.all_errors()
        return JsonResponse(
            {"saved": False, "message": "Not saved: " + (errors[0] if errors else "")}, status=400
        )
    try:
        saved = save()
    except StaleAssessmentError:
        return moved_on.stale_autosave(save_label)
    except WorkflowError as exc:
        assessment.refresh_from_db()
        if moved_on.has_moved_on(assessment, reviewing=reviewing):
            return moved_on.autosave_refused(
                request, assessment, reviewing=reviewing, save_label=save_label
            )
        return JsonResponse({"saved": False, "message": f"Not saved: {exc}"}, status=409)
    return JsonResponse({"saved": True, "version": saved.version, "saved_at": saved_at(saved)})


@require_POST
@role_required(Role.COORDINATOR)
@save_rate_limited
def assessment_autosave(request, pk):
    """The background save of the sheet page (static/js/assessment.js); answers JSON."""
    assessment = get_assessment_for_user(request, pk)
    check_can_edit_self(request.user, assessment)
    sheet = assessment_sheet(assessment=assessment, scores=False)
    form = _self_form(assessment, sheet, data=request.POST)
    return autosave_answer(
        request,
        assessment,
        form,
        lambda: services.assessment_save_self(
            assessment=assessment,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            ratings=form.ratings(),
        ),
        reviewing=False,
        save_label="Save draft",
    )


@require_POST
@role_required(Role.COORDINATOR)
def assessment_submit(request, pk):
    """Save what is on the page, then submit it; missing levels are listed and linked."""
    assessment = get_assessment_for_user(request, pk)
    check_can_edit_self(request.user, assessment)
    saved, response = _save_self(request, assessment, assessment_sheet(assessment=assessment))
    if response is not None:
        return response
    return move_saved(
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
    if version is None:
        messages.error(request, "The form arrived incomplete; reload the page and try again.")
        return redirect("assessments:assessment-detail", pk=assessment.pk)
    return move_reported(
        request,
        lambda: services.assessment_recall(
            assessment=assessment, actor=request.user, expected_version=version
        ),
        done="Recalled: your self-assessment is a draft again.",
        url_name="assessments:assessment-detail",
        pk=assessment.pk,
    )


@require_POST
@role_required(Role.COORDINATOR)
def assessment_acknowledge(request, pk):
    """ "I have read this review", with the coordinator's optional response."""
    assessment = get_assessment_for_user(request, pk)
    check_can_acknowledge(request.user, assessment)
    form = AcknowledgementForm(request.POST)
    if not form.is_valid():
        sheet = assessment_sheet(assessment=assessment)
        messages.error(request, "Not acknowledged yet: correct the problem marked below.")
        return _render_sheet(request, assessment, sheet, status=400, acknowledgement_form=form)
    return move_reported(
        request,
        lambda: services.assessment_acknowledge(
            assessment=assessment,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            response=form.cleaned_data["response"],
        ),
        done="Thank you: your director can see that you read the review.",
        url_name="assessments:assessment-detail",
        pk=assessment.pk,
    )


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
