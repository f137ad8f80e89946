from django.contrib.auth.decorators import login_not_required
from django.middleware.http import ConditionalGetMiddleware
from django.urls import URLPattern, path
from django.utils.decorators import decorator_from_middleware

from api import views
from api.v1 import api

app_name = "api"

# Every answer carries an ETag; a repeated request with If-None-Match gets 304 and no body.
conditional = decorator_from_middleware(ConditionalGetMiddleware)


def _token_only(patterns):
    """The API's own patterns, open to requests without a session (the token decides)."""
    wrapped = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(conditional(pattern.callback))
        wrapped.append(pattern)
    return wrapped


api_patterns, api_app_name, api_namespace = api.urls

urlpatterns = [
    path("organization/api-tokens/", views.token_list, name="token-list"),
    path("organization/api-tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]

v1_patterns = _token_only(api_patterns)
v1_app_name, v1_namespace = api_app_name, api_namespace
