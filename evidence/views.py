"""Adding, removing and downloading evidence, and the org admin's review settings.

Adding and removing answer JSON to the pages' script (static/js/evidence.js: the new version
of the assessment, the owner's list drawn again, or why nothing changed, everything else on
the page left as it is) and redirect back to the page with a message without it. A download
checks access with the owner's rules, then streams the file or redirects to a signed address
that works for a minute."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import UpdateView

from assessments import events as assessment_events
from assessments.access import get_assessment_for_user
from assessments.models import Assessment, ReviewSettings
from assessments.services import StaleAssessmentError, WorkflowError
from assessments.views.workflow import save_rate_limited, saved_at
from coordinators import events
from coordinators.access import RoleRequiredMixin
from coordinators.form_helpers import StaleEditMixin, int_or_none
from coordinators.models import Role
from coordinators.versioning import StaleEdit
from evidence import services
from evidence.access import attachment_assessment, get_attachment_for_user
from evidence.forms import AttachmentForm, CheckInAttachmentForm, ReviewSettingsForm
from evidence.models import Attachment
from evidence.selectors import storage_use
from growth.access import get_check_in_for_user, is_party_to
from growth.models import CheckIn

STALE = (
    "This assessment was saved elsewhere (in another tab or by someone else) after you opened "
    "this page, so nothing changed. Copy anything you typed, reload the page, and try again."
)
STALE_CHECK_IN = (
    "This check-in was saved elsewhere (in another tab or by someone else) after you opened "
    "this page, so nothing changed. Copy anything you typed, reload the page, and try again."
)
SIGNED_URL_SECONDS = 60
CHECK_IN_LIST = "check-in"


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _page_of(assessment: Assessment, *, reviewing: bool, indicator_id=None) -> str:
    if reviewing:
        return reverse("assessments:assessment-review", args=[assessment.pk]) + "#review-evidence"
    anchor = f"#indicator-{indicator_id}" if indicator_id else ""
    return reverse("assessments:assessment-detail", args=[assessment.pk]) + anchor


def _owner_list(request, assessment: Assessment, *, indicator_id) -> str:
    """The owner's attachments drawn again, as the page shows them to the person editing."""
    if indicator_id is None:
        items = Attachment.objects.filter(review=assessment)
        list_id = "review"
    else:
        items = Attachment.objects.filter(
            rating__assessment=assessment, rating__indicator_id=indicator_id
        )
        list_id = str(indicator_id)
    return render_to_string(
        "evidence/includes/attachment_list.html",
        {
            "items": items.select_related("added_by"),
            "list_id": list_id,
            "can_remove": True,
            "assessment": assessment,
        },
        request=request,
    )


def _answer(request, assessment, *, ok: bool, message: str, status=200, indicator_id=None,
            reviewing=False, saved=None):  # fmt: skip
    if _wants_json(request):
        body = {"saved": ok, "message": message}
        if ok:
            body |= {
                "version": saved.version,
                "saved_at": saved_at(saved),
                "html": _owner_list(request, saved, indicator_id=indicator_id),
            }
        return JsonResponse(body, status=status)
    (messages.success if ok else messages.error)(request, message)
    return redirect(_page_of(assessment, reviewing=reviewing, indicator_id=indicator_id))


@require_POST
@save_rate_limited
def attachment_add(request, pk):
    """A file or a link for one indicator's evidence, or for the review."""
    assessment = get_assessment_for_user(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _answer(
            request, assessment, ok=False, status=400, message="Not attached: " + form.first_error()
        )
    owner = form.cleaned_data["owner"]
    where = {"indicator_id": owner.indicator_id, "reviewing": owner.reviewing}
    try:
        attachment, saved = services.attachment_add(
            assessment=assessment,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            owner=owner,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            url=form.cleaned_data["url"],
        )
    except services.EvidenceRefused as exc:
        return _answer(
            request, assessment, ok=False, status=400, message=f"Not attached: {exc}", **where
        )
    except StaleAssessmentError:
        return _answer(request, assessment, ok=False, status=409, message=STALE, **where)
    except WorkflowError as exc:
        return _answer(
            request, assessment, ok=False, status=409, message=f"Not attached: {exc}", **where
        )
    return _answer(
        request,
        assessment,
        ok=True,
        message=f"Attached “{attachment.title}”.",
        saved=saved,
        **where,
    )


def _check_in_list(request, check_in: CheckIn) -> str:
    """The check-in's attachments drawn again, each removable by the person who added it."""
    return render_to_string(
        "evidence/includes/attachment_list.html",
        {
            "items": Attachment.objects.filter(check_in=check_in).select_related("added_by"),
            "list_id": CHECK_IN_LIST,
            "can_remove": "own",
        },
        request=request,
    )


def _check_in_answer(request, check_in: CheckIn, *, ok: bool, message: str, status=200,
                     saved=None):  # fmt: skip
    if _wants_json(request):
        body = {"saved": ok, "message": message}
        if ok:
            body |= {"version": saved.version, "html": _check_in_list(request, saved)}
        return JsonResponse(body, status=status)
    (messages.success if ok else messages.error)(request, message)
    return redirect(reverse("growth:check-in-detail", args=[check_in.pk]) + "#check-in-evidence")


@require_POST
@save_rate_limited
def check_in_attachment_add(request, pk):
    """A file or a link for a check-in, from its author or its coordinator."""
    check_in = get_check_in_for_user(request, pk)
    if not is_party_to(request.user, check_in):
        raise PermissionDenied(
            "Only the coordinator and the person who logged the check-in can attach to it."
        )
    form = CheckInAttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _check_in_answer(
            request, check_in, ok=False, status=400, message="Not attached: " + form.first_error()
        )
    try:
        attachment, saved = services.check_in_attachment_add(
            check_in=check_in,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            url=form.cleaned_data["url"],
        )
    except services.EvidenceRefused as exc:
        return _check_in_answer(
            request, check_in, ok=False, status=400, message=f"Not attached: {exc}"
        )
    except StaleEdit:
        return _check_in_answer(request, check_in, ok=False, status=409, message=STALE_CHECK_IN)
    return _check_in_answer(
        request, check_in, ok=True, message=f"Attached “{attachment.title}”.", saved=saved
    )


def _version_posted(request) -> int | None:
    return int_or_none(request.POST.get("version"))


def _check_in_attachment_remove(request, attachment: Attachment):
    check_in = attachment.check_in
    version = _version_posted(request)
    if version is None:
        return _check_in_answer(
            request, check_in, ok=False, status=400,
            message="The form arrived incomplete; reload the page and try again.",
        )  # fmt: skip
    try:
        saved = services.attachment_remove(
            attachment=attachment, actor=request.user, expected_version=version
        )
    except StaleEdit:
        return _check_in_answer(request, check_in, ok=False, status=409, message=STALE_CHECK_IN)
    return _check_in_answer(
        request, check_in, ok=True, message=f"Removed “{attachment.title}”.", saved=saved
    )


@require_POST
@save_rate_limited
def attachment_remove(request, pk):
    """Remove a file or link from a draft's evidence, a review in progress or a check-in."""
    attachment = get_attachment_for_user(request, pk)
    if attachment.check_in_id:
        return _check_in_attachment_remove(request, attachment)
    assessment = attachment_assessment(attachment)
    where = {
        "indicator_id": attachment.rating.indicator_id if attachment.rating_id else None,
        "reviewing": attachment.review_id is not None,
    }
    version = _version_posted(request)
    if version is None:
        return _answer(
            request, assessment, ok=False, status=400,
            message="The form arrived incomplete; reload the page and try again.", **where,
        )  # fmt: skip
    try:
        saved = services.attachment_remove(
            attachment=attachment, actor=request.user, expected_version=version
        )
    except StaleAssessmentError:
        return _answer(request, assessment, ok=False, status=409, message=STALE, **where)
    except WorkflowError as exc:
        return _answer(
            request, assessment, ok=False, status=409, message=f"Not removed: {exc}", **where
        )
    return _answer(
        request, assessment, ok=True, message=f"Removed “{attachment.title}”.", saved=saved, **where
    )


@require_GET
def attachment_download(request, pk):
    """The file to whoever sees what it is attached to: shown in the browser only when it is a
    PDF or a raster image, downloaded otherwise, never sniffed; a link goes to its address."""
    attachment = get_attachment_for_user(request, pk)
    if attachment.is_link:
        services.clean_link(attachment.url)
        return redirect(attachment.url)
    inline = attachment.opens_inline
    content_type = attachment.content_type if inline else "application/octet-stream"
    storage = services.private_storage()
    if getattr(storage, "querystring_auth", False):
        disposition = content_disposition_header(not inline, attachment.download_name)
        response = redirect(
            storage.url(
                attachment.file_name,
                parameters={
                    "ResponseContentDisposition": disposition,
                    "ResponseContentType": content_type,
                },
                expire=SIGNED_URL_SECONDS,
            )
        )
        response["Referrer-Policy"] = "no-referrer"
        return response
    if not storage.exists(attachment.file_name):
        raise Http404("This file is no longer stored.")
    response = FileResponse(
        storage.open(attachment.file_name, "rb"),
        as_attachment=not inline,
        filename=attachment.download_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Nothing a file holds may run as this site, even if a browser renders it.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; object-src 'self'"
    return response


class ReviewSettingsUpdateView(StaleEditMixin, RoleRequiredMixin, UpdateView):
    """The org admin's choices: acknowledgement on or off and when an unacknowledged review
    needs attention, the kinds of evidence files accepted; with the storage used of the quota."""

    required_roles = (Role.ADMIN,)
    form_class = ReviewSettingsForm
    template_name = "evidence/review_settings.html"
    context_object_name = "review_settings"
    success_url = reverse_lazy("evidence:review-settings")

    def get_object(self, queryset=None):
        row, _created = ReviewSettings.objects.get_or_create(
            organization_id=self.request.user.organization_id
        )
        return row

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            storage=storage_use(self.request.user.organization_id),
            file_max_mb=settings.EVIDENCE_FILE_MAX_MB,
            assessment_max_mb=settings.EVIDENCE_ASSESSMENT_MAX_MB,
        )

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        events.publish(
            assessment_events.ReviewSettingsChanged(
                organization_id=self.request.user.organization_id
            )
        )
        messages.success(self.request, "Review settings saved.")
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if response.status_code == 200:
            response.status_code = 400
        return response
