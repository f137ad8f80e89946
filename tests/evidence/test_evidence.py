"""Evidence files and links: attached with the assessment's version, refused without leaving a
file or a row behind, downloaded only by those who see what they are attached to, frozen with
a finalized review, removed with a trace in the history."""

import urllib.request

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, ReviewSettings
from assessments.services import (
    StaleAssessmentError,
    WorkflowError,
    assessment_save_self,
    assessment_submit,
)
from evidence.models import Attachment
from evidence.services import (
    EvidenceOwner,
    EvidenceRefused,
    attachment_add,
    attachment_remove,
    evidence_files_sweep,
)
from evidence.services import (
    private_storage as storage_of,
)
from tests.assessments.workflow_helpers import all_levels, make_assessment
from tests.evidence.samples import HTML, JPEG, PDF, PNG, SVG, TEXT, docx, first_rated, upload
from tests.factories import TeamFactory
from tests.private_storage import private_storage, s3_server  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(profile, private_storage):  # noqa: F811
    return make_assessment(profile, ratings=2)


def stored_names() -> list[str]:
    storage = storage_of()
    try:
        folders = storage.listdir("evidence")[0]
    except FileNotFoundError:
        return []
    return [
        f"evidence/{folder}/{name}"
        for folder in folders
        for name in storage.listdir(f"evidence/{folder}")[1]
    ]


def add(assessment, actor, *, content=PDF, name="agenda.pdf", owner=None, **kwargs):
    assessment.refresh_from_db()
    return attachment_add(
        assessment=assessment,
        actor=actor,
        expected_version=kwargs.pop("version", assessment.version),
        owner=owner or EvidenceOwner(first_rated(assessment)),
        upload=upload(content, name) if content is not None else None,
        **kwargs,
    )


def downloaded(client, attachment, storage_kind):
    """The response headers and bytes a browser gets, through the signed address on S3."""
    response = client.get(reverse("evidence:attachment-download", args=[attachment.pk]))
    if storage_kind == "s3":
        assert response.status_code == 302
        with urllib.request.urlopen(response["Location"], timeout=10) as signed:
            return signed.headers, signed.read()
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


# Adding ----------------------------------------------------------------------------------


def test_a_file_is_stored_and_recorded_with_the_next_version(coordinator, draft):
    before = draft.version
    attachment, saved = add(draft, coordinator, title="Family night agenda")
    assert saved.version == before + 1
    assert attachment.title == "Family night agenda"
    assert attachment.download_name == "agenda.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.added_by == coordinator
    assert stored_names() == [attachment.file_name]
    assert storage_of().open(attachment.file_name).read() == PDF


def test_a_link_is_recorded_with_its_domain_and_titled_by_it_when_untitled(coordinator, draft):
    link, _ = add(draft, coordinator, content=None, url="https://drive.example.org/folder/1")
    assert link.is_link and link.title == "drive.example.org"
    assert stored_names() == []


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "https://",
        "//evil.example.org/x",
        "https://exa mple.org/",
        "http://[broken/",
    ],
)
def test_only_web_addresses_are_links(coordinator, draft, url):
    with pytest.raises(EvidenceRefused, match="web address|spaces"):
        add(draft, coordinator, content=None, url=url)
    assert not Attachment.objects.exists()


def test_a_stale_version_records_nothing_and_deletes_the_stored_file(coordinator, draft):
    stale = draft.version
    assessment_save_self(
        assessment=draft, actor=coordinator, expected_version=stale, ratings=all_levels(draft, 3)
    )
    with pytest.raises(StaleAssessmentError):
        add(draft, coordinator, version=stale)
    assert not Attachment.objects.exists()
    assert stored_names() == []


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (PNG, "report.pdf", None),  # a lying extension: accepted as what it is
        (HTML, "agenda.pdf", "markup"),
        (HTML, "page.html", "markup"),
        (SVG, "logo.svg", "markup"),
        (b"", "empty.pdf", "empty"),
        (b"MZ\x90\x00", "setup.exe", "not one of the kinds"),
    ],
)
def test_files_are_judged_by_content(coordinator, draft, content, name, says):
    if says is None:
        attachment, _ = add(draft, coordinator, content=content, name=name)
        assert attachment.content_type == "image/png"
        assert attachment.download_name == "report.png"
        return
    with pytest.raises(EvidenceRefused, match=says):
        add(draft, coordinator, content=content, name=name)
    assert not Attachment.objects.exists()
    assert stored_names() == []


def test_a_name_with_folders_and_control_characters_is_cleaned(coordinator, draft):
    attachment, _ = add(draft, coordinator, name="../../x/\x00ev\x1bil\r\n name.pdf")
    assert attachment.download_name == "evil name.pdf"
    assert attachment.file_name.startswith(f"evidence/{draft.coordinator.organization_id}/")
    assert ".." not in attachment.file_name


def test_size_limits_per_file_per_assessment_and_per_organization(
    coordinator, draft, settings, org
):
    settings.EVIDENCE_FILE_MAX_MB = 1
    big = PDF + b"x" * (1024 * 1024)
    with pytest.raises(EvidenceRefused, match="at most 1 MB"):
        add(draft, coordinator, content=big)

    settings.EVIDENCE_ASSESSMENT_MAX_MB = 1
    half = PDF + b"x" * (600 * 1024)
    add(draft, coordinator, content=half)
    with pytest.raises(EvidenceRefused, match="one assessment may hold 1 MB"):
        add(draft, coordinator, content=half)

    settings.EVIDENCE_ASSESSMENT_MAX_MB = 50
    ReviewSettings.objects.create(organization=org, evidence_quota_mb=1)
    with pytest.raises(EvidenceRefused, match="storage for evidence is full"):
        add(draft, coordinator, content=half)
    assert Attachment.objects.count() == 1
    assert len(stored_names()) == 1
    # A link still fits.
    add(draft, coordinator, content=None, url="https://example.org/agenda")


def test_the_admin_narrows_the_kinds_accepted(coordinator, draft, org):
    ReviewSettings.objects.create(organization=org, evidence_kinds=["pdf"])
    add(draft, coordinator)
    with pytest.raises(EvidenceRefused, match="does not accept Photos"):
        add(draft, coordinator, content=JPEG, name="photo.jpg")
    with pytest.raises(EvidenceRefused, match="does not accept Office"):
        add(draft, coordinator, content=docx(), name="plan.docx")


def test_only_the_coordinator_adds_to_their_ratings_and_only_the_reviewer_to_the_review(
    coordinator, director, draft
):
    with pytest.raises(PermissionDenied):
        add(draft, director)
    with pytest.raises(PermissionDenied):
        add(draft, coordinator, owner=EvidenceOwner())


def test_an_indicator_of_another_rubric_is_refused(coordinator, draft):
    with pytest.raises(EvidenceRefused, match="not in this assessment"):
        add(draft, coordinator, owner=EvidenceOwner(999_999))


def test_a_finalized_review_keeps_its_evidence_frozen(coordinator, director, draft):
    attachment, _ = add(draft, coordinator, content=TEXT, name="notes.txt")
    draft.refresh_from_db()
    submitted = assessment_submit(
        assessment=draft, actor=coordinator, expected_version=draft.version
    )
    with pytest.raises(WorkflowError, match="submitted"):
        add(submitted, coordinator)
    Assessment.objects.filter(pk=draft.pk).update(state="finalized")
    with pytest.raises(WorkflowError, match="finalized"):
        attachment_remove(
            attachment=attachment, actor=coordinator, expected_version=submitted.version
        )
    with pytest.raises(WorkflowError, match="finalized"):
        add(submitted, director, owner=EvidenceOwner())
    assert Attachment.objects.count() == 1


def test_removing_from_a_draft_is_in_the_history_and_deletes_the_file(
    client_for, coordinator, draft, django_capture_on_commit_callbacks
):
    attachment, saved = add(draft, coordinator, title="Old agenda")
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, actor=coordinator, expected_version=saved.version)
    assert not Attachment.objects.exists()
    assert stored_names() == []
    history = client_for(coordinator).get(
        reverse("assessments:assessment-history", args=[draft.pk])
    )
    html = history.content.decode()
    assert "removed" in html and "Old agenda" in html


def test_the_sweep_deletes_files_no_row_records_and_keeps_young_ones(coordinator, draft):
    from datetime import timedelta

    from django.utils import timezone

    kept, _ = add(draft, coordinator)
    storage_of().save(f"evidence/{draft.coordinator.organization_id}/orphan.pdf", upload(PDF))
    storage_of().save("evidence/999999/of-a-deleted-organization.pdf", upload(PDF))
    assert evidence_files_sweep(now=timezone.now()) == 0  # too young
    assert evidence_files_sweep(now=timezone.now() + timedelta(hours=2)) == 2
    assert stored_names() == [kept.file_name]


# Downloading -----------------------------------------------------------------------------


def test_a_pdf_opens_inline_and_anything_else_downloads(client_for, coordinator, draft):
    pdf, _ = add(draft, coordinator, name="agenda.pdf")
    text, _ = add(draft, coordinator, content=TEXT, name="../notes\r\n.txt")
    client = client_for(coordinator)
    headers, body = downloaded(client, pdf, private_storage_kind())
    assert body == PDF
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith("inline")
    assert 'filename="agenda.pdf"' in headers["Content-Disposition"]
    headers, body = downloaded(client, text, private_storage_kind())
    assert body == TEXT
    assert headers["Content-Disposition"].startswith("attachment")
    assert 'filename="notes.txt"' in headers["Content-Disposition"]
    assert headers["Content-Type"] == "application/octet-stream"
    if private_storage_kind() == "filesystem":
        assert headers["X-Content-Type-Options"] == "nosniff"


def private_storage_kind() -> str:
    from tests.private_storage import STORAGE_UNDER_TEST

    return STORAGE_UNDER_TEST


def test_who_downloads_a_drafts_and_a_submitted_assessments_files(
    client_for, coordinator, director, admin_user, other_director, other_admin, teammate, draft
):
    attachment, _ = add(draft, coordinator)
    url = reverse("evidence:attachment-download", args=[attachment.pk])
    # A draft's evidence is the coordinator's until they submit.
    assert client_for(coordinator).get(url).status_code in (200, 302)
    for person in (director, admin_user, other_director, other_admin, teammate.user):
        assert client_for(person).get(url).status_code == 404
    draft.refresh_from_db()
    assessment_submit(assessment=draft, actor=coordinator, expected_version=draft.version)
    for person in (director, admin_user):
        assert client_for(person).get(url).status_code in (200, 302)
    for person in (other_director, other_admin, teammate.user):
        assert client_for(person).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


def test_the_reviews_files_follow_the_coaching_notes(
    client_for, coordinator, director, admin_user, team, draft
):
    draft.refresh_from_db()
    submitted = assessment_submit(
        assessment=draft, actor=coordinator, expected_version=draft.version
    )
    attachment, saved = add(submitted, director, owner=EvidenceOwner(), title="Observation notes")
    url = reverse("evidence:attachment-download", args=[attachment.pk])
    assert client_for(coordinator).get(url).status_code == 404  # not until finalized
    assert client_for(director).get(url).status_code in (200, 302)
    Assessment.objects.filter(pk=draft.pk).update(state="finalized", finalized_by=director)
    assert client_for(coordinator).get(url).status_code in (200, 302)
    # A director who inherits the coordinator does not see the conversation's files.
    new_team = TeamFactory(organization=team.organization)
    draft.coordinator.team = new_team
    draft.coordinator.save(update_fields=["team"])
    newcomer = new_team.director
    assert client_for(newcomer).get(url).status_code == 404
    assert client_for(admin_user).get(url).status_code in (200, 302)


# The pages ---------------------------------------------------------------------------------


def test_the_matrix_page_attaches_in_the_background_and_answers_with_the_new_version(
    client_for, coordinator, draft
):
    client = client_for(coordinator)
    indicator = first_rated(draft)
    response = client.post(
        reverse("evidence:attachment-add", args=[draft.pk]),
        {
            "version": draft.version,
            "owner": indicator,
            "title": "<script>alert(1)</script>",
            "file": upload(PDF),
            "url": "",
        },
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] and body["version"] == draft.version + 1
    assert "&lt;script&gt;" in body["html"] and "<script>alert" not in body["html"]
    page = client.get(reverse("assessments:assessment-detail", args=[draft.pk])).content.decode()
    assert f'id="evidence-list-{indicator}"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # The page's own form carries the new version, so its next save is not refused.
    assert f'value="{draft.version + 1}"' in page


def test_a_refusal_is_a_message_and_nothing_else_changes(client_for, coordinator, draft):
    response = client_for(coordinator).post(
        reverse("evidence:attachment-add", args=[draft.pk]),
        {"version": draft.version, "owner": first_rated(draft), "file": upload(SVG, "x.svg")},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert "markup" in response.json()["message"]
    draft.refresh_from_db()
    assert draft.version == Assessment.objects.get(pk=draft.pk).version
    assert not Attachment.objects.exists()


def test_without_script_the_form_returns_to_the_indicator_with_a_message(
    client_for, coordinator, draft
):
    indicator = first_rated(draft)
    response = client_for(coordinator).post(
        reverse("evidence:attachment-add", args=[draft.pk]),
        {"version": draft.version, "owner": indicator, "url": "https://example.org/a"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(f"#indicator-{indicator}")
    assert "Attached “example.org”." in response.content.decode()


def test_the_matrix_page_reads_its_evidence_in_a_fixed_number_of_queries(
    client_for, coordinator, draft, django_assert_max_num_queries
):
    client = client_for(coordinator)
    url = reverse("assessments:assessment-detail", args=[draft.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        add(draft, coordinator, name=f"agenda-{n}.pdf")
        add(draft, coordinator, content=None, url=f"https://example.org/{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("evidence-item") == 12


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (HTML, "agenda.pdf", "markup"),
        (SVG, "logo.svg", "markup"),
        (b"", "empty.pdf", "empty"),
        (PDF + b"x" * (1024 * 1024), "big.pdf", "at most 1 MB"),
        (b"MZ\x90\x00" * 10, "../../../etc/\x00\r\nsetup.pdf", "not one of the kinds"),
    ],
)
def test_hostile_uploads_through_the_page_are_refused_leaving_nothing(
    client_for, coordinator, draft, settings, content, name, says
):
    settings.EVIDENCE_FILE_MAX_MB = 1
    response = client_for(coordinator).post(
        reverse("evidence:attachment-add", args=[draft.pk]),
        {"version": draft.version, "owner": first_rated(draft), "file": upload(content, name)},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert says in response.json()["message"]
    assert not Attachment.objects.exists()
    assert stored_names() == []
    assert Assessment.objects.get(pk=draft.pk).version == draft.version
