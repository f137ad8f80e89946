from django.db import models
from django.db.models import Q

from coordinators.models import Organization, User
from coordinators.versioning import Versioned
from signin import presets
from signin.secrets import secret_decrypt, secret_from_environment


class SignInPolicy(Versioned, models.Model):
    """How the people of one organization sign in. Without a row, the defaults hold:
    passwords and password reset allowed, two-factor optional."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="sign_in_policy"
    )
    password_login_allowed = models.BooleanField(
        "Allow email-and-password login",
        default=True,
        help_text="Off: people sign in only with the organization's Google or Microsoft "
        "account. Turn it off only once everyone has signed in that way once.",
    )
    password_reset_allowed = models.BooleanField(
        "Allow password reset by email",
        default=True,
        help_text="Off: a forgotten password can only be replaced by signing in with the "
        "organization's account.",
    )
    two_factor_required_for_staff = models.BooleanField(
        "Require two-factor sign-in for org admins and directors",
        default=False,
        help_text="They set up an authenticator app the next time they sign in.",
    )

    def __str__(self):
        return f"Sign-in of {self.organization}"


class ProviderKind(models.TextChoices):
    GOOGLE = presets.GOOGLE, "Google Workspace"
    ENTRA = presets.ENTRA, "Microsoft Entra ID (Microsoft 365)"
    OTHER = presets.OTHER, "Another OpenID Connect provider"


class IdentityProvider(Versioned, models.Model):
    """One OpenID Connect provider an organization signs in with. Its ``slug`` is the
    provider id in the sign-in URLs (/accounts/oidc/<slug>/login/callback/)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="identity_providers"
    )
    kind = models.CharField(max_length=10, choices=ProviderKind.choices)
    slug = models.SlugField(max_length=60, unique=True, editable=False)
    issuer = models.URLField(
        "Issuer URL",
        max_length=300,
        blank=True,
        help_text="Filled in for Google and Microsoft. Another provider: its issuer, where "
        "/.well-known/openid-configuration is found.",
    )
    client_id = models.CharField("Client ID", max_length=300)
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    allowed_domains = models.CharField(
        "Allowed email domains",
        max_length=1000,
        help_text="One per line, e.g. district.org. Only addresses of these domains sign in "
        "with this provider.",
    )
    tenant_id = models.CharField(
        "Microsoft tenant ID",
        max_length=64,
        blank=True,
        help_text="Microsoft only: your directory (tenant) ID. Only accounts of this tenant "
        "sign in.",
    )
    enabled = models.BooleanField("Offer this sign-in", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind"], name="identity_provider_one_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ProviderKind.values), name="identity_provider_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=presets.ENTRA) | ~Q(tenant_id=""),
                name="identity_provider_entra_has_tenant",
            ),
        ]

    def __str__(self):
        return f"{self.label} sign-in of {self.organization}"

    @property
    def preset(self) -> presets.ProviderPreset:
        return presets.PRESETS[self.kind]

    @property
    def label(self) -> str:
        return self.preset.label

    @property
    def issuer_url(self) -> str:
        if self.issuer:
            return self.issuer
        return self.preset.issuer.format(tenant=self.tenant_id)

    @property
    def domains(self) -> tuple[str, ...]:
        return presets.parse_domains(self.allowed_domains)

    @property
    def secret_source(self) -> str:
        """Where the client secret comes from, in words (never the secret)."""
        if secret_from_environment(self.slug):
            return "environment"
        if self.client_secret_encrypted:
            return "stored"
        return ""

    def client_secret(self) -> str:
        return secret_from_environment(self.slug) or secret_decrypt(self.client_secret_encrypted)


class TwoFactorReset(models.Model):
    """A member's second factor removed by an admin (the member had lost it): who, whom, when."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, related_name="+"
    )
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="two_factor_resets")
    reset_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    reset_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reset_at"]

    def __str__(self):
        return f"Two-factor of {self.member} reset on {self.reset_at:%Y-%m-%d}"
