"""Test configuration: production settings (DEBUG off) with test speed-ups."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-the-checks-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Export files of a test run go to a directory of its own, never the project's.
os.environ.setdefault("PRIVATE_FILES_ROOT", tempfile.mkdtemp(prefix="growthmatrix-test-files-"))

from growthmatrix.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SITE_URL = "http://testserver"
# Tests serve static files from the finders, as in development (no collectstatic step).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# One test client stands for many people here: limits are tested on their own
# (tests/growthmatrix/test_rate_limits.py) with tight rates.
RATE_LIMITS = dict.fromkeys(RATE_LIMITS, "10000/m")  # noqa: F405
