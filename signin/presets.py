"""What an org admin would otherwise have to look up: the issuer, scopes and claims of the
identity providers schools use. Pure data, no Django."""

from dataclasses import dataclass

GOOGLE = "google"
ENTRA = "entra"
OTHER = "oidc"


@dataclass(frozen=True)
class ProviderPreset:
    kind: str
    label: str
    # The issuer URL; "{tenant}" is filled with the organization's Entra tenant.
    issuer: str
    scopes: tuple[str, ...]
    # The claim(s) that name a person for good: Google's ``sub``; Entra's object id within its
    # tenant (``sub`` there is per application, and ``oid`` alone is per tenant).
    uid_claims: tuple[str, ...]
    # Whether the user-info endpoint is asked (Entra's lacks ``oid`` and ``tid``; the ID token
    # has them).
    fetch_userinfo: bool
    # Whether the provider marks its email claim as verified (Entra never does).
    email_verified_claim: bool


PRESETS = {
    GOOGLE: ProviderPreset(
        kind=GOOGLE,
        label="Google",
        issuer="https://accounts.google.com",
        scopes=("openid", "email", "profile"),
        uid_claims=("sub",),
        fetch_userinfo=True,
        email_verified_claim=True,
    ),
    ENTRA: ProviderPreset(
        kind=ENTRA,
        label="Microsoft",
        issuer="https://login.microsoftonline.com/{tenant}/v2.0",
        scopes=("openid", "email", "profile"),
        uid_claims=("tid", "oid"),
        fetch_userinfo=False,
        email_verified_claim=False,
    ),
    OTHER: ProviderPreset(
        kind=OTHER,
        label="your organization's account",
        issuer="",
        scopes=("openid", "email", "profile"),
        uid_claims=("sub",),
        fetch_userinfo=True,
        email_verified_claim=True,
    ),
}


def email_domain(address: str) -> str:
    """The part after the last @, lower-cased; empty for something that is not an address."""
    _, at, domain = address.strip().rpartition("@")
    return domain.lower().strip(".") if at and domain else ""


def parse_domains(text: str) -> tuple[str, ...]:
    """Domains typed one per line or separated by commas or spaces, lower-cased, each once,
    with any leading "@" dropped."""
    seen = []
    for part in text.replace(",", " ").split():
        domain = part.strip().lstrip("@").lower().strip(".")
        if domain and domain not in seen:
            seen.append(domain)
    return tuple(seen)


def stable_subject(claims: dict, uid_claims: tuple[str, ...]) -> str:
    """The provider's lasting name for a person: ``sub``, or for Entra ``tid:oid``. Raises
    KeyError when a claim is missing, so that nobody is matched on an empty subject."""
    parts = [str(claims[name]) for name in uid_claims]
    if not all(parts):
        raise KeyError(uid_claims)
    return ":".join(parts)
