"""Deployment checks of this product's own settings (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache_for_rate_limits(app_configs, **kwargs):
    """Rate limits count in the default cache: without Redis each server counts alone, so
    two servers let through twice the rate and a restart forgets every counter."""
    if settings.DEBUG or getattr(settings, "REDIS_URL", None):
        return []
    return [
        checks.Warning(
            "REDIS_URL is not set: rate limits and sessions are counted per server process.",
            hint="Set REDIS_URL to the Redis every application server shares.",
            id="growthmatrix.W001",
        )
    ]
