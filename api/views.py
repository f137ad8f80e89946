"""The org admin's API tokens: create (shown once), list with their last use, revoke."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from api.forms import ApiTokenForm
from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from coordinators.access import role_required
from coordinators.models import Role

NEW_TOKEN = "api_new_token"


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created, raw = api_token_create(
            organization=request.user.organization,
            actor=request.user,
            name=form.cleaned_data["name"],
        )
        # Shown on the next page only (a reload neither shows it again nor makes another).
        request.session[NEW_TOKEN] = {"id": created.pk, "raw": raw}
        return redirect("api:token-list")
    shown = request.session.pop(NEW_TOKEN, None) if request.method == "GET" else None
    created = raw = None
    if shown:
        created = ApiToken.objects.filter(pk=shown["id"]).first()
        raw = shown["raw"] if created else None
    tokens = ApiToken.objects.filter(organization_id=request.user.organization_id)
    page = Paginator(tokens, 25).get_page(request.GET.get("page"))
    response = render(
        request,
        "api/token_list.html",
        {"form": form, "page_obj": page, "created": created, "raw_token": raw},
    )
    return response


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    try:
        token = ApiToken.objects.get(pk=pk, organization_id=request.user.organization_id)
    except ApiToken.DoesNotExist as exc:
        raise Http404("No such API token.") from exc
    if request.method == "POST":
        if api_token_revoke(token=token):
            messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
        else:
            messages.info(request, f"Token “{token.name}” was already revoked.")
        return redirect("api:token-list")
    return render(request, "api/token_revoke_confirm.html", {"token": token})
