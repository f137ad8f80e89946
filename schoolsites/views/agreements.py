"""A school's principal contact and its partnership agreements: drafting, editing, sharing
for signature, signing in the product, the reviews and the one-page print."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from coordinators.change_history import changes_shown
from coordinators.form_helpers import StaleEditMixin
from coordinators.models import School
from schoolsites.access import (
    can_direct_school,
    can_edit_agreement,
    coordinators_choosable_for,
    get_agreement_for_user,
    get_school_to_direct,
    signatory_role_of,
)
from schoolsites.forms import AgreementForm, AgreementReviewForm, PrincipalContactForm
from schoolsites.models import PartnershipAgreement, PrincipalContact
from schoolsites.selectors import agreement_changes, agreement_page, principal_contact_changes
from schoolsites.services import (
    AgreementError,
    GoalInput,
    agreement_create,
    agreement_review_save,
    agreement_share,
    agreement_sign,
    agreement_start_values,
    agreement_update,
    principal_contact_save,
)


def _plausible_year(year: int) -> int:
    if not 1990 <= year <= 2200:
        raise Http404("No such school year.")
    return year


def school_page_url(school: School) -> str:
    return reverse("dashboards:school-detail", args=[school.pk])


# The principal contact --------------------------------------------------------------------


class PrincipalContactView(StaleEditMixin, FormView):
    """The school's principal for one school year: made here the first time, edited after."""

    form_class = PrincipalContactForm
    template_name = "schoolsites/principal_contact_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.school = get_school_to_direct(request, kwargs["pk"])
        self.year = self.school.organization.school_year(_plausible_year(kwargs["year"]))
        self.object = PrincipalContact.objects.filter(
            school=self.school, school_year=self.year.start_year
        ).first()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        instance = self.object or PrincipalContact(
            school=self.school, school_year=self.year.start_year
        )
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            school=self.school,
            school_year=self.year,
            contact=self.object,
            history=principal_contact_changes(
                contact=self.object, latest=changes_shown(self.request)
            ),
            cancel_url=school_page_url(self.school),
            **kwargs,
        )

    def form_valid(self, form):
        principal_contact_save(
            school=self.school,
            school_year=self.year.start_year,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            expected_version=form.expected_version if form.edits_saved_row else None,
        )
        messages.success(self.request, f"Principal for {self.year.label} saved.")
        return redirect(school_page_url(self.school))


# Drafting and editing ---------------------------------------------------------------------


class AgreementCreateView(FormView):
    """A new agreement for the school year, starting from a copy of the last one."""

    form_class = AgreementForm
    template_name = "schoolsites/agreement_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.school = get_school_to_direct(request, kwargs["pk"])
        self.year = self.school.organization.school_year(_plausible_year(kwargs["year"]))
        existing = PartnershipAgreement.objects.filter(
            school=self.school, school_year=self.year.start_year
        ).first()
        if existing is not None:
            messages.info(request, f"{self.school} already has an agreement for {self.year}.")
            return redirect("schoolsites:agreement-detail", existing.pk)
        self.start_values, self.start_goals = agreement_start_values(
            school=self.school, school_year=self.year.start_year
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return dict(self.start_values)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "goals": self.start_goals,
            "coordinators": coordinators_choosable_for(self.request.user, self.school),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            school=self.school,
            school_year=self.year,
            copied=bool(self.start_goals or self.start_values.get("role_covers")),
            cancel_url=school_page_url(self.school),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            agreement = agreement_create(
                school=self.school,
                school_year=self.year.start_year,
                actor=self.request.user,
                fields=form.terms(),
                goals=form.goals(),
                coordinator=form.chosen_coordinator(),
            )
        except AgreementError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Draft agreement saved.")
        return redirect("schoolsites:agreement-detail", agreement.pk)


class AgreementUpdateView(StaleEditMixin, FormView):
    form_class = AgreementForm
    template_name = "schoolsites/agreement_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = get_agreement_for_user(request, kwargs["pk"], edit=True)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        stored = PartnershipAgreement.objects.select_related("school").get(pk=self.object.pk)
        goals = [GoalInput(g.outcome, g.measure, g.target) for g in stored.goals.all()]
        kwargs = {**super().get_form_kwargs(), "instance": stored, "goals": goals}
        if can_direct_school(self.request.user, stored.school):  # the coordinator may not
            kwargs["coordinators"] = coordinators_choosable_for(
                self.request.user, stored.school, keeping=stored.coordinator_id
            )
        return kwargs

    def get_context_data(self, **kwargs):
        agreement = self.object
        return super().get_context_data(
            agreement=agreement,
            school=agreement.school,
            school_year=agreement.school.organization.school_year(agreement.school_year),
            cancel_url=reverse("schoolsites:agreement-detail", args=[agreement.pk]),
            **kwargs,
        )

    def form_valid(self, form):
        chosen = {"coordinator": form.chosen_coordinator()} if form.chooses_coordinator else {}
        try:
            back_to_draft = agreement_update(
                agreement=self.object,
                expected_version=form.expected_version,
                fields=form.terms(),
                goals=form.goals(),
                **chosen,
            )
        except AgreementError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if back_to_draft:
            messages.warning(
                self.request,
                "The terms changed after the agreement was shared, so it is a draft again: "
                "share it once more for new signatures.",
            )
        else:
            messages.success(self.request, "Agreement saved.")
        return redirect("schoolsites:agreement-detail", self.object.pk)


class AgreementReviewView(StaleEditMixin, FormView):
    """The mid-year note and the end-of-year review of each goal."""

    form_class = AgreementReviewForm
    template_name = "schoolsites/agreement_review.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = get_agreement_for_user(request, kwargs["pk"], edit=True)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        stored = PartnershipAgreement.objects.select_related("school").get(pk=self.object.pk)
        return {**super().get_form_kwargs(), "agreement": stored}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            agreement=self.object,
            cancel_url=reverse("schoolsites:agreement-detail", args=[self.object.pk]),
            **kwargs,
        )

    def form_valid(self, form):
        agreement_review_save(
            agreement=self.object,
            expected_version=form.expected_version,
            mid_year_note=form.cleaned_data["mid_year_note"],
            results=form.results(),
        )
        messages.success(self.request, "Review saved.")
        return redirect("schoolsites:agreement-detail", self.object.pk)


# Reading, sharing, signing -----------------------------------------------------------------


def agreement_detail(request, pk):
    agreement = get_agreement_for_user(request, pk)
    return render(
        request,
        "schoolsites/agreement_detail.html",
        {
            "page": agreement_page(agreement),
            "can_edit": can_edit_agreement(request.user, agreement),
            "can_share": can_direct_school(request.user, agreement.school),
            "my_signatory": signatory_role_of(request.user, agreement),
            "history": agreement_changes(agreement=agreement, latest=changes_shown(request)),
            "now": timezone.now(),
        },
    )


def agreement_print(request, pk):
    """The agreement on one printed page: its terms, goals and signatures."""
    agreement = get_agreement_for_user(request, pk)
    return render(request, "schoolsites/agreement_print.html", {"page": agreement_page(agreement)})


@require_POST
def agreement_share_view(request, pk):
    agreement = get_agreement_for_user(request, pk, direct=True)
    try:
        agreement_share(agreement=agreement, actor=request.user)
    except AgreementError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Shared for signature: a link went to {agreement.principal_email}."
        )
    return redirect("schoolsites:agreement-detail", agreement.pk)


@require_POST
def agreement_sign_view(request, pk):
    """The coordinator or the director signs the agreement's present text."""
    agreement = get_agreement_for_user(request, pk)
    role = signatory_role_of(request.user, agreement)
    if role is None:
        raise PermissionDenied("You are not a signatory of this agreement.")
    try:
        agreement_sign(
            agreement=agreement,
            role=role,
            name=request.user.display_name,
            email=request.user.email,
            user=request.user,
        )
    except AgreementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Signed.")
    return redirect("schoolsites:agreement-detail", agreement.pk)
