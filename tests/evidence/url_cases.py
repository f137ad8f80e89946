"""How the access table and the hostile-input tests reach evidence: adding a file to the
coordinator's draft, removing a link from it, downloading a file of the submitted assessment,
adding a file to the check-in their director logged, and the org admin's review settings."""

from assessments.models import ReviewSettings
from tests.access_world import UrlCase, pk_of
from tests.evidence.samples import PDF, first_rated, upload


def _add_file(world, actor, client) -> dict:
    draft = world.mine.draft
    draft.refresh_from_db()
    return {
        "version": str(draft.version),
        "owner": str(first_rated(draft)),
        "title": "Family night agenda",
        "file": upload(PDF, "agenda.pdf"),
        "url": "",
    }


def _remove(world, actor, client) -> dict:
    draft = world.mine.draft
    draft.refresh_from_db()
    return {"version": str(draft.version)}


def _add_to_check_in(world, actor, client) -> dict:
    check_in = world.mine.check_in
    check_in.refresh_from_db()
    return {
        "version": str(check_in.version),
        "title": "Sign-in sheet",
        "file": upload(PDF, "sign-in.pdf"),
        "url": "",
    }


def _settings_of(org) -> ReviewSettings:
    row, _ = ReviewSettings.objects.get_or_create(organization=org)
    return row


def _settings_post(world, actor, client) -> dict:
    return {
        "acknowledgement_on": "on",
        "acknowledgement_overdue_days": "10",
        "evidence_kinds": ["pdf", "image"],
    }


CASES = [
    UrlCase(
        "evidence:attachment-add",
        kwargs=pk_of("draft"),
        post=_add_file,
        texts=("title", "url"),
        show=lambda world: f"/assessments/{world.mine.draft.pk}/",
    ),
    UrlCase(
        "evidence:check-in-attachment-add",
        kwargs=pk_of("check_in"),
        post=_add_to_check_in,
        texts=("title", "url"),
        show=lambda world: f"/check-ins/{world.mine.check_in.pk}/",
    ),
    UrlCase("evidence:attachment-download", kwargs=pk_of("evidence_file")),
    UrlCase("evidence:attachment-remove", kwargs=pk_of("evidence_link"), post=_remove),
    UrlCase(
        "evidence:review-settings",
        post=_settings_post,
        edits=lambda world: _settings_of(world.mine.org),
    ),
]
