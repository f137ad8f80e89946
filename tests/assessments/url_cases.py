"""How the access table and the hostile-input tests reach the cycles and the assessment
workflow: the coordinator's matrix and the director's review."""

from datetime import timedelta

from django.urls import reverse

from assessments.models import PrincipalFeedbackSettings
from assessments.services import coaching_notes_share, cycle_close, site_indicator_ids
from rubrics.models import Indicator
from tests.access_world import UrlCase, no_fields, pk_of

MATRIX_TEXTS = ("evidence_*",)
REVIEW_TEXTS = ("note_*", "coaching_notes", "step-0-text", "return_note")


def _indicator_ids(assessment) -> list[int]:
    return list(
        Indicator.objects.filter(category__version=assessment.rubric_version)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def self_post(assessment, level=2, evidence="Ran the family night with the principal.") -> dict:
    """Every indicator of the coordinator's matrix rated, with evidence."""
    data = {"version": str(assessment.version)}
    for pk in _indicator_ids(assessment):
        data[f"level_{pk}"] = str(level)
        data[f"evidence_{pk}"] = evidence
    return data


def next_steps_post(texts, *, initial=0) -> dict:
    """The review's next-step rows as the page sends them: one row per text, then one blank."""
    rows = [*texts, ""]
    data = {
        "step-TOTAL_FORMS": str(len(rows)),
        "step-INITIAL_FORMS": str(initial),
        "step-MIN_NUM_FORMS": "0",
        "step-MAX_NUM_FORMS": "30",
    }
    for n, text in enumerate(rows):
        data |= {f"step-{n}-text": text, f"step-{n}-owner": "", f"step-{n}-due_on": ""}
    return data


def review_post(assessment, level=2, note="Agreed.", **extra) -> dict:
    """Every indicator of the review rated, with a note, and the coaching fields filled."""
    data = {
        "version": str(assessment.version),
        "coaching_notes": "We talked about the site plan.",
        "return_note": "",
        **next_steps_post(["Meet the principal monthly."]),
    }
    for pk in _indicator_ids(assessment):
        data[f"supervisor_level_{pk}"] = str(level)
        data[f"note_{pk}"] = note
    return data | extra


def cycle_post(today, name="2032 Fall", **changes) -> dict:
    opens = today + timedelta(days=400)
    data = {
        "name": name,
        "opens_on": opens.isoformat(),
        "due_on": (opens + timedelta(days=30)).isoformat(),
        "closes_on": (opens + timedelta(days=60)).isoformat(),
        "review_window_days": "14",
    }
    return data | changes


def _close_open_cycle(world, actor, client) -> dict:
    """One cycle is open at a time: close the current one first (undone with the request).
    The planned cycle opens on a later date, so the body carries the confirmation's yes."""
    cycle_close(cycle=world.mine.cycle_open, actor=world.users["admin"])
    return {"early": "yes"}


def _later_dates(world, actor, client) -> dict:
    """More time for the open cycle: its due and closing dates ten days later, and why."""
    cycle = world.mine.cycle_open
    return {
        "due_on": (cycle.due_on + timedelta(days=10)).isoformat(),
        "closes_on": (cycle.closes_on + timedelta(days=10)).isoformat(),
        "reason": "Snow days in February",
    }


def _self_post_of_draft(world, actor, client) -> dict:
    return self_post(world.mine.draft)


def _review_post_of_submitted(world, actor, client) -> dict:
    return review_post(world.mine.submitted)


def _to_the_director(world, actor, client) -> dict:
    """The body of sharing the inherited review's coaching notes with the director now."""
    return {"director": str(world.users["director"].pk)}


def _shared_with_the_director(world, actor, client) -> dict:
    """Stopping a share needs one: the coordinator shared first (undone with the request)."""
    share_with_the_director(world)
    return _to_the_director(world, actor, client)


def share_with_the_director(world) -> None:
    """The coordinator shares the coaching notes their former director wrote with the
    director who inherited them."""
    coaching_notes_share(
        assessment=world.mine.inherited,
        actor=world.users["self"],
        director=world.users["director"],
    )


def _other_directors(world) -> dict:
    return {"director": str(world.theirs.team.director.pk)}


def _matrix_page(world) -> str:
    return reverse("assessments:assessment-detail", args=[world.mine.draft.pk])


def _review_page(world) -> str:
    return reverse("assessments:assessment-review", args=[world.mine.submitted.pk])


# The coordinator's sheet posted on their draft, and the director's review on the submitted
# assessment: every action of each page takes the same body and shows the text on that page.
ON_THE_DRAFT = {
    "kwargs": pk_of("draft"),
    "post": _self_post_of_draft,
    "texts": MATRIX_TEXTS,
    "show": _matrix_page,
}
ON_THE_REVIEW = {
    "kwargs": pk_of("submitted"),
    "post": _review_post_of_submitted,
    "texts": REVIEW_TEXTS,
    "show": _review_page,
}


def principal_post(world, actor=None, client=None, level=1) -> dict:
    """The principal's answer: a level and a comment for every School site indicator."""
    data = {"overall_comment": "The coordinator is part of our leadership team."}
    for pk in site_indicator_ids(world.mine.submitted):
        data[f"level_{pk}"] = str(level)
        data[f"comment_{pk}"] = "Families come to the school more than before."
    return data


def _principal_page(world) -> str:
    return reverse("assessments:principal-feedback", args=[world.mine.feedback_token])


CASES = [
    # The principal's page: the link works for whoever holds it, signed in or not.
    UrlCase(
        "assessments:principal-feedback",
        kwargs=lambda world: {"token": world.mine.feedback_token},
        post=principal_post,
        texts=("comment_*", "overall_comment"),
        show=_principal_page,
    ),
    UrlCase(
        "assessments:principal-feedback-settings",
        post=lambda world, actor, client: {
            "coordinators_may_send": "on",
            "ask_about_collaboration": "on",
        },
        edits=lambda world: PrincipalFeedbackSettings.objects.get(organization=world.mine.org),
    ),
    UrlCase("assessments:cycle-list"),
    UrlCase(
        "assessments:cycle-create",
        post=lambda world, actor, client: cycle_post(world.today),
        texts=("name",),
        show=lambda world: reverse("assessments:cycle-list"),
    ),
    UrlCase(
        "assessments:cycle-update",
        kwargs=pk_of("cycle_planned"),
        post=lambda world, actor, client: cycle_post(world.today, name="2031 Fall (renamed)"),
        texts=("name",),
        show=lambda world: reverse("assessments:cycle-list"),
        edits=lambda world: world.mine.cycle_planned,
    ),
    UrlCase("assessments:cycle-detail", kwargs=pk_of("cycle_open")),
    UrlCase("assessments:cycle-open", kwargs=pk_of("cycle_planned"), post=_close_open_cycle),
    # The open cycle closes on a later date: the body carries the confirmation's yes.
    UrlCase(
        "assessments:cycle-close",
        kwargs=pk_of("cycle_open"),
        post=lambda world, actor, client: {"early": "yes"},
    ),
    UrlCase(
        "assessments:cycle-dates",
        kwargs=pk_of("cycle_open"),
        # The reason goes to the cycle's history, not back into the form: not a text the
        # form shows again (tests/assessments/test_cycles.py checks it on the cycle's page).
        post=_later_dates,
        edits=lambda world: world.mine.cycle_open,
    ),
    UrlCase(
        "assessments:assessment-start",
        kwargs=lambda world: {"cycle_pk": world.mine.cycle_open.pk},
        post=no_fields,
    ),
    # The coordinator's matrix: the page, its background save, submitting and recalling.
    UrlCase("assessments:assessment-detail", **ON_THE_DRAFT),
    UrlCase("assessments:assessment-autosave", **ON_THE_DRAFT),
    UrlCase("assessments:assessment-submit", **ON_THE_DRAFT),
    UrlCase(
        "assessments:assessment-recall",
        kwargs=pk_of("submitted"),
        post=lambda world, actor, client: {"version": str(world.mine.submitted.version)},
    ),
    # The coordinator acknowledges the finalized review (the one their former director wrote).
    UrlCase(
        "assessments:assessment-acknowledge",
        kwargs=pk_of("inherited"),
        post=lambda world, actor, client: {
            "version": str(world.mine.inherited.version),
            "response": "Thank you; I will meet the principal in September.",
        },
        texts=("response",),
        show=lambda world: f"/assessments/{world.mine.inherited.pk}/",
    ),
    # The director's review: saving, finalizing, returning it; and its history.
    UrlCase("assessments:assessment-review", **ON_THE_REVIEW),
    UrlCase("assessments:assessment-review-autosave", **ON_THE_REVIEW),
    UrlCase("assessments:assessment-finalize", **ON_THE_REVIEW),
    UrlCase(
        "assessments:assessment-return",
        kwargs=pk_of("submitted"),
        post=lambda world, actor, client: review_post(
            world.mine.submitted, return_note="Add evidence for the site category, please."
        ),
        texts=REVIEW_TEXTS,
        show=_review_page,
    ),
    UrlCase("assessments:assessment-history", kwargs=pk_of("submitted")),
    # Sharing the coaching notes a former director wrote with the one who inherited them.
    UrlCase(
        "assessments:coaching-notes-share",
        kwargs=pk_of("inherited"),
        post=_to_the_director,
        ids=("director",),
        foreign=_other_directors,
    ),
    UrlCase(
        "assessments:coaching-notes-unshare",
        kwargs=pk_of("inherited"),
        post=_shared_with_the_director,
        ids=("director",),
        foreign=_other_directors,
    ),
]
