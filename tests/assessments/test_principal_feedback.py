"""The principal's feedback: asked by email, answered without an account through a link that
is hashed at rest, expires, can be revoked and is rate-limited; the answer shows beside self
and supervisor, in the history, and moves the site flags."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments.emails import principal_reminders_send
from assessments.models import (
    Assessment,
    FeedbackRequest,
    PrincipalFeedbackSettings,
    PrincipalRating,
)
from assessments.selectors import assessment_history
from assessments.services import (
    PrincipalRatingInput,
    WorkflowError,
    assessment_finalize,
    assessment_save_review,
    category_scores_refresh,
    feedback_answer_save,
    feedback_link_mint,
    feedback_request_resend,
    feedback_request_revoke,
    feedback_request_send,
    site_indicator_ids,
)
from coordinators.public_tokens import TOKEN_BYTES, digest
from dashboards import read_model
from dashboards.models import CoordinatorCycleRow
from schoolsites.models import PrincipalContact
from tests.access_world import token_of
from tests.assessments.workflow_helpers import all_levels, make_assessment
from tests.factories import OrganizationFactory, ProfileFactory, SchoolFactory, TeamFactory

PRINCIPAL = {"principal_name": "Dr. Renee Whitfield", "principal_email": "rw@school.example.org"}


@pytest.fixture
def submitted(profile):
    """The coordinator's self-assessment, submitted: Expert (3) everywhere."""
    assessment = make_assessment(
        profile, ratings=3, state=Assessment.State.SUBMITTED, submitted_at=timezone.now()
    )
    category_scores_refresh(assessment=assessment)
    return assessment


def emailed(call, **kwargs):
    """Call a service and run what it leaves for after the commit (its email)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return call(**kwargs)


def ask(assessment, actor, school=None, **principal):
    return emailed(
        feedback_request_send,
        assessment=assessment,
        school=school or assessment.schools.first(),
        actor=actor,
        **(principal or PRINCIPAL),
    )


def link_in(message) -> str:
    return re.search(r"http://testserver(/principal/[\w-]+/)", message.body).group(1)


def answer(request, level=1, comment="", overall=""):
    return feedback_answer_save(
        request=request,
        ratings={
            pk: PrincipalRatingInput(level, comment)
            for pk in site_indicator_ids(request.assessment)
        },
        overall_comment=overall,
    )


def principal_post(assessment, level=1, **extra) -> dict:
    data = {"overall_comment": "We plan the year together."}
    for pk in site_indicator_ids(assessment):
        data[f"level_{pk}"] = str(level)
        data[f"comment_{pk}"] = ""
    return data | extra


# Sending, and the link --------------------------------------------------------------------


def test_the_principal_is_emailed_a_link_whose_token_is_kept_only_as_a_digest(submitted, director):
    request = ask(submitted, director)
    (message,) = mail.outbox
    assert message.to == ["rw@school.example.org"]
    assert submitted.coordinator.user.display_name in message.body
    path = link_in(message)
    token = token_of(path)
    assert len(token) >= TOKEN_BYTES * 4 // 3  # 256 bits, at least 128
    request.refresh_from_db()
    assert request.token_digest == digest(token) != token
    assert not FeedbackRequest.objects.filter(token_digest=token).exists()
    assert token not in str(FeedbackRequest.history.filter(id=request.pk).values())
    response = Client().get(path)
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.state == FeedbackRequest.State.OPENED


def test_a_coordinator_at_two_schools_gets_one_request_per_school(team, director):
    schools = [SchoolFactory(organization=team.organization) for _ in range(2)]
    profile = ProfileFactory(team=team, schools=schools)
    assessment = make_assessment(profile, ratings=2)
    for school in schools:
        ask(assessment, director, school=school)
    ask(assessment, director, school=schools[0])  # again: the same request, a new link
    assert assessment.feedback_requests.count() == 2
    assert len(mail.outbox) == 3


def test_a_school_outside_the_assessment_is_refused(submitted, director, org):
    with pytest.raises(WorkflowError):
        ask(submitted, director, school=SchoolFactory(organization=org))


def test_the_coordinator_asks_only_where_the_organization_allows_it(submitted, coordinator):
    with pytest.raises(PermissionDenied):
        ask(submitted, coordinator)
    PrincipalFeedbackSettings.objects.create(
        organization=submitted.coordinator.organization, coordinators_may_send=True
    )
    assert ask(submitted, coordinator).sent_by == coordinator


def test_resending_replaces_the_link_and_revoking_stops_it(submitted, director):
    request = ask(submitted, director)
    first = link_in(mail.outbox[0])
    emailed(feedback_request_resend, request=request, actor=director)
    second = link_in(mail.outbox[1])
    assert first != second
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    feedback_request_revoke(request=request, actor=director)
    assert Client().get(second).status_code == 404
    request.refresh_from_db()
    assert request.shown_state(timezone.now()) == "revoked"


# The principal's page -----------------------------------------------------------------------


def test_the_page_shows_only_the_names_and_the_school_site_indicators(submitted, director):
    ask(submitted, director)
    page = Client().get(link_in(mail.outbox[0]))
    text = page.content.decode()
    organization = submitted.coordinator.organization
    for shown in (organization.name, submitted.coordinator.user.display_name):
        assert shown in text
    assert submitted.schools.get().name in text
    sheet_site = [c for c in page.context["page"].indicators]
    assert sheet_site and all(i.indicator.category.key == "site" for i in sheet_site)
    for item in sheet_site:
        assert item.indicator.name in text
        for descriptor in item.descriptors.values():
            assert escape(descriptor) in text
    assert "Coordinator" in text  # the fact's label, not the category's indicators
    assert submitted.coordinator.user.email not in text
    assert 'href="/' not in text.replace('href="/static/', "")  # no link into the product


def test_the_page_sets_no_referrer_no_store_and_the_csp(submitted, director):
    ask(submitted, director)
    for response in (
        Client().get(link_in(mail.outbox[0])),
        Client().get("/principal/" + "x" * 43 + "/"),
    ):
        assert response["Referrer-Policy"] == "no-referrer"
        assert "no-store" in response["Cache-Control"]
        assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_wrong_expired_revoked_or_finalized_link_gets_one_page(submitted, director):
    request = ask(submitted, director)
    path = link_in(mail.outbox[0])
    bodies = {}
    bodies["wrong"] = Client().get("/principal/" + "A" * 43 + "/")
    bodies["junk"] = Client().get("/principal/%3Cscript%3E/")
    FeedbackRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now())
    bodies["expired"] = Client().get(path)
    FeedbackRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() + timedelta(days=3)
    )
    assert Client().get(path).status_code == 200
    Assessment.objects.filter(pk=submitted.pk).update(state=Assessment.State.FINALIZED)
    bodies["finalized"] = Client().get(path)
    Assessment.objects.filter(pk=submitted.pk).update(state=Assessment.State.SUBMITTED)
    feedback_request_revoke(request=request, actor=director)
    bodies["revoked"] = Client().get(path)
    assert {r.status_code for r in bodies.values()} == {404}
    assert len({r.content for r in bodies.values()}) == 1


def test_the_page_works_without_a_session_and_shows_a_signed_in_stranger_only_the_form(
    submitted, director
):
    ask(submitted, director)
    path = link_in(mail.outbox[0])
    stranger_org = OrganizationFactory(name="Elsewhere District", slug="elsewhere")
    stranger = ProfileFactory(
        team=TeamFactory(organization=stranger_org), user__first_name="Stranger"
    )
    client = Client()
    client.force_login(stranger.user)
    response = client.get(path)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Elsewhere District" not in text and "Stranger" not in text
    assert "Log out" not in text
    response = client.post(path, principal_post(submitted))
    assert response.status_code == 302
    request = FeedbackRequest.objects.get()
    assert request.answered_at is not None
    # The history never ties the answer to whoever was signed in on that browser.
    assert not request.history.filter(history_user=stranger.user).exists()
    assert not PrincipalRating.history.filter(history_user=stranger.user).exists()


def test_the_public_page_is_rate_limited_per_address(submitted, director):
    ask(submitted, director)
    path = link_in(mail.outbox[0])
    with override_settings(RATE_LIMITS={"public-token": "3/m"}):
        answers = [Client().get(path).status_code for _ in range(3)]
        refused = Client().get(path)
        wrong = Client().get("/principal/" + "B" * 43 + "/")
    assert answers == [200, 200, 200]
    assert refused.status_code == wrong.status_code == 429
    assert refused["Retry-After"]
    assert refused["Referrer-Policy"] == "no-referrer"


def test_answering_needs_a_level_for_every_indicator_and_keeps_the_typing(submitted, director):
    ask(submitted, director)
    path = link_in(mail.outbox[0])
    body = principal_post(submitted)
    first = next(key for key in body if key.startswith("level_"))
    del body[first]
    response = Client().post(path, body | {"overall_comment": "Kept as typed"})
    assert response.status_code == 400
    assert "Choose the level that fits best." in response.content.decode()
    assert "Kept as typed" in response.content.decode()
    assert FeedbackRequest.objects.get().answered_at is None


def test_the_principal_answers_and_revises_until_the_review_is_finalized(submitted, director):
    request = ask(submitted, director)
    path = link_in(mail.outbox[0])
    assert Client().post(path, principal_post(submitted, level=1)).status_code == 302
    request.refresh_from_db()
    assert (request.state, request.site_level) == ("answered", 1)
    assert Client().post(path, principal_post(submitted, level=2)).status_code == 302
    request.refresh_from_db()
    assert request.site_level == 2
    assert set(request.ratings.values_list("level", flat=True)) == {2}
    reviewed = assessment_save_review(
        assessment=submitted,
        actor=director,
        expected_version=submitted.version,
        ratings=all_levels(submitted, 2),
        coaching_notes="",
    )
    assessment_finalize(assessment=reviewed, actor=director, expected_version=reviewed.version)
    assert Client().post(path, principal_post(submitted, level=3)).status_code == 404
    with pytest.raises(WorkflowError):
        answer(request, level=3)
    request.refresh_from_db()
    assert request.site_level == 2


def test_the_collaboration_question_is_asked_only_when_the_organization_chooses(
    submitted, director
):
    ask(submitted, director)
    path = link_in(mail.outbox[0])
    assert 'name="collaboration"' not in Client().get(path).content.decode()
    PrincipalFeedbackSettings.objects.create(
        organization=submitted.coordinator.organization, ask_about_collaboration=True
    )
    assert 'name="collaboration"' in Client().get(path).content.decode()
    Client().post(path, principal_post(submitted, collaboration="She chairs our family team."))
    assert FeedbackRequest.objects.get().collaboration == "She chairs our family team."


# Where the answer shows ---------------------------------------------------------------------


def test_the_review_shows_self_supervisor_and_each_principal(client_for, team, director):
    schools = [SchoolFactory(organization=team.organization, name=n) for n in ("Aster", "Birch")]
    profile = ProfileFactory(team=team, schools=schools)
    assessment = make_assessment(
        profile, ratings=3, state=Assessment.State.SUBMITTED, submitted_at=timezone.now()
    )
    for school, level in zip(schools, (1, 2), strict=True):
        answer(ask(assessment, director, school=school), level=level, comment=f"From {school}")
    page = client_for(director).get(reverse("assessments:assessment-review", args=[assessment.pk]))
    text = page.content.decode()
    table = text[text.index('class="table table-sm align-middle site-views"') :]
    table = table[: table.index("</table>")]
    headers = re.findall(r'<th scope="col">([^<]+)', table)
    assert headers == ["Indicator", "Self", "Supervisor", "Principal, Aster", "Principal, Birch"]
    assert "From Aster" in table and "From Birch" in table


def test_the_coordinator_sees_the_principal_once_the_review_is_finalized(
    client_for, submitted, director, coordinator
):
    answer(ask(submitted, director), level=1, overall="Not yet part of our team.")
    url = reverse("assessments:assessment-detail", args=[submitted.pk])
    assert "Not yet part of our team." not in client_for(coordinator).get(url).content.decode()
    reviewed = assessment_save_review(
        assessment=submitted,
        actor=director,
        expected_version=submitted.version,
        ratings=all_levels(submitted, 2),
        coaching_notes="",
    )
    assessment_finalize(assessment=reviewed, actor=director, expected_version=reviewed.version)
    text = client_for(coordinator).get(url).content.decode()
    assert "Not yet part of our team." in text
    assert "Principal, " in text


def test_requests_and_answers_go_into_the_history(submitted, director):
    request = ask(submitted, director)
    answer(request, level=1)
    answer(request, level=2)
    feedback_request_revoke(request=request, actor=director)
    words = [
        entry.text
        for entry in assessment_history(
            assessment=submitted, include_supervisor=True, include_coaching_notes=True
        )
    ]
    school = submitted.schools.get().name
    assert (
        f"asked Dr. Renee Whitfield, principal of {school} (rw@school.example.org) for feedback"
        in words
    )
    assert any(text.startswith("answered: School site") for text in words)
    assert any(text.startswith("revised their answer") for text in words)
    assert f"revoked the link sent to Dr. Renee Whitfield, principal of {school}" in words
    hidden = assessment_history(
        assessment=submitted, include_supervisor=False, include_coaching_notes=False
    )
    assert not any("principal" in entry.text for entry in hidden)


def test_the_answer_raises_the_site_flags_of_the_read_model(submitted, director):
    """The coordinator says Expert on School site; the principal says Novice."""
    read_model.rebuild(organization_id=submitted.cycle.organization_id)
    row = CoordinatorCycleRow.objects.get(cycle=submitted.cycle, coordinator=submitted.coordinator)
    assert row.site_perception_from is None
    answer(ask(submitted, director), level=1)
    row = CoordinatorCycleRow.objects.get(cycle=submitted.cycle, coordinator=submitted.coordinator)
    assert row.site_perception_from is not None


# Reminders ----------------------------------------------------------------------------------


def test_a_principal_is_reminded_once_then_never_again(submitted, director):
    request = ask(submitted, director)
    first = link_in(mail.outbox[0])
    assert principal_reminders_send(after_days=7) == 0
    FeedbackRequest.objects.filter(pk=request.pk).update(sent_at=timezone.now() - timedelta(days=8))
    assert principal_reminders_send(after_days=7) == 1
    reminder = mail.outbox[-1]
    assert reminder.subject.startswith("Reminder:")
    assert Client().get(link_in(reminder)).status_code == 200
    assert Client().get(first).status_code == 404  # the reminder's link replaces it
    assert principal_reminders_send(after_days=7) == 0
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 2


def test_an_answered_request_is_not_reminded(submitted, director):
    request = ask(submitted, director)
    answer(request)
    FeedbackRequest.objects.filter(pk=request.pk).update(sent_at=timezone.now() - timedelta(days=8))
    assert principal_reminders_send(after_days=7) == 0


# The command and the request page ------------------------------------------------------------


def test_principal_link_mints_a_fresh_link_for_an_open_assessment(submitted, director, capsys):
    school = submitted.schools.get()
    PrincipalContact.objects.create(
        school=school,
        school_year=school.organization.school_year_of(timezone.localdate()).start_year,
        name="Gloria Pham",
        email="gp@school.example.org",
    )
    call_command("principal_link", str(submitted.pk))
    path = re.search(r"http://testserver(/principal/[\w-]+/)", capsys.readouterr().out).group(1)
    assert not mail.outbox  # printed, not emailed
    response = Client().get(path)
    assert response.status_code == 200
    assert FeedbackRequest.objects.get().principal_name == "Gloria Pham"
    request = FeedbackRequest.objects.get()
    assert Client().get(feedback_link_mint(request=request).removeprefix("http://testserver"))
    assert Client().get(path).status_code == 404


def test_principal_link_refuses_a_finalized_assessment(profile):
    finalized = make_assessment(profile, ratings=2, state=Assessment.State.FINALIZED)
    with pytest.raises(Exception, match="finalized"):
        call_command("principal_link", str(finalized.pk))


def test_the_request_page_fills_in_the_school_s_principal_contact(client_for, submitted, director):
    school = submitted.schools.get()
    year = school.organization.school_year_of(timezone.localdate()).start_year
    PrincipalContact.objects.create(
        school=school, school_year=year - 1, name="Last Year", email="old@school.example.org"
    )
    PrincipalContact.objects.create(
        school=school, school_year=year, name="Gloria Pham", email="gp@school.example.org"
    )
    url = reverse("schoolsites:feedback-requests", args=[submitted.pk])
    text = client_for(director).get(url).content.decode()
    assert 'value="Gloria Pham"' in text and 'value="gp@school.example.org"' in text
    assert "Last Year" not in text
    response = client_for(director).post(
        url,
        {
            "school": school.pk,
            "principal_name": "Gloria Pham",
            "principal_email": "gp@school.example.org",
        },
    )
    assert response.status_code == 302
    text = client_for(director).get(url).content.decode()
    assert "Sent" in text and "Revoke the link" in text and "data-confirm=" in text


def test_the_request_page_lists_every_state(client_for, team, director):
    schools = [SchoolFactory(organization=team.organization) for _ in range(4)]
    profile = ProfileFactory(team=team, schools=schools)
    assessment = make_assessment(profile, ratings=2)
    sent, opened, answered, revoked = (ask(assessment, director, school=s) for s in schools)
    FeedbackRequest.objects.filter(pk=opened.pk).update(state="opened")
    answer(answered)
    feedback_request_revoke(request=revoked, actor=director)
    FeedbackRequest.objects.filter(pk=sent.pk).update(expires_at=timezone.now())
    text = (
        client_for(director)
        .get(reverse("schoolsites:feedback-requests", args=[assessment.pk]))
        .content.decode()
    )
    for state in ("Expired", "Opened", "Answered", "Revoked"):
        assert f">{state}</span>" in text


def test_the_request_page_s_queries_do_not_grow_with_schools(
    client_for, team, director, django_assert_max_num_queries
):
    def page_queries(count):
        schools = [SchoolFactory(organization=team.organization) for _ in range(count)]
        profile = ProfileFactory(team=team, schools=schools)
        assessment = make_assessment(profile, ratings=2)
        for school in schools:
            answer(ask(assessment, director, school=school))
        return reverse("schoolsites:feedback-requests", args=[assessment.pk])

    client = client_for(director)
    small, large = page_queries(1), page_queries(6)
    client.get(small)
    with django_assert_max_num_queries(14) as few:
        client.get(small)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(large)


def test_the_review_s_queries_do_not_grow_with_answering_schools(
    client_for, team, director, django_assert_max_num_queries
):
    def review_of(count):
        schools = [SchoolFactory(organization=team.organization) for _ in range(count)]
        profile = ProfileFactory(team=team, schools=schools)
        assessment = make_assessment(
            profile, ratings=2, state=Assessment.State.SUBMITTED, submitted_at=timezone.now()
        )
        for school in schools:
            answer(ask(assessment, director, school=school), comment="Fine")
        return reverse("assessments:assessment-review", args=[assessment.pk])

    client = client_for(director)
    small, large = review_of(1), review_of(5)
    client.get(small)
    client.get(large)
    with django_assert_max_num_queries(40) as few:
        client.get(small)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(large)


def test_the_principal_page_s_queries_are_few(submitted, director, django_assert_max_num_queries):
    ask(submitted, director)
    path = link_in(mail.outbox[0])
    Client().get(path)
    with django_assert_max_num_queries(8):
        Client().get(path)


def test_a_form_posted_under_no_referrer_passes_the_csrf_check_only_with_its_token(
    submitted, director
):
    """Under ``Referrer-Policy: no-referrer`` browsers post with ``Origin: null``; the form's
    CSRF token is still required."""
    ask(submitted, director)
    path = link_in(mail.outbox[0])
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    body = principal_post(submitted)
    assert client.post(path, body, HTTP_ORIGIN="null").status_code == 403
    assert client.post(path, body, HTTP_ORIGIN="https://evil.example.org").status_code == 403
    body["csrfmiddlewaretoken"] = token.group(1)
    assert client.post(path, body, HTTP_ORIGIN="null").status_code == 302
    assert FeedbackRequest.objects.get().answered_at is not None


def test_an_answer_survives_revoking_and_sending_again(submitted, director):
    request = ask(submitted, director)
    answer(request, level=2)
    feedback_request_revoke(request=request, actor=director)
    request.refresh_from_db()
    assert (request.state, request.site_level) == ("revoked", 2)
    request = ask(submitted, director)
    assert request.state == "answered"
    assert Client().get(link_in(mail.outbox[-1])).status_code == 200
