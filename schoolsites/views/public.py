"""The principal signs the agreement through the emailed link, without an account. The page
shows the agreement and a signature form, nothing else of the product."""

from django.shortcuts import render

from coordinators.public_pages import link_not_working, public_token_page
from schoolsites.forms import PrincipalSignatureForm
from schoolsites.selectors import agreement_page
from schoolsites.services import AgreementError, agreement_sign_by_link, signature_link_open


@public_token_page
def agreement_sign_link(request, token):
    link = signature_link_open(token)
    if link is None:
        return link_not_working(request)
    form = PrincipalSignatureForm(
        request.POST if request.method == "POST" else None,
        initial={"name": link.agreement.principal_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            signature = agreement_sign_by_link(link=link, name=form.cleaned_data["name"])
        except AgreementError:
            return link_not_working(request)
        return render(request, "schoolsites/agreement_signed_public.html", {"signature": signature})
    return render(
        request,
        "schoolsites/agreement_sign_public.html",
        {"page": agreement_page(link.agreement), "form": form},
    )
