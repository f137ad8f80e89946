"""The workflow's emails: cycle opened, closed, reopened or extended; assessment submitted,
returned, finalized; and reminders.

Each notification is a django-tasks task that takes ids, enqueued by the services after
their transaction commits: it runs at once with the immediate backend (development, tests)
and in ``db_worker`` in production, so opening a cycle for a thousand coordinators never
holds the admin's request. A batch goes out over one SMTP connection. Bodies are plain-text
templates in templates/emails/, each with an absolute link built from ``SITE_URL``.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from assessments.models import (
    Assessment,
    AssessmentCycle,
    CoachingNotesShare,
    FeedbackRequest,
    ReminderLog,
    review_settings_of,
)
from coordinators import public_tokens
from coordinators.models import Role, User
from coordinators.tenure import day_words


def absolute_url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _message(*, to: User, subject: str, template: str, context: dict) -> EmailMessage:
    body = render_to_string(f"emails/{template}.txt", {"recipient": to, **context})
    return EmailMessage(subject=subject, body=body, to=[to.email])


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def _assessment(assessment_id: int) -> Assessment:
    return Assessment.objects.select_related(
        "cycle", "coordinator__user", "coordinator__team__director", "finalized_by"
    ).get(pk=assessment_id)


def _reviewers(assessment: Assessment) -> list[User]:
    """Who reviews: the director of the coordinator's team, else the organization's admins."""
    team = assessment.coordinator.team
    if team is not None and team.director is not None and team.director.is_active:
        return [team.director]
    return list(
        User.objects.filter(
            organization_id=assessment.coordinator.organization_id,
            memberships__role=Role.ADMIN,
            is_active=True,
        )
    )


@task()
def cycle_opened_notify(*, cycle_id: int) -> int:
    """Tell every coordinator of a newly opened cycle where their self-assessment is."""
    cycle = AssessmentCycle.objects.get(pk=cycle_id)
    assessments = Assessment.objects.filter(
        cycle=cycle, coordinator__user__is_active=True
    ).select_related("coordinator__user")
    return _send(
        [
            _message(
                to=a.coordinator.user,
                subject=f"{cycle.name} is open: your self-assessment is due "
                f"{day_words(cycle.due_on)}",
                template="cycle_opened",
                context={
                    "cycle": cycle,
                    "url": absolute_url("assessments:assessment-detail", a.pk),
                },
            )
            for a in assessments
        ]
    )


UNFINISHED = (Assessment.State.DRAFT, Assessment.State.RETURNED)


def _unfinished(cycle: AssessmentCycle):
    """The cycle's drafts and returned assessments of active coordinators: the work a close
    stops and a reopening or an extension lets continue."""
    return Assessment.objects.filter(
        cycle=cycle, state__in=UNFINISHED, coordinator__user__is_active=True
    ).select_related("coordinator__user", "coordinator__team__director")


@task()
def cycle_closed_notify(*, cycle_id: int) -> int:
    """Tell each coordinator whose draft or returned assessment the close stopped that it is
    kept and readable, and each director once about the submissions they can still finalize."""
    cycle = AssessmentCycle.objects.get(pk=cycle_id)
    messages = [
        _message(
            to=a.coordinator.user,
            subject=f"{cycle.name} is closed: your self-assessment is kept as you left it",
            template="cycle_closed_coordinator",
            context={
                "cycle": cycle,
                "assessment": a,
                "url": absolute_url("assessments:assessment-detail", a.pk),
            },
        )
        for a in _unfinished(cycle)
    ]
    by_reviewer: dict[User, list[Assessment]] = defaultdict(list)
    for assessment in Assessment.objects.filter(
        cycle=cycle, state=Assessment.State.SUBMITTED
    ).select_related("coordinator__user", "coordinator__team__director", "cycle"):
        for reviewer in _reviewers(assessment):
            by_reviewer[reviewer].append(assessment)
    messages += [
        _message(
            to=reviewer,
            subject=f"{cycle.name} is closed: {len(items)} submitted self-assessment"
            f"{'s' if len(items) != 1 else ''} still to review",
            template="cycle_closed_reviewer",
            context={
                "cycle": cycle,
                "items": [
                    {
                        "assessment": a,
                        "url": absolute_url("assessments:assessment-review", a.pk),
                    }
                    for a in items
                ],
            },
        )
        for reviewer, items in by_reviewer.items()
    ]
    return _send(messages)


@task()
def cycle_continues_notify(*, cycle_id: int, reopened: bool) -> int:
    """Tell the coordinators with a draft or returned assessment in the cycle that they can
    continue it until the new closing date (the cycle was reopened or extended)."""
    cycle = AssessmentCycle.objects.get(pk=cycle_id)
    what = "is open again" if reopened else "has more time"
    return _send(
        [
            _message(
                to=a.coordinator.user,
                subject=f"{cycle.name} {what}: your self-assessment is due "
                f"{cycle.due_on:%b} {cycle.due_on.day}",
                template="cycle_continues",
                context={
                    "cycle": cycle,
                    "assessment": a,
                    "reopened": reopened,
                    "url": absolute_url("assessments:assessment-detail", a.pk),
                },
            )
            for a in _unfinished(cycle)
        ]
    )


@task()
def assessment_submitted_notify(*, assessment_id: int) -> int:
    assessment = _assessment(assessment_id)
    coordinator = assessment.coordinator.user
    return _send(
        [
            _message(
                to=reviewer,
                subject=f"{coordinator.display_name} submitted their self-assessment",
                template="assessment_submitted",
                context={
                    "assessment": assessment,
                    "coordinator": coordinator,
                    "url": absolute_url("assessments:assessment-review", assessment.pk),
                },
            )
            for reviewer in _reviewers(assessment)
        ]
    )


def _send_to_coordinator(assessment: Assessment, *, subject: str, template: str, **context) -> int:
    """Tell the assessment's coordinator, with a link to their own sheet."""
    return _send(
        [
            _message(
                to=assessment.coordinator.user,
                subject=subject,
                template=template,
                context={
                    "assessment": assessment,
                    "url": absolute_url("assessments:assessment-detail", assessment.pk),
                    **context,
                },
            )
        ]
    )


@task()
def assessment_returned_notify(*, assessment_id: int) -> int:
    assessment = _assessment(assessment_id)
    return _send_to_coordinator(
        assessment,
        subject=f"Your self-assessment for {assessment.cycle.name} was returned",
        template="assessment_returned",
    )


@task()
def assessment_finalized_notify(*, assessment_id: int) -> int:
    assessment = _assessment(assessment_id)
    return _send_to_coordinator(
        assessment,
        subject=f"Your review for {assessment.cycle.name} is finalized",
        template="assessment_finalized",
        acknowledgement_asked=review_settings_of(
            assessment.coordinator.organization_id
        ).acknowledgement_on,
    )


@task()
def coaching_notes_shared_notify(*, share_id: int) -> int:
    """Tell a director that the coaching notes of a past review were shared with them. The
    email names the review and links to it; the notes stay on the page. Nothing is sent when
    the share was stopped before the task ran."""
    share = (
        CoachingNotesShare.objects.select_related(
            "director", "shared_by", "assessment__cycle", "assessment__coordinator__user"
        )
        .filter(pk=share_id)
        .first()
    )
    if share is None or not share.director.is_active:
        return 0
    coordinator = share.assessment.coordinator.user
    return _send(
        [
            _message(
                to=share.director,
                subject=f"Coaching notes shared with you: {coordinator.display_name}, "
                f"{share.assessment.cycle.name}",
                template="coaching_notes_shared",
                context={
                    "share": share,
                    "coordinator": coordinator,
                    "url": absolute_url("assessments:assessment-review", share.assessment_id),
                },
            )
        ]
    )


# The principal's feedback -----------------------------------------------------------------
#
# A principal has no account: the email goes to the address of the request, and its link
# carries a token minted as the email is written, so the token never waits in the task queue
# and only its digest is stored. A new email (a resend, the one reminder) replaces the link.


def principal_link(request: FeedbackRequest) -> str:
    """A new link for the request (its earlier one stops working), as an absolute URL."""
    raw, digest = public_tokens.mint()
    FeedbackRequest.objects.filter(pk=request.pk).update(token_digest=digest)
    request.token_digest = digest
    return absolute_url("assessments:principal-feedback", raw)


def _principal_message(request: FeedbackRequest, *, reminder: bool) -> EmailMessage:
    assessment = request.assessment
    coordinator = assessment.coordinator.user.display_name
    subject = (
        f"Reminder: your view of {request.school.name} for {coordinator}'s review"
        if reminder
        else f"{assessment.cycle.organization.name} asks for your view of {request.school.name}"
    )
    body = render_to_string(
        "emails/principal_feedback_request.txt",
        {
            "request": request,
            "coordinator": coordinator,
            "organization": assessment.cycle.organization.name,
            "reminder": reminder,
            "expires_on": day_words(timezone.localdate(request.expires_at)),
            "url": principal_link(request),
        },
    )
    return EmailMessage(subject=subject, body=body, to=[request.principal_email])


def _feedback_requests():
    return FeedbackRequest.objects.select_related(
        "school", "assessment__cycle__organization", "assessment__coordinator__user"
    )


@task()
@transaction.atomic
def feedback_request_email(*, feedback_request_id: int) -> int:
    """Email a principal their feedback request with a new link. Nothing is sent when the
    request was revoked or its link stopped working before the task ran."""
    request = _feedback_requests().filter(pk=feedback_request_id).first()
    if request is None or not request.link_works(timezone.now()):
        return 0
    return _send([_principal_message(request, reminder=False)])


@transaction.atomic
def principal_reminders_send(*, after_days: int) -> int:
    """Remind each principal once whose request, sent at least ``after_days`` days ago, is
    still unanswered and open; never again for that request. Returns emails sent."""
    now = timezone.now()
    waiting = [
        request
        for request in _feedback_requests().filter(
            state__in=[FeedbackRequest.State.SENT, FeedbackRequest.State.OPENED],
            reminded_at__isnull=True,
            sent_at__lte=now - timedelta(days=after_days),
            expires_at__gt=now,
        )
        if request.link_works(now)
    ]
    FeedbackRequest.objects.filter(pk__in=[r.pk for r in waiting]).update(reminded_at=now)
    return _send([_principal_message(request, reminder=True) for request in waiting])


# Reminders (python manage.py send_reminders, from cron) ---------------------------------
#
# A ReminderLog row per assessment, recipient, kind and day is written in the same
# transaction as the send: run every hour, nobody hears the same thing twice in a day, and
# if the mail server fails nothing is logged, so the next run tries again.


def _not_reminded(kind: str, today: date, recipient_field: str):
    return ~Exists(
        ReminderLog.objects.filter(
            assessment=OuterRef("pk"),
            recipient=OuterRef(recipient_field),
            kind=kind,
            sent_on=today,
        )
    )


def _due_in_words(due_on: date, today: date) -> str:
    days = (due_on - today).days
    return "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"


@transaction.atomic
def submit_reminders_send(*, today: date, days_before: int) -> int:
    """Remind coordinators whose open-cycle assessment is not submitted and is due within
    ``days_before`` days (up to and including the due date). Returns emails sent."""
    kind = ReminderLog.Kind.SUBMIT_DUE
    assessments = list(
        Assessment.objects.filter(
            cycle__state=AssessmentCycle.State.OPEN,
            cycle__due_on__gte=today,
            cycle__due_on__lte=today + timedelta(days=days_before),
            state__in=[Assessment.State.DRAFT, Assessment.State.RETURNED],
            coordinator__active=True,
            coordinator__user__is_active=True,
        )
        .filter(_not_reminded(kind, today, "coordinator__user"))
        .select_related("cycle", "coordinator__user")
    )
    ReminderLog.objects.bulk_create(
        ReminderLog(assessment=a, recipient=a.coordinator.user, kind=kind, sent_on=today)
        for a in assessments
    )
    return _send(
        [
            _message(
                to=a.coordinator.user,
                subject=f"Reminder: your self-assessment for {a.cycle.name} is due "
                + _due_in_words(a.cycle.due_on, today),
                template="reminder_submit",
                context={
                    "assessment": a,
                    "days_left": (a.cycle.due_on - today).days,
                    "url": absolute_url("assessments:assessment-detail", a.pk),
                },
            )
            for a in assessments
        ]
    )


@transaction.atomic
def review_reminders_send(*, today: date) -> int:
    """Remind directors (one email each) of submissions waiting longer than the cycle's
    review window. Returns emails sent."""
    kind = ReminderLog.Kind.REVIEW_OVERDUE
    now = timezone.now()
    waiting = (
        Assessment.objects.filter(state=Assessment.State.SUBMITTED, submitted_at__isnull=False)
        .select_related("cycle", "coordinator__user", "coordinator__team__director")
        .order_by("submitted_at")
    )
    overdue = [
        a for a in waiting if a.submitted_at + timedelta(days=a.cycle.review_window_days) < now
    ]
    already = set(
        ReminderLog.objects.filter(
            kind=kind, sent_on=today, assessment__in=[a.pk for a in overdue]
        ).values_list("assessment_id", "recipient_id")
    )
    by_reviewer: dict[User, list[Assessment]] = defaultdict(list)
    for assessment in overdue:
        for reviewer in _reviewers(assessment):
            if (assessment.pk, reviewer.pk) not in already:
                by_reviewer[reviewer].append(assessment)
    ReminderLog.objects.bulk_create(
        ReminderLog(assessment=a, recipient=reviewer, kind=kind, sent_on=today)
        for reviewer, items in by_reviewer.items()
        for a in items
    )
    return _send(
        [
            _message(
                to=reviewer,
                subject=f"Reminder: {len(items)} self-assessment{'s' if len(items) != 1 else ''} "
                "waiting for your review",
                template="reminder_review",
                context={
                    "items": [
                        {
                            "assessment": a,
                            "days_waiting": (now - a.submitted_at).days,
                            "url": absolute_url("assessments:assessment-review", a.pk),
                        }
                        for a in items
                    ],
                },
            )
            for reviewer, items in by_reviewer.items()
        ]
    )
