from django.urls import reverse

from tests.factories import UserFactory


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_login_is_throttled_per_account_and_address(client, org):
    UserFactory(organization=org, email="maria@example.org", roles=["coordinator"])
    for _ in range(5):
        client.post(reverse("login"), {"username": "maria@example.org", "password": "wrong"})
    response = client.post(
        reverse("login"),
        {"username": "maria@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    # Another address may still log in to the same account.
    other = client.__class__(REMOTE_ADDR="10.9.9.9")
    response = other.post(
        reverse("login"),
        {"username": "maria@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302


def test_healthz_reports_database_only(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_logout_refuses_get(client_for, admin_user):
    assert client_for(admin_user).get(reverse("logout")).status_code == 405


def test_password_reset_does_not_reveal_whether_an_email_exists(client, org, mailoutbox):
    UserFactory(organization=org, email="known@example.org", roles=["coordinator"])
    known = client.post(reverse("password_reset"), {"email": "known@example.org"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content.decode().count("If an account uses that address") == 1
    assert unknown.content.decode().count("If an account uses that address") == 1
    assert [m.to for m in mailoutbox] == [["known@example.org"]]


def test_session_and_csrf_cookies_are_secure_and_http_only(client, org):
    UserFactory(organization=org, email="maria@example.org", roles=["coordinator"])
    client.get(reverse("login"))
    response = client.post(
        reverse("login"),
        {"username": "maria@example.org", "password": "correct horse battery staple"},
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]


def test_passwords_go_through_the_validators(client_for, org):
    user = UserFactory(organization=org, email="maria@example.org", roles=["coordinator"])
    response = client_for(user).post(
        reverse("password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": "password",
            "new_password2": "password",
        },
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("correct horse battery staple")
