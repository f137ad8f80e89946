"""Client secrets at rest: encrypted with a key of their own (SIGNIN_SECRETS_KEY) or, without
one, a key derived from SECRET_KEY; a secret in the environment takes precedence and is never
stored."""

import base64
import os

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> Fernet:
    material = (settings.SIGNIN_SECRETS_KEY or settings.SECRET_KEY).encode()
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"growthmatrix-signin-secrets"
    ).derive(material)
    return Fernet(base64.urlsafe_b64encode(key))


def secret_encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def secret_decrypt(stored: str) -> str:
    """The plain secret; empty if nothing is stored or the key changed since it was stored
    (the admin then enters it again)."""
    if not stored:
        return ""
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except InvalidToken:
        return ""


def environment_variable(slug: str) -> str:
    """The environment variable that may hold a provider's secret: SIGNIN_SECRET_<SLUG>."""
    return "SIGNIN_SECRET_" + slug.upper().replace("-", "_")


def secret_from_environment(slug: str) -> str:
    return os.environ.get(environment_variable(slug), "")
