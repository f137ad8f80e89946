"""How the access table and the hostile-input tests reach the roof's URL names: the landing
redirect, the health check, the favicon, Django's account views and each person's landing
page."""

from tests.access_world import PASSWORD, UrlCase, no_fields


def _login(world, actor, client) -> dict:
    return {"username": world.users["self"].email, "password": PASSWORD}


def _password_change(world, actor, client) -> dict:
    return {
        "old_password": PASSWORD,
        "new_password1": "a brand new passphrase 4417",
        "new_password2": "a brand new passphrase 4417",
    }


CASES = [
    UrlCase("home"),
    UrlCase("healthz"),
    UrlCase("favicon"),
    # Accounts (Django's own views).
    UrlCase("login", post=_login, texts=("username", "password")),
    UrlCase("logout", post=no_fields),
    UrlCase(
        "password_change",
        post=_password_change,
        texts=("old_password", "new_password1", "new_password2"),
    ),
    UrlCase("password_change_done"),
    UrlCase(
        "password_reset",
        post=lambda world, actor, client: {"email": world.users["self"].email},
        texts=("email",),
    ),
    UrlCase("password_reset_done"),
    UrlCase(
        "password_reset_confirm",
        kwargs=lambda world: {"uidb64": world.reset_uid, "token": world.reset_token},
    ),
    UrlCase("password_reset_complete"),
    # Each person's landing page.
    UrlCase("pages:my-growth"),
    UrlCase("pages:my-team"),
    UrlCase("pages:organization"),
    UrlCase("pages:no-role"),
]
