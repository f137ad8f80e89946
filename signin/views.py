"""The org admin's sign-in page and provider forms, the reset of a member's lost second factor,
and the login page's look-up of an email's organization sign-in."""

import copy
from urllib.parse import urlsplit

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import CreateView, UpdateView, View

from coordinators.access import RoleRequiredMixin, check_role
from coordinators.form_helpers import StaleEditMixin
from coordinators.models import Role, User
from coordinators.ratelimits import RateLimited, client_address, rate_check, too_many
from coordinators.redirects import next_path
from signin import presets, services
from signin.access import (
    get_member_for_reset,
    get_provider_for_user,
    may_reset_two_factor,
    password_login_allowed,
    policy_of,
)
from signin.forms import IdentityProviderForm, SignInLookupForm, SignInPolicyForm
from signin.models import IdentityProvider, ProviderKind, SignInPolicy
from signin.secrets import environment_variable

MEMBERS_PER_PAGE = 25


class SignInSettingsView(RoleRequiredMixin, StaleEditMixin, UpdateView):
    required_roles = (Role.ADMIN,)
    form_class = SignInPolicyForm
    template_name = "signin/settings.html"
    context_object_name = "policy"

    def get_object(self, queryset=None):
        policy, _ = SignInPolicy.objects.get_or_create(
            organization_id=self.request.user.organization_id
        )
        return policy

    def providers(self):
        return list(
            IdentityProvider.objects.filter(organization_id=self.request.user.organization_id)
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = copy.copy(kwargs["instance"])
        kwargs["offers_provider"] = any(p.enabled for p in self.providers())
        return kwargs

    def get_context_data(self, **kwargs):
        providers = self.providers()
        configured = {p.kind for p in providers}
        enrolled = (
            User.objects.filter(
                organization_id=self.request.user.organization_id,
                pk__in=Authenticator.objects.values("user_id"),
            )
            .prefetch_related("memberships")
            .order_by("last_name", "first_name", "email")
        )
        page = Paginator(enrolled, MEMBERS_PER_PAGE).get_page(self.request.GET.get("page"))
        for member in page:
            member.resettable = may_reset_two_factor(self.request.user, member)
        return super().get_context_data(
            providers=providers,
            kinds_to_add=[kind for kind in ProviderKind if kind.value not in configured],
            enrolled_page=page,
            callback_example=self.request.build_absolute_uri("/accounts/oidc/"),
            **kwargs,
        )

    def form_valid(self, form):
        form.save()
        messages.success(self.request, "Sign-in settings saved.")
        return redirect("signin:settings")


class ProviderFormMixin(RoleRequiredMixin):
    required_roles = (Role.ADMIN,)
    form_class = IdentityProviderForm
    template_name = "signin/provider_form.html"
    context_object_name = "provider"

    def kind(self) -> str:
        raise NotImplementedError

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "kind": self.kind()}
        if kwargs.get("instance") is not None:
            kwargs["instance"] = copy.copy(kwargs["instance"])
        return kwargs

    def get_context_data(self, **kwargs):
        provider = getattr(self, "object", None)
        slug = provider.slug if provider is not None else ""
        return super().get_context_data(
            kind=self.kind(),
            kind_label=ProviderKind(self.kind()).label,
            preset=presets.PRESETS[self.kind()],
            redirect_uri=(
                self.request.build_absolute_uri(
                    reverse("openid_connect_callback", kwargs={"provider_id": slug})
                )
                if slug
                else ""
            ),
            environment_name=environment_variable(slug) if slug else "",
            **kwargs,
        )

    def form_valid(self, form):
        provider = form.instance
        if provider.pk is None:
            provider.organization = self.request.user.organization
            provider.kind = self.kind()
            provider.slug = services.provider_slug(
                organization=self.request.user.organization, kind=self.kind()
            )
        try:
            with transaction.atomic():
                saved = form.save()
        except IntegrityError:
            form.add_error(None, "Your organization already has this kind of sign-in.")
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{saved.label} sign-in saved. Register the redirect URI shown on this page with "
            "the provider, then try it from the login page.",
        )
        return redirect("signin:provider-update", pk=saved.pk)


class ProviderCreateView(ProviderFormMixin, CreateView):
    def kind(self) -> str:
        if self.kwargs["kind"] not in ProviderKind.values:
            raise Http404("No such kind of sign-in.")
        return self.kwargs["kind"]

    def get(self, request, *args, **kwargs):
        existing = IdentityProvider.objects.filter(
            organization_id=request.user.organization_id, kind=self.kind()
        ).first()
        if existing is not None:
            return redirect("signin:provider-update", pk=existing.pk)
        return super().get(request, *args, **kwargs)


class ProviderUpdateView(StaleEditMixin, ProviderFormMixin, UpdateView):
    def get_object(self, queryset=None):
        return get_provider_for_user(self.request, self.kwargs["pk"])

    def kind(self) -> str:
        if not hasattr(self, "object") or self.object is None:
            self.object = self.get_object()
        return self.object.kind


@require_http_methods(["GET", "POST"])
def provider_delete(request, pk):
    """A confirmation page, then the provider's configuration deleted with the accounts linked
    through it. Refused while it is the only way in (password login turned off and no other
    provider offered)."""
    check_role(request.user, Role.ADMIN)
    provider = get_provider_for_user(request, pk)
    linked = SocialAccount.objects.filter(provider=provider.slug).count()
    policy = policy_of(request.user.organization_id)
    others = IdentityProvider.objects.filter(
        organization_id=provider.organization_id, enabled=True
    ).exclude(pk=provider.pk)
    only_way_in = policy is not None and not policy.password_login_allowed and not others.exists()
    if request.method == "POST" and not only_way_in:
        services.provider_delete(provider=provider)
        messages.success(
            request,
            f"{provider.label} sign-in deleted; {linked} linked account"
            f"{'' if linked == 1 else 's'} removed with it.",
        )
        return redirect("signin:settings")
    return render(
        request,
        "signin/provider_delete_confirm.html",
        {"provider": provider, "linked": linked, "only_way_in": only_way_in},
        status=409 if request.method == "POST" else 200,
    )


@require_GET
def linked_accounts(request):
    """The person's own page of their organization's sign-ins: link one (needed where the
    provider does not vouch for the email address, as Microsoft Entra) or unlink it."""
    providers = list(
        IdentityProvider.objects.filter(
            organization_id=request.user.organization_id, enabled=True
        ).order_by("kind")
    )
    linked = set(SocialAccount.objects.filter(user=request.user).values_list("provider", flat=True))
    response = render(
        request,
        "signin/linked_accounts.html",
        {
            "rows": [(provider, provider.slug in linked) for provider in providers],
            "may_unlink": password_login_allowed(request.user),
        },
    )
    if providers:
        # The Link buttons lead on to the providers' sign-in pages.
        response._csp_update = {"form-action": sorted({origin_of(p.issuer_url) for p in providers})}
    return response


@require_http_methods(["GET", "POST"])
def sign_in_unlink(request, pk):
    """A confirmation page, then the person's account of this provider unlinked. Not while
    password login is turned off: it would be their only way in."""
    provider = get_provider_for_user(request, pk)
    if not password_login_allowed(request.user):
        raise PermissionDenied(
            "Your organization signs in only with its own accounts: unlinking would lock you out."
        )
    if request.method == "POST":
        if services.sign_in_link_remove(user=request.user, provider=provider):
            messages.success(request, f"Your {provider.label} account is no longer linked.")
        else:
            messages.info(request, f"No {provider.label} account was linked.")
        return redirect("signin:linked-accounts")
    return render(request, "signin/unlink_confirm.html", {"provider": provider})


@require_http_methods(["GET", "POST"])
def two_factor_reset(request, pk):
    """A confirmation page, then the reset: the member's authenticator app and recovery codes
    removed, recorded, and the member told by email."""
    if not request.user.is_superuser:
        check_role(request.user, Role.ADMIN)
    member = get_member_for_reset(request, pk)
    if not may_reset_two_factor(request.user, member):
        raise PermissionDenied("Only a superuser resets an org admin's two-factor sign-in.")
    has_factor = Authenticator.objects.filter(user=member).exists()
    if request.method == "POST":
        if has_factor:
            services.two_factor_reset(member=member, actor=request.user)
            messages.success(
                request,
                f"Two-factor sign-in of {member.display_name} reset; they were told by email.",
            )
        else:
            messages.info(request, f"{member.display_name} has no two-factor sign-in set up.")
        back = reverse("signin:settings") if request.user.organization_id else reverse("home")
        return redirect(next_path(request) or back)
    return render(
        request,
        "signin/two_factor_reset_confirm.html",
        {"member": member, "has_factor": has_factor},
    )


LOOKUPS_TOO_MANY = (
    "Too many look-ups from this network recently. Log in with your email and password, or "
    "try again later."
)


@method_decorator(never_cache, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class SignInLookupView(View):
    """Type your work email; your organization's Google or Microsoft sign-in appears. Only an
    organization that signs in with the address's domain is named."""

    def get(self, request):
        context = {"form": SignInLookupForm(), "next": next_path(request)}
        return render(request, "signin/lookup.html", context)

    def post(self, request):
        form = SignInLookupForm(request.POST)
        context = {"form": form, "next": next_path(request), "looked_up": False}
        if form.is_valid():
            try:
                rate_check(
                    request, limit="signin-lookup", key=client_address, message=LOOKUPS_TOO_MANY
                )
            except RateLimited as refusal:
                return too_many(request, refusal)
            domain = presets.email_domain(form.cleaned_data["email"])
            context["looked_up"] = True
            context["domain"] = domain
            context["providers"] = [
                provider
                for provider in IdentityProvider.objects.filter(enabled=True).select_related(
                    "organization"
                )
                if domain in provider.domains
            ]
        response = render(request, "signin/lookup.html", context)
        if context.get("providers"):
            # The buttons' forms lead on to the providers' sign-in pages: the page's
            # Content-Security-Policy lets its forms go there, and nowhere else.
            response._csp_update = {
                "form-action": sorted({origin_of(p.issuer_url) for p in context["providers"]})
            }
        return response


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
