"""Links that work without an account (a principal's feedback, a principal's signature).

A token is 32 random bytes (256 bits) in URL-safe base64; only its SHA-256 digest is stored,
so a copy of the database opens nothing. Looking a token up by its digest is an index
search on a value an attacker cannot steer towards a stored one, and the final comparison is
in constant time. Pages opened with a token share one way to answer: the same page for a
wrong, expired or revoked token (no hint whether it existed), no referrer, nothing cached,
and a rate limit per client address (``RATE_LIMITS["public-token"]``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

TOKEN_BYTES = 32
DIGEST_LENGTH = 64  # hex SHA-256
_ALPHABET = frozenset(string.ascii_letters + string.digits + "-_")


def digest(raw: str) -> str:
    # UTF-8 is str.encode's own; a lone surrogate in a pasted link is hashed, not an error.
    return hashlib.sha256(raw.encode(errors="surrogatepass")).hexdigest()


def mint() -> tuple[str, str]:
    """A new token: (the text for the link, the digest to store)."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)  # pragma: no mutate (the library's default is 32 too)
    return raw, digest(raw)


def matches(raw: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(raw), stored_digest)


def plausible(raw: str) -> bool:
    """Whether ``raw`` could be a token at all (length and alphabet), checked before any
    query so that junk never reaches the database."""
    return 20 <= len(raw) <= 100 and _ALPHABET.issuperset(raw)


def no_trace(response):
    """Headers for every page opened with a token: the link never leaks through a
    ``Referer`` to another site, and neither the browser nor a proxy keeps a copy."""
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response
