"""The principal's email: a link to sign the school's partnership agreement without an
account. A django-tasks task like the workflow's emails; it mints the token itself, so the
link's text is never stored, not even in the task queue."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from coordinators import public_tokens
from schoolsites.models import SignatureLink


@task()
def signature_link_send(*, link_id: int) -> int:
    """Mint the link's token and email it to the principal; nothing for a link revoked or used
    before the task ran."""
    link = (
        SignatureLink.objects.select_related(
            "agreement__school__organization", "agreement__coordinator__user"
        )
        .filter(pk=link_id, revoked_at__isnull=True, used_at__isnull=True)
        .first()
    )
    if link is None:
        return 0
    raw, digest = public_tokens.mint()
    link.token_digest, link.sent_at = digest, timezone.now()
    link.save(update_fields=["token_digest", "sent_at"])
    agreement = link.agreement
    organization = agreement.school.organization
    body = render_to_string(
        "emails/agreement_signature.txt",
        {
            "agreement": agreement,
            "organization": organization,
            "school_year": organization.school_year(agreement.school_year),
            "url": settings.SITE_URL + reverse("schoolsites:agreement-sign-link", args=[raw]),
            "expires_at": link.expires_at,
        },
    )
    message = EmailMessage(
        subject=f"Please sign the partnership agreement for {agreement.school.name}",
        body=body,
        to=[link.email],
    )
    return message.send() or 0
