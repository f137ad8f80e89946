"""Files and links on a check-in: attached by its two people (its author, a director or a
mentor, and the coordinator) with the check-in's version, shown on its page, downloaded only
by those who see the check-in (a private one's only by its two people), each removed by the
person who added it with a trace in the history."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from coordinators.versioning import StaleEdit
from evidence.models import Attachment
from evidence.services import EvidenceRefused, attachment_remove, check_in_attachment_add
from growth.check_in_services import check_in_create
from growth.models import CheckIn
from tests.evidence.samples import HTML, PDF, SVG, upload
from tests.evidence.test_evidence import stored_names
from tests.factories import ProfileFactory, mentoring_match
from tests.private_storage import private_storage, s3_server  # noqa: F401

pytestmark = pytest.mark.django_db

LINK = "https://drive.example.org/family-night"


@pytest.fixture
def check_in(profile, director, private_storage, today):  # noqa: F811
    return check_in_create(
        profile=profile, actor=director, held_on=today - timedelta(days=2), notes="Family night."
    )


@pytest.fixture
def mentor(profile, other_team, today):
    mentor = ProfileFactory(team=other_team, user__email="mentor@example.org").user
    mentoring_match(mentee=profile, mentor=mentor, starts_on=today - timedelta(days=30))
    return mentor


def add(check_in, actor, **kwargs):
    check_in.refresh_from_db()
    return check_in_attachment_add(
        check_in=check_in,
        actor=actor,
        expected_version=kwargs.pop("version", check_in.version),
        **kwargs,
    )


def download(client, attachment):
    return client.get(reverse("evidence:attachment-download", args=[attachment.pk]))


def test_the_author_and_the_coordinator_attach_with_the_check_ins_version(
    check_in, director, coordinator
):
    link, saved = add(check_in, director, url=LINK, title="Shared folder")
    assert saved.version == 2
    pdf, saved = add(check_in, coordinator, upload=upload(PDF, "agenda.pdf"))
    assert saved.version == 3
    assert [a.check_in_id for a in (link, pdf)] == [check_in.pk, check_in.pk]
    assert pdf.title == "agenda.pdf" and pdf.added_by == coordinator
    assert CheckIn.objects.get(pk=check_in.pk).version == 3


def test_a_stale_check_in_records_nothing_and_deletes_the_stored_file(check_in, director):
    add(check_in, director, url=LINK)
    with pytest.raises(StaleEdit):
        add(check_in, director, version=1, upload=upload(PDF))
    assert Attachment.objects.count() == 1
    assert stored_names() == []


def test_only_its_two_people_attach(check_in, admin_user, teammate, mentor):
    for outsider in (admin_user, teammate.user, mentor):
        with pytest.raises(PermissionDenied):
            add(check_in, outsider, url=LINK)
    assert not Attachment.objects.exists()


def test_a_mentor_who_logged_the_check_in_attaches_to_it(profile, mentor, today):
    theirs = check_in_create(profile=profile, actor=mentor, held_on=today)
    attachment, _ = add(theirs, mentor, url=LINK)
    assert attachment.check_in == theirs


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [(HTML, "agenda.pdf", "markup"), (SVG, "logo.svg", "markup"), (b"", "empty.pdf", "empty")],
)
def test_hostile_files_are_refused_on_a_check_in_too(
    client_for, check_in, director, content, name, says
):
    response = client_for(director).post(
        reverse("evidence:check-in-attachment-add", args=[check_in.pk]),
        {"version": check_in.version, "file": upload(content, name)},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert says in response.json()["message"]
    assert not Attachment.objects.exists() and stored_names() == []
    assert CheckIn.objects.get(pk=check_in.pk).version == check_in.version


def test_a_check_in_holds_no_more_than_an_assessment(check_in, director, settings):
    settings.EVIDENCE_FILE_MAX_MB = 1
    settings.EVIDENCE_ASSESSMENT_MAX_MB = 1
    add(check_in, director, upload=upload(PDF + b"x" * 700_000))
    with pytest.raises(EvidenceRefused, match="This check-in already holds"):
        add(check_in, director, upload=upload(PDF + b"x" * 700_000))


def test_the_page_attaches_a_link_and_lists_it_for_whoever_sees_the_check_in(
    client_for, check_in, coordinator, director, mentor, admin_user, other_director
):
    url = reverse("evidence:check-in-attachment-add", args=[check_in.pk])
    response = client_for(coordinator).post(
        url,
        {"version": check_in.version, "url": LINK, "title": "Photos"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] and body["version"] == check_in.version + 1
    assert "Photos" in body["html"] and "drive.example.org" in body["html"]
    page = reverse("growth:check-in-detail", args=[check_in.pk])
    for person in (coordinator, director, mentor, admin_user):
        html = client_for(person).get(page).content.decode()
        assert "Photos" in html, person
    assert client_for(other_director).get(page).status_code == 404
    # Only its two people see the form, which carries the check-in's version.
    html = client_for(director).get(page).content.decode()
    assert "Attach a file or a link" in html
    assert f'name="version" value="{check_in.version + 1}"' in html
    assert "Attach a file or a link" not in client_for(mentor).get(page).content.decode()


def test_without_script_the_form_returns_to_the_check_in_with_a_message(
    client_for, check_in, director
):
    response = client_for(director).post(
        reverse("evidence:check-in-attachment-add", args=[check_in.pk]),
        {"version": check_in.version, "url": "javascript:alert(1)"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(f"/check-ins/{check_in.pk}/#check-in-evidence")
    assert "A link must be a web address" in response.content.decode()
    assert not Attachment.objects.exists()


def served(response) -> bool:
    """The file itself (filesystem storage) or a redirect to its signed address (S3), never
    to the login page."""
    if response.status_code == 302:
        return "/login" not in response["Location"]
    return response.status_code == 200


def test_downloads_follow_the_check_in(
    client_for, profile, check_in, director, coordinator, teammate, mentor, other_director,
    other_admin, admin_user, today,
):  # fmt: skip
    attachment, _ = add(check_in, director, upload=upload(PDF, "agenda.pdf"))
    for person in (coordinator, director, mentor, admin_user):
        assert served(download(client_for(person), attachment)), person
    for person in (teammate.user, other_director, other_admin):
        assert download(client_for(person), attachment).status_code == 404, person
    # The teammate's check-in is not the mentor's to see, nor are its files.
    mates = check_in_create(profile=teammate, actor=director, held_on=today)
    theirs, _ = add(mates, director, url=LINK)
    assert download(client_for(mentor), theirs).status_code == 404
    assert download(client_for(director), theirs).status_code == 302


def test_anonymous_visitors_get_the_login_page(client, check_in, director):
    attachment, _ = add(check_in, director, url=LINK)
    response = client.get(reverse("evidence:attachment-download", args=[attachment.pk]))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_private_check_ins_files_are_for_its_two_people(
    client_for, profile, director, coordinator, mentor, admin_user, today
):
    private = check_in_create(
        profile=profile, actor=director, held_on=today, notes="Just us.", notes_private=True
    )
    attachment, _ = add(private, director, url=LINK, title="Private folder")
    for person in (director, coordinator):
        assert download(client_for(person), attachment).status_code == 302, person
    page = reverse("growth:check-in-detail", args=[private.pk])
    for person in (mentor, admin_user):
        assert download(client_for(person), attachment).status_code == 404, person
        html = client_for(person).get(page).content.decode()
        assert "Private folder" not in html and "private with the note" in html


def test_each_removes_what_they_added_and_the_history_says_so(
    client_for, check_in, director, coordinator, django_capture_on_commit_callbacks
):
    theirs, _ = add(check_in, director, upload=upload(PDF, "agenda.pdf"), title="Agenda")
    mine, saved = add(check_in, coordinator, url=LINK, title="Photos")
    with pytest.raises(PermissionDenied):
        attachment_remove(attachment=theirs, actor=coordinator, expected_version=saved.version)
    response = client_for(director).post(
        reverse("evidence:attachment-remove", args=[theirs.pk]),
        {"version": saved.version},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200 and response.json()["version"] == saved.version + 1
    assert "Agenda" not in response.json()["html"] and "Photos" in response.json()["html"]
    assert list(Attachment.objects.all()) == [mine]
    html = (
        client_for(coordinator)
        .get(reverse("growth:check-in-detail", args=[check_in.pk]))
        .content.decode()
    )
    assert "removed “Agenda”" in html
    # The coordinator's page offers to remove their own link only.
    assert html.count('class="btn btn-link btn-sm evidence-remove"') == 1


def test_deleting_the_check_in_takes_its_attachments(check_in, director):
    add(check_in, director, url=LINK)
    CheckIn.objects.filter(pk=check_in.pk).delete()
    assert not Attachment.objects.exists()


def test_the_check_in_page_reads_its_evidence_in_a_fixed_number_of_queries(
    client_for, check_in, director, django_assert_max_num_queries
):
    page = reverse("growth:check-in-detail", args=[check_in.pk])
    client = client_for(director)
    add(check_in, director, url=LINK)
    with django_assert_max_num_queries(40) as few:
        client.get(page)
    for n in range(5):
        add(check_in, director, url=f"{LINK}/{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page)
