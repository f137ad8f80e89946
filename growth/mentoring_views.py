"""The mentoring programme: who needs a mentor, the suggested mentors, confirming and ending a
match, offering to mentor. Every view checks role and organization on the server."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import UpdateView

from coordinators.access import (
    RoleRequiredMixin,
    check_role,
    profiles_directed_by,
    role_required,
    user_roles,
)
from coordinators.form_helpers import StaleEditMixin, int_or_none
from coordinators.models import Role
from coordinators.redirects import redirect_to_next
from growth.access import get_growth_profile_for_user, get_match_for_user
from growth.check_in_forms import MatchForm, ProgrammeForm
from growth.mentoring_selectors import mentor_suggestions, need_reasons, needing_a_mentor
from growth.mentoring_services import (
    active_matches,
    match_create,
    match_end,
    mentor_need_set,
    mentor_offer_set,
    programme_of,
)
from growth.models import MentorOffer
from growth.services import GrowthError

PER_PAGE = 25


@role_required(Role.DIRECTOR, Role.ADMIN)
def mentoring_overview(request):
    """Who needs a mentor (in the user's reach) and the matches now active."""
    user = request.user
    today = timezone.localdate()
    programme = programme_of(user.organization_id)
    reach = profiles_directed_by(user)
    needing = Paginator(needing_a_mentor(reach, today), PER_PAGE).get_page(request.GET.get("page"))
    rows = [(profile, need_reasons(profile, today)) for profile in needing.object_list]
    matches = (
        active_matches(today)
        .filter(mentee__in=reach.values("pk"))
        .select_related("mentor", "mentee__user")
        .order_by("mentee__user__last_name", "mentee__user__first_name", "pk")
    )
    match_page = Paginator(matches, PER_PAGE).get_page(request.GET.get("matches"))
    return render(
        request,
        "growth/mentoring.html",
        {
            "programme": programme,
            "stages": list(programme.mentor_stages.order_by("order")),
            "offers": MentorOffer.objects.filter(
                user__organization_id=user.organization_id
            ).count(),
            "rows": rows,
            "page_obj": needing,
            "matches": match_page,
            "is_admin": Role.ADMIN in user_roles(user),
        },
    )


class ProgrammeUpdateView(StaleEditMixin, RoleRequiredMixin, UpdateView):
    required_roles = (Role.ADMIN,)
    form_class = ProgrammeForm
    template_name = "growth/programme_form.html"
    context_object_name = "programme"

    def get_object(self, queryset=None):
        return programme_of(self.request.user.organization_id)

    def get_success_url(self):
        return reverse("growth:mentoring")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Mentoring programme saved.")
        return response


def mentor_suggestions_view(request, pk):
    """The mentors suggested for one coordinator, each with its score and reasons, and the
    form that confirms one."""
    profile = get_growth_profile_for_user(request, pk, direct=True)
    page = mentor_suggestions(profile=profile, programme=programme_of(profile.organization_id))
    today = timezone.localdate()
    form = MatchForm(
        profile=profile,
        initial={"starts_on": today, "ends_on": page.programme.ends_on},
    )
    return render(
        request,
        "growth/mentor_suggestions.html",
        {"profile": profile, "page": page, "form": form},
    )


@require_POST
def match_create_view(request, pk):
    profile = get_growth_profile_for_user(request, pk, direct=True)
    back = reverse("growth:mentor-suggestions", args=[profile.pk])
    form = MatchForm(request.POST, profile=profile)
    if not form.is_valid():
        errors = " ".join(e for es in form.errors.values() for e in es)
        messages.error(request, f"Nothing confirmed: {errors}")
        return redirect(back)
    data = form.cleaned_data
    mentor = data["mentor"]
    try:
        match_create(
            mentee=profile,
            mentor=mentor,
            actor=request.user,
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            goals=data.get("goals") or [],
            notes=data.get("notes") or "",
        )
    except GrowthError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(
        request, f"{mentor.display_name} now mentors {profile}; both have been emailed."
    )
    return redirect("growth:mentoring")


@require_POST
def match_end_view(request, pk):
    match = get_match_for_user(request, pk)
    try:
        match_end(match=match, ends_on=timezone.localdate(), actor=request.user)
    except GrowthError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The mentoring of {match.mentee} by {match.mentor} ended today.")
    return redirect_to_next(request, reverse("growth:mentoring"))


@require_POST
def mentor_need_view(request, pk):
    profile = get_growth_profile_for_user(request, pk, direct=True)
    needed = request.POST.get("needed") == "1"
    mentor_need_set(profile=profile, needed=needed, actor=request.user)
    if needed:
        messages.success(request, f"{profile} is on the list of people who need a mentor.")
    else:
        messages.success(request, f"{profile} is no longer marked as needing a mentor.")
    return redirect_to_next(request, reverse("growth:profile-growth", args=[profile.pk]))


@require_POST
def mentor_offer_view(request):
    check_role(request.user, *Role.values)
    willing = int_or_none(request.POST.get("willing", "")) == 1
    mentor_offer_set(user=request.user, willing=willing)
    if willing:
        messages.success(request, "Thank you: you are now offered as a mentor.")
    else:
        messages.success(request, "You are no longer offered as a mentor.")
    return redirect("growth:mentee-list")
