"""The org admin's sign-in settings, one provider's form, and the email asked on the login
page to find the organization's sign-in."""

import re

from django import forms
from django.db import transaction

from coordinators.form_helpers import CountedTextarea, VersionedFormMixin
from coordinators.versioning import versioned_save
from signin import presets
from signin.models import IdentityProvider, ProviderKind, SignInPolicy
from signin.secrets import environment_variable, secret_encrypt

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# A directory (tenant) ID is a GUID; Microsoft also accepts the tenant's primary domain.
TENANT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class SignInPolicyForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = SignInPolicy
        fields = [
            "password_login_allowed",
            "password_reset_allowed",
            "two_factor_required_for_staff",
        ]

    def __init__(self, *args, offers_provider: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.offers_provider = offers_provider

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password_login_allowed") is False and not self.offers_provider:
            self.add_error(
                "password_login_allowed",
                "Add and turn on a Google or Microsoft sign-in first: without one and without "
                "passwords, nobody could sign in.",
            )
        return cleaned


class IdentityProviderForm(VersionedFormMixin, forms.ModelForm):
    issuer = forms.URLField(
        label="Issuer URL",
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text=IdentityProvider._meta.get_field("issuer").help_text,
    )
    client_secret = forms.CharField(
        label="Client secret",
        required=False,
        max_length=500,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = IdentityProvider
        fields = ["issuer", "client_id", "client_secret", "allowed_domains", "tenant_id", "enabled"]
        widgets = {"allowed_domains": CountedTextarea(attrs={"rows": 3})}

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != presets.ENTRA:
            del self.fields["tenant_id"]
        if kind != presets.OTHER:
            del self.fields["issuer"]
        else:
            self.fields["issuer"].required = True
        stored = self.instance.pk is not None and self.instance.secret_source
        if stored == "environment":
            self.fields["client_secret"].help_text = (
                f"Read from the environment ({self.instance.slug and self.environment_name()}); "
                "anything typed here is ignored while it is set."
            )
        elif stored:
            self.fields["client_secret"].help_text = (
                "A secret is stored (encrypted; never shown). Leave empty to keep it, or type "
                "a new one to replace it."
            )
        else:
            self.fields["client_secret"].help_text = (
                "Stored encrypted and never shown again. Or leave empty and set it in the "
                "server's environment (the variable is named on this page once saved)."
            )

    def environment_name(self) -> str:
        return environment_variable(self.instance.slug)

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("client_secret")
            and self.instance.pk is None
            and "client_secret" not in self.errors
        ):
            self.add_error(
                "client_secret",
                "Paste the client secret from the provider's console. (To keep it in the "
                "server's environment instead, type a placeholder now and set the variable "
                "this page names once saved.)",
            )
        return cleaned

    def save(self, commit=True):
        """The form's fields and, when one was typed, the new secret encrypted; an existing
        row only if it is still at the version the form was read at."""
        secret = self.cleaned_data.get("client_secret")
        if secret:
            self.instance.client_secret_encrypted = secret_encrypt(secret)
        if not self.edits_saved_row:
            return super().save(commit=commit)
        columns = {f.name for f in self.instance._meta.concrete_fields}
        fields = [name for name in self.fields if name in columns]
        with transaction.atomic():
            versioned_save(
                self.instance,
                fields=[*fields, "client_secret_encrypted"],
                expected=self.expected_version,
            )
        return self.instance

    def clean_allowed_domains(self):
        domains = presets.parse_domains(self.cleaned_data["allowed_domains"])
        if not domains:
            raise forms.ValidationError("Name at least one email domain, such as district.org.")
        wrong = [domain for domain in domains if not DOMAIN.match(domain)]
        if wrong:
            raise forms.ValidationError(f"Not an email domain: {', '.join(wrong)}.")
        organization_id = self.instance.organization_id
        claimed = set()
        for other in IdentityProvider.objects.exclude(organization_id=organization_id).only(
            "allowed_domains"
        ):
            claimed.update(set(other.domains) & set(domains))
        if claimed:
            raise forms.ValidationError(
                f"Another organization signs in with {', '.join(sorted(claimed))}."
            )
        return "\n".join(domains)

    def clean_tenant_id(self):
        tenant = self.cleaned_data["tenant_id"].strip().lower()
        if not tenant:
            raise forms.ValidationError(
                "Microsoft's email addresses are not verified: name your tenant, so that only "
                "accounts of your own directory sign in."
            )
        if not TENANT.match(tenant):
            raise forms.ValidationError(
                "A directory (tenant) ID looks like 72f988bf-86f1-41af-91ab-2d7cd011db47 "
                "(Entra admin center, Overview)."
            )
        return tenant


def provider_kind(value: str) -> str:
    return value if value in ProviderKind.values else ""


class SignInLookupForm(forms.Form):
    email = forms.EmailField(label="Work email address", max_length=254)
