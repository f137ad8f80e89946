"""Asking the principals of a coordinator's schools for their view of the School site: the
request page of one assessment (every request with its state, and a form per school, filled
in from the school's principal contact for the current school year), resend and revoke.

The requests, their links and the principal's answers belong to ``assessments``; these pages
sit here because they read the principal contacts of this app.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from assessments import services
from assessments.access import (
    check_can_ask_principal,
    get_assessment_for_user,
    get_feedback_request_for_user,
)
from assessments.models import Assessment
from assessments.selectors.feedback import feedback_requests_of
from assessments.services import WorkflowError
from coordinators.form_helpers import int_or_none
from schoolsites.forms import FeedbackRequestForm
from schoolsites.models import PrincipalContact


def _school_rows(assessment: Assessment, posted: FeedbackRequestForm | None = None) -> list[dict]:
    """Each school of the assessment with its request (if any) and a form to ask its
    principal: the posted one for the school it names, else filled in from the request or
    the school's principal contact of the current school year (three queries)."""
    requests = {row.request.school_id: row for row in feedback_requests_of(assessment=assessment)}
    schools = list(assessment.schools.order_by("name", "pk"))
    organization = assessment.cycle.organization
    school_year = organization.school_year_of(timezone.localdate()).start_year
    contacts = {
        contact.school_id: contact
        for contact in PrincipalContact.objects.filter(school__in=schools, school_year=school_year)
    }
    rows = []
    for school in schools:
        row = requests.get(school.pk)
        contact = contacts.get(school.pk)
        if posted is not None and posted.data.get("school") == str(school.pk):
            form = posted
        else:
            source = row.request if row else contact
            form = FeedbackRequestForm(
                initial={
                    "school": school.pk,
                    "principal_name": getattr(source, "principal_name", None)
                    or getattr(source, "name", ""),
                    "principal_email": getattr(source, "principal_email", None)
                    or getattr(source, "email", ""),
                },
                auto_id=f"id_school{school.pk}_%s",
            )
        rows.append({"school": school, "request": row, "contact": contact, "form": form})
    return rows


def _render(request, assessment, posted=None, status=200):
    return render(
        request,
        "schoolsites/feedback_requests.html",
        {
            "assessment": assessment,
            "schools": _school_rows(assessment, posted),
            "finalized": assessment.state == Assessment.State.FINALIZED,
            "form": posted,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def feedback_requests(request, pk):
    """Every request of one assessment, and sending one to a school's principal."""
    assessment = get_assessment_for_user(request, pk)
    check_can_ask_principal(request.user, assessment)
    if request.method == "GET":
        return _render(request, assessment)
    school_id = int_or_none(request.POST.get("school", "")) or 0
    form = FeedbackRequestForm(request.POST, auto_id=f"id_school{school_id}_%s")
    if not form.is_valid():
        messages.error(request, "Nothing was sent: correct what is marked below.")
        return _render(request, assessment, form, status=400)
    school = assessment.schools.filter(pk=form.cleaned_data["school"]).first()
    if school is None:
        form.add_error(None, "That school is not one of this assessment's school sites.")
        messages.error(request, "Nothing was sent: that school is not one of this assessment's.")
        return _render(request, assessment, form, status=400)
    try:
        sent = services.feedback_request_send(
            assessment=assessment,
            school=school,
            actor=request.user,
            principal_name=form.cleaned_data["principal_name"],
            principal_email=form.cleaned_data["principal_email"],
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("schoolsites:feedback-requests", pk=assessment.pk)
    messages.success(
        request,
        f"Sent to {sent.principal_name} ({sent.principal_email}) for {school.name}. The link "
        f"works for {sent.VALID_DAYS} days or until the review is finalized.",
    )
    return redirect("schoolsites:feedback-requests", pk=assessment.pk)


def _acted_on(request, pk, action, done: str):
    feedback = get_feedback_request_for_user(request, pk)
    check_can_ask_principal(request.user, feedback.assessment)
    try:
        action(request=feedback, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done.format(request=feedback))
    return redirect("schoolsites:feedback-requests", pk=feedback.assessment_id)


@require_POST
def feedback_request_resend(request, pk):
    """The same request again, with a new link (the earlier one stops working)."""
    return _acted_on(
        request,
        pk,
        services.feedback_request_resend,
        "Sent again to {request.principal_name} with a new link; the earlier link no longer works.",
    )


@require_POST
def feedback_request_revoke(request, pk):
    """Stop the request's link from working (an answer already given stays)."""
    return _acted_on(
        request,
        pk,
        services.feedback_request_revoke,
        "Revoked: the link sent to {request.principal_name} no longer works.",
    )
