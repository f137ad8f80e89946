"""The principal's page: opened by the emailed link, without an account.

It shows only the organization's name, the coordinator's, the school's and the School site
indicators in the words of the assessment's rubric version; it reads nothing of the visitor's
session, so someone signed in to any organization sees the same form and nothing else. A
wrong, expired or revoked link gets one page whatever the reason. Every answer carries no
referrer and is never cached; requests count against a rate per client address.
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from assessments import services
from assessments.forms import PrincipalFeedbackForm
from assessments.selectors.feedback import feedback_request_for_token, principal_page
from assessments.services import WorkflowError
from coordinators.public_pages import link_not_working, public_token_page
from coordinators.public_tokens import no_trace


def _page(request, template: str, context: dict, status: int = 200):
    return no_trace(render(request, f"assessments/principal/{template}", context, status=status))


@public_token_page
@require_http_methods(["GET", "POST"])
def principal_feedback(request, token):
    feedback = feedback_request_for_token(token)
    if feedback is None:
        return link_not_working(request)
    page = principal_page(request=feedback)
    if request.method == "POST":
        form = PrincipalFeedbackForm(request.POST, page=page)
        if form.is_valid():
            try:
                services.feedback_answer_save(
                    request=feedback,
                    ratings=form.ratings(),
                    overall_comment=form.cleaned_data["overall_comment"],
                    collaboration=form.cleaned_data.get("collaboration", ""),
                )
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                url = reverse("assessments:principal-feedback", args=[token])
                return no_trace(redirect(url))
        status = 400
    else:
        services.feedback_opened(request=feedback)
        form = PrincipalFeedbackForm(initial=page.initial, page=page)
        status = 200
    context = {"page": page, "form": form, "answered_at": feedback.answered_at}
    return _page(request, "feedback_form.html", context, status=status)
