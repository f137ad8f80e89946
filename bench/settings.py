"""The benchmark's settings: production settings (DEBUG off, cached templates) with plain
static file names, since the benchmark does not run collectstatic."""

from growthmatrix.settings import *  # noqa: E402,F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No collected files to serve (whitenoise would warn that the directory is missing).
STATIC_ROOT = None
