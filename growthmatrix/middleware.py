"""Response headers every page of a signed-in person carries."""

from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    """Matrices, reviews and coaching notes must not outlive the session in a shared
    browser's or a proxy's cache: every response to a signed-in person says so. Static files
    never reach this (WhiteNoise answers them first) and keep their long cache lifetime."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
