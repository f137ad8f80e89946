"""Partnership agreements: drafting from last year's copy, sharing, signing the exact text,
a change after signing asking for new signatures, and the reviews."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from schoolsites.models import AgreementSignature, PartnershipAgreement, SignatureLink
from schoolsites.services import (
    AgreementError,
    GoalInput,
    agreement_create,
    agreement_review_save,
    agreement_share,
    agreement_sign,
    agreement_start_values,
    agreement_update,
    principal_contact_save,
)
from tests.factories import ProfileFactory, TeamFactory

TERMS = {
    "principal_name": "Dana Okafor",
    "principal_email": "dana@school.example.org",
    "role_covers": "Family nights\nPartner coordination",
    "role_excludes": "Lunch duty",
    "meeting_cadence": "Every other Tuesday",
}
GOALS = [GoalInput("Chronic absence down", "Chronic absence", "from 18% to 14%")]


@pytest.fixture
def school(profile):
    return profile.schools.get()


@pytest.fixture
def year(org):
    return org.school_year_of(timezone.localdate()).start_year


@pytest.fixture
def agreement(school, year, director):
    return agreement_create(
        school=school, school_year=year, actor=director, fields=TERMS, goals=GOALS
    )


def sign_all(agreement):
    agreement_share(agreement=agreement, actor=agreement.director)
    for role in ("principal", "coordinator", "director"):
        agreement_sign(agreement=agreement, role=role, name=role.title(), email=f"{role}@x.org")
    agreement.refresh_from_db()


def test_a_new_agreement_is_a_draft_between_the_coordinator_and_their_director(
    agreement, profile, director
):
    assert agreement.state == "draft"
    assert agreement.coordinator == profile
    assert agreement.director == director
    assert [g.outcome for g in agreement.goals.all()] == ["Chronic absence down"]


def test_one_agreement_per_school_and_year(agreement, school, year, director):
    with pytest.raises(AgreementError):
        agreement_create(school=school, school_year=year, actor=director, fields=TERMS, goals=[])


def test_next_year_starts_from_a_copy_of_last_years_without_reviews(agreement, school, year):
    agreement_review_save(
        agreement=agreement,
        expected_version=agreement.version,
        mid_year_note="Halfway",
        results={agreement.goals.get().pk: ("met", "Done")},
    )
    principal_contact_save(
        school=school,
        school_year=year + 1,
        name="New Principal",
        email="new@school.example.org",
        expected_version=None,
    )
    values, goals = agreement_start_values(school=school, school_year=year + 1)
    assert values["role_covers"] == TERMS["role_covers"]
    assert values["principal_name"] == "New Principal"
    assert goals == GOALS


def test_signed_once_every_signatory_signed_the_same_text(agreement):
    agreement_share(agreement=agreement, actor=agreement.director)
    agreement_sign(agreement=agreement, role="principal", name="Dana Okafor", email="d@x.org")
    agreement_sign(agreement=agreement, role="coordinator", name="C", email="c@x.org")
    agreement.refresh_from_db()
    assert agreement.state == "shared"
    agreement_sign(agreement=agreement, role="director", name="D", email="d@x.org")
    agreement.refresh_from_db()
    assert agreement.state == "signed" and agreement.signed_at is not None
    signature = AgreementSignature.objects.get(agreement=agreement, role="principal")
    assert "Chronic absence down — measure: Chronic absence — target: from 18% to 14%" in (
        signature.text_signed
    )
    assert "- Lunch duty" in signature.text_signed


def test_a_draft_cannot_be_signed_nor_the_same_role_twice(agreement):
    with pytest.raises(AgreementError):
        agreement_sign(agreement=agreement, role="principal", name="P", email="p@x.org")
    agreement_share(agreement=agreement, actor=agreement.director)
    agreement_sign(agreement=agreement, role="principal", name="P", email="p@x.org")
    with pytest.raises(AgreementError):
        agreement_sign(agreement=agreement, role="principal", name="P", email="p@x.org")


def test_an_edit_of_the_terms_after_signing_asks_for_new_signatures(agreement):
    sign_all(agreement)
    back_to_draft = agreement_update(
        agreement=agreement,
        expected_version=agreement.version,
        fields={**TERMS, "role_excludes": "Lunch duty\nBus duty"},
        goals=GOALS,
    )
    agreement.refresh_from_db()
    assert back_to_draft and agreement.state == "draft" and agreement.signed_at is None
    # The signatures stay on record with the text they signed.
    assert AgreementSignature.objects.filter(agreement=agreement).count() == 3
    assert all("Bus duty" not in s.text_signed for s in agreement.signatures.all())
    sign_all(agreement)
    assert agreement.state == "signed"


def test_the_reviews_are_not_terms_and_keep_the_signatures(agreement):
    sign_all(agreement)
    agreement_review_save(
        agreement=agreement,
        expected_version=agreement.version,
        mid_year_note="On track",
        results={agreement.goals.get().pk: ("partly", "16% so far")},
    )
    agreement.refresh_from_db()
    assert agreement.state == "signed"
    assert agreement.goals.get().get_result_display() == "Partly met"


def test_sharing_emails_the_principal_a_link_stored_only_as_a_digest(
    agreement, django_capture_on_commit_callbacks
):
    with pytest.raises(AgreementError):
        agreement_share(
            agreement=agreement_create(
                school=agreement.school,
                school_year=agreement.school_year + 1,
                actor=agreement.director,
                fields=TERMS,
                goals=[],
            ),
            actor=agreement.director,
        )  # no goal yet
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        agreement_share(agreement=agreement, actor=agreement.director)
    (message,) = mail.outbox
    assert message.to == ["dana@school.example.org"]
    token = message.body.split("/agreements/sign/")[1].split("/")[0]
    link = SignatureLink.objects.get(agreement=agreement)
    assert token not in (link.token_digest or "") and len(link.token_digest) == 64
    # Sharing again sends a new link; the first stops working.
    with django_capture_on_commit_callbacks(execute=True):
        agreement_share(agreement=agreement, actor=agreement.director)
    assert SignatureLink.objects.get(pk=link.pk).revoked_at is not None
    assert len(mail.outbox) == 2


def test_the_history_of_an_agreement_lists_goals_and_signatures(client, agreement, director):
    sign_all(agreement)
    client.force_login(director)
    page = client.get(reverse("schoolsites:agreement-detail", args=[agreement.pk]))
    html = page.content.decode()
    assert "History of this agreement" in html
    assert "created the goal" in html and "created the signature" in html
    assert PartnershipAgreement.objects.get(pk=agreement.pk).state == "signed"


# Choosing the coordinator the agreement is with ---------------------------------------------


def _create_url(school, year):
    return reverse("schoolsites:agreement-create", args=[school.pk, year])


def _draft(**changes):
    return {
        **TERMS,
        "goal_1": "Chronic absence down",
        "measure_1": "Chronic absence",
        "target_1": "from 18% to 14%",
        **changes,
    }


def test_the_director_chooses_which_of_the_schools_coordinators_the_agreement_is_with(
    client_for, school, year, profile, director, team
):
    # Two of the director's coordinators work at the school; Zed is first by name.
    second = ProfileFactory(team=team, schools=[school], user__last_name="Aaberg")
    client = client_for(director)
    page = client.get(_create_url(school, year)).content.decode()
    assert "Choose the coordinator" in page
    assert second.user.display_name in page and profile.user.display_name in page

    refused = client.post(_create_url(school, year), _draft())
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert not PartnershipAgreement.objects.exists()

    client.post(_create_url(school, year), _draft(coordinator=profile.pk))
    agreement = PartnershipAgreement.objects.get()
    assert (agreement.coordinator, agreement.director) == (profile, director)


def test_the_only_coordinator_at_the_school_is_chosen_already(
    client_for, school, year, profile, director
):
    page = client_for(director).get(_create_url(school, year)).content.decode()
    assert "Choose the coordinator" not in page
    assert f'<option value="{profile.pk}" selected>' in page


def test_a_coordinator_elsewhere_or_outside_the_directors_teams_is_refused(
    client_for, school, year, profile, director, other_team, other_org
):
    elsewhere = ProfileFactory(team=profile.team)  # the director's, at another school
    not_theirs = ProfileFactory(team=other_team, schools=[school])  # at the school, West's
    far = ProfileFactory(team=TeamFactory(organization=other_org))
    client = client_for(director)
    page = client.get(_create_url(school, year)).content.decode()
    assert not_theirs.user.display_name not in page
    for chosen in (elsewhere, not_theirs, far):
        response = client.post(_create_url(school, year), _draft(coordinator=chosen.pk))
        assert "Choose one of the coordinators who work at this school." in (
            response.content.decode()
        )
    assert not PartnershipAgreement.objects.exists()


def test_the_service_refuses_a_coordinator_who_does_not_work_at_the_school(
    school, year, director, team
):
    elsewhere = ProfileFactory(team=team)
    with pytest.raises(AgreementError, match="does not work at"):
        agreement_create(
            school=school,
            school_year=year,
            actor=director,
            fields=TERMS,
            goals=GOALS,
            coordinator=elsewhere,
        )


def test_another_coordinator_in_an_edit_asks_for_new_signatures_from_them_and_their_director(
    client_for, agreement, school, other_team, admin_user
):
    sign_all(agreement)
    west = ProfileFactory(team=other_team, schools=[school])
    client = client_for(admin_user)
    url = reverse("schoolsites:agreement-update", args=[agreement.pk])
    form = client.get(url).content.decode()
    assert f'<option value="{agreement.coordinator_id}" selected>' in form
    client.post(url, _draft(coordinator=west.pk, version=agreement.version))
    agreement.refresh_from_db()
    assert (agreement.coordinator, agreement.director) == (west, other_team.director)
    assert agreement.state == "draft"


def test_the_coordinator_editing_the_terms_cannot_hand_the_agreement_to_someone_else(
    client_for, agreement, school, team, profile
):
    other = ProfileFactory(team=team, schools=[school])
    client = client_for(profile.user)
    url = reverse("schoolsites:agreement-update", args=[agreement.pk])
    assert "Choose the coordinator" not in client.get(url).content.decode()
    client.post(url, _draft(coordinator=other.pk, space="Room 4", version=agreement.version))
    agreement.refresh_from_db()
    assert (agreement.coordinator, agreement.space) == (profile, "Room 4")


def test_a_stale_save_keeps_the_coordinator_chosen(
    client_for, agreement, school, team, director, profile
):
    other = ProfileFactory(team=team, schools=[school])
    read_at = agreement.version
    agreement_update(
        agreement=agreement, expected_version=read_at, fields={"space": "Room 9"}, goals=GOALS
    )
    url = reverse("schoolsites:agreement-update", args=[agreement.pk])
    response = client_for(director).post(url, _draft(coordinator=other.pk, version=read_at))
    assert response.status_code == 409
    assert f'<option value="{other.pk}" selected>' in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.coordinator == profile
