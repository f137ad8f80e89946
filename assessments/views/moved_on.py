"""Saves that can never succeed: the assessment moved on (submitted, finalized, returned or
recalled in another tab or by someone else, or its cycle closed) since the page was opened.
Both pages refuse them as a conflict (409) that says who moved it and when, what to do, and
shows back the text the person typed; the background saves answer the same in JSON."""

from django.http import JsonResponse

from assessments import services
from assessments.models import Assessment
from assessments.selectors import assessment_last_move, assessment_sheet, unsaved_rows

MOVED_WORDS = {
    Assessment.State.DRAFT: "taken back to draft",
    Assessment.State.SUBMITTED: "submitted",
    Assessment.State.RETURNED: "returned to the coordinator",
    Assessment.State.FINALIZED: "finalized",
}


def _why_not_saved(user, assessment: Assessment, *, reviewing: bool) -> str:
    """Why a save from this page can never succeed now: the assessment moved on (who moved it
    and when) or its cycle closed."""
    if not reviewing and assessment.is_editable_by_coordinator:
        return f"Not saved: {assessment.cycle} is closed, so this assessment can no longer change."
    move = assessment_last_move(assessment=assessment)
    if move is None:
        return f"Not saved: {services.STATE_REFUSALS[assessment.state]}"
    who = "you" if move.who_id == user.pk else move.who
    return (
        f"Not saved: this assessment was {MOVED_WORDS[assessment.state]} on "
        f"{move.when_display} by {who} (in another tab or by someone else), so it can no "
        "longer change here."
    )


def _what_to_do(assessment: Assessment, *, reviewing: bool) -> str:
    """What the person can do with the text the refused save carried."""
    copy = "Your text is below: copy it"
    if assessment.state == Assessment.State.FINALIZED:
        return f"{copy} if you want to keep it; a finalized review never changes."
    if reviewing:
        return (
            f"{copy}; you can review again once "
            f"{assessment.coordinator.user.display_name} submits it, and paste it back in."
        )
    if assessment.state == Assessment.State.SUBMITTED and assessment.review_started_at is None:
        return f"{copy}, recall the submission (below), then paste it back in and save."
    if assessment.state == Assessment.State.SUBMITTED:
        return (
            f"{copy} and ask your director to return the assessment to you; then paste it back "
            "in and save."
        )
    return f"{copy}; ask an org admin to reopen the cycle if it should still change."


def _unsaved_review_texts(assessment: Assessment, data) -> list[dict]:
    """The review's own texts in a refused POST that differ from what is stored."""
    steps = "\n".join(
        str(value).strip()
        for key, value in data.items()
        if key.startswith("step-") and key.endswith("-text") and str(value).strip()
    )
    stored_steps = "\n".join(item.text for item in assessment.next_step_items.all())
    texts = (
        ("Coaching conversation notes", data.get("coaching_notes", ""), assessment.coaching_notes),
        ("Agreed next steps", steps, stored_steps),
        ("Note to the coordinator", data.get("return_note", ""), ""),
    )
    return [
        {"name": name, "level_name": "", "text": str(typed).strip()}
        for name, typed, stored in texts
        if str(typed).strip() and str(typed).strip() != stored
    ]


def refused_for_good(request, assessment: Assessment, form, *, reviewing: bool, render_page):
    """The read-only page of an assessment that moved on since this page was opened (submitted,
    finalized, returned, recalled, its cycle closed), refused as a conflict (409) with what the
    person typed listed to copy: nothing they typed is thrown away without a word."""
    sheet = assessment_sheet(assessment=assessment)
    level_field, text_field = (
        ("supervisor_level", "supervisor_note") if reviewing else ("self_level", "self_evidence")
    )
    extra = _unsaved_review_texts(assessment, form.data) if reviewing else []
    unsaved = {
        "why": _why_not_saved(request.user, assessment, reviewing=reviewing),
        "advice": _what_to_do(assessment, reviewing=reviewing),
        "rows": unsaved_rows(sheet, form, level_field=level_field, text_field=text_field) + extra,
    }
    return render_page(request, assessment, sheet, None, status=409, unsaved=unsaved)


def has_moved_on(assessment: Assessment, *, reviewing: bool) -> bool:
    """Whether this page's saves can never succeed now (not merely a stale version)."""
    if reviewing:
        return assessment.state != Assessment.State.SUBMITTED
    return not (
        assessment.is_editable_by_coordinator and services.cycle_accepts_changes(assessment.cycle)
    )


def autosave_refused(request, assessment: Assessment, *, reviewing: bool, save_label: str):
    """The background save's answer when the assessment moved on: a conflict that stops
    background saving and says what happened and what to do with the text on the page."""
    return JsonResponse(
        {
            "saved": False,
            "conflict": True,
            "message": f"{_why_not_saved(request.user, assessment, reviewing=reviewing)} Your "
            f"text is still on this page: press “{save_label}” to see it listed, and copy it.",
        },
        status=409,
    )


def stale_autosave(save_label: str) -> JsonResponse:
    return JsonResponse(
        {
            "saved": False,
            "conflict": True,
            "message": "Not saved: this assessment was changed in another tab or by someone "
            f"else. Press “{save_label}” to compare and keep your changes.",
        },
        status=409,
    )
