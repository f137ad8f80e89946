"""The database's sessions (growthmatrix/sessions.py) read with SQL written once: a signed-in
person stays signed in, with what their session holds, in one query; an expired or unknown
session signs no one in, and signing out ends the session."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from growthmatrix.sessions import SessionStore

pytestmark = pytest.mark.django_db

HOME = reverse("pages:my-growth")


def test_a_signed_in_person_s_session_is_read_in_one_query(client, settings, profile):
    settings.SESSION_ENGINE = "growthmatrix.sessions"
    client.post(
        reverse("login"),
        {"username": profile.user.email, "password": "correct horse battery staple"},
        follow=True,
    )
    session = client.session
    session["seen"] = "the matrix"
    session.save()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    assert response.wsgi_request.user == profile.user
    assert response.wsgi_request.session["seen"] == "the matrix"
    reads = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]
    assert len(reads) == 1 and "session_data" in reads[0]


def test_an_expired_session_signs_no_one_in(client, settings, profile):
    settings.SESSION_ENGINE = "growthmatrix.sessions"
    client.force_login(profile.user)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_key_reads_nothing_and_a_new_session_gets_a_new_key():
    store = SessionStore(session_key="x" * 32)
    assert store.load() == {}
    assert store.session_key is None
    store["kept"] = 1
    store.save()
    assert store.session_key != "x" * 32
    assert SessionStore(session_key=store.session_key).load() == {"kept": 1}


def test_signing_out_ends_the_session(client, settings, profile):
    settings.SESSION_ENGINE = "growthmatrix.sessions"
    client.force_login(profile.user)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert SessionStore(session_key=key).load() == {}
    assert client.get(HOME).status_code == 302
