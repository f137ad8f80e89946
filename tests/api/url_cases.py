"""How the access table and the hostile-input tests reach the API tokens page and the read
API (with a session and no token, every API answer is 401: the token decides)."""

from tests.access_world import UrlCase, no_fields


def _token(world):
    return {"pk": world.mine.api_token.pk}


CASES = [
    UrlCase(
        "api:token-list",
        post=lambda world, actor, client: {"name": "Nightly sync"},
        texts=("name",),
    ),
    UrlCase("api:token-revoke", kwargs=_token, post=no_fields),
    UrlCase("api-v1:openapi-json"),
    UrlCase("api-v1:schools"),
    UrlCase("api-v1:teams"),
    UrlCase("api-v1:people"),
    UrlCase("api-v1:cycles"),
    UrlCase("api-v1:assessments"),
    UrlCase("api-v1:flags"),
    UrlCase("api-v1:changes"),
    UrlCase("api-v1:report", kwargs=lambda world: {"slug": "impact"}),
    UrlCase("api-v1:openapi-view"),
    UrlCase("api-v1:api-root"),
]
