"""Check-ins between the cycles, team cadences and the organization's coaching actions. Every
view checks role and organization on the server (growth/access.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from coordinators.access import get_team_for_user, role_required
from coordinators.change_history import changes_shown
from coordinators.form_helpers import StaleEditMixin
from coordinators.models import Role, Team
from coordinators.redirects import next_path
from growth.access import (
    can_edit_growth,
    can_log_check_in,
    can_read_private_notes,
    get_check_in_for_user,
    get_growth_profile_for_user,
)
from growth.check_in_forms import CadenceForm, CheckInForm, CoachingActionsForm
from growth.check_in_services import (
    cadence_set,
    check_in_create,
    check_in_update,
    coaching_actions_set,
)
from growth.models import CheckIn, CheckInCadence, CheckInGoal, CoachingAction
from growth.selectors import check_in_changes
from growth.services import GrowthError

CHECK_INS_PER_PAGE = 20


def _check_ins_read(queryset):
    """Check-ins with everything their card shows, in a fixed number of queries."""
    return queryset.select_related("author").prefetch_related(
        "coaching_actions",
        "next_step_items",
        Prefetch("goal_notes", queryset=CheckInGoal.objects.select_related("goal")),
    )


def check_in_list(request, pk):
    """One coordinator's check-ins, newest first, paged."""
    profile = get_growth_profile_for_user(request, pk)
    check_ins = _check_ins_read(CheckIn.objects.filter(coordinator=profile))
    page = Paginator(check_ins, CHECK_INS_PER_PAGE).get_page(request.GET.get("page"))
    for check_in in page.object_list:
        check_in.coordinator = profile
        check_in.notes_readable = not check_in.notes_private or can_read_private_notes(
            request.user, check_in
        )
    return render(
        request,
        "growth/checkin_list.html",
        {
            "profile": profile,
            "page_obj": page,
            "check_ins": page.object_list,
            "may_log": can_log_check_in(request.user, profile),
            "may_add_goals": _may_add_goals(request.user, profile),
        },
    )


def _may_add_goals(user, profile) -> bool:
    return can_edit_growth(user, profile)


def check_in_detail(request, pk):
    check_in = get_check_in_for_user(request, pk)
    check_in = _check_ins_read(CheckIn.objects.filter(pk=check_in.pk)).get()
    profile = get_growth_profile_for_user(request, check_in.coordinator_id)
    readable = not check_in.notes_private or can_read_private_notes(request.user, check_in)
    history = check_in_changes(
        check_in=check_in, latest=changes_shown(request), with_notes=readable
    )
    return render(
        request,
        "growth/checkin_detail.html",
        {
            "check_in": check_in,
            "profile": profile,
            "notes_readable": readable,
            "may_edit": check_in.author_id == request.user.pk,
            "may_add_goals": _may_add_goals(request.user, profile),
            "history": history,
        },
    )


class CheckInFormMixin:
    form_class = CheckInForm
    template_name = "growth/checkin_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "profile": self.profile}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            profile=self.profile,
            next=next_path(self.request),
            cancel_url=reverse("growth:check-in-list", args=[self.profile.pk]),
            **kwargs,
        )


class CheckInCreateView(CheckInFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        self.profile = get_growth_profile_for_user(request, kwargs["pk"])
        if not can_log_check_in(request.user, self.profile):
            raise PermissionDenied(
                "Check-ins are logged by the coordinator, their director or mentor, or an org "
                "admin."
            )
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            check_in = check_in_create(
                profile=self.profile, actor=self.request.user, **form.service_fields()
            )
        except GrowthError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Check-in logged.")
        return redirect(
            next_path(self.request) or reverse("growth:check-in-detail", args=[check_in.pk])
        )


class CheckInUpdateView(StaleEditMixin, CheckInFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        self.object = get_check_in_for_user(request, kwargs["pk"], edit=True)
        self.profile = self.object.coordinator
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": CheckIn.objects.get(pk=self.object.pk)}

    def get_context_data(self, **kwargs):
        history = check_in_changes(
            check_in=self.object, latest=changes_shown(self.request), with_notes=True
        )
        return super().get_context_data(check_in=self.object, history=history, **kwargs)

    def form_valid(self, form):
        try:
            check_in_update(
                check_in=self.object,
                actor=self.request.user,
                expected_version=form.expected_version,
                **form.service_fields(),
            )
        except GrowthError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Check-in saved.")
        return redirect(
            next_path(self.request) or reverse("growth:check-in-detail", args=[self.object.pk])
        )


# Org admin: cadences and coaching actions -------------------------------------------------


@role_required(Role.ADMIN)
def cadence_list(request):
    """Every team with its check-in cadence, each set in place."""
    organization_id = request.user.organization_id
    teams = Team.objects.filter(organization_id=organization_id).select_related("director")
    page = Paginator(teams.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    cadences = dict(
        CheckInCadence.objects.filter(team__in=page.object_list).values_list(
            "team_id", "every_days"
        )
    )
    rows = [(team, cadences.get(team.pk)) for team in page.object_list]
    return render(request, "growth/cadence_list.html", {"rows": rows, "page_obj": page})


@require_POST
@role_required(Role.ADMIN)
def cadence_update(request, pk):
    team = get_team_for_user(request, pk)
    form = CadenceForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, f"{team}: " + " ".join(e for es in form.errors.values() for e in es)
        )
        return redirect("growth:cadence-list")
    every = form.cleaned_data.get("every_days")
    cadence_set(team=team, every_days=every)
    if every:
        messages.success(request, f"{team} now has a check-in every {every} days.")
    else:
        messages.success(request, f"{team} has no check-in cadence.")
    return redirect("growth:cadence-list")


@role_required(Role.ADMIN)
def coaching_actions_edit(request):
    organization = request.user.organization
    current = CoachingAction.objects.filter(organization=organization, active=True)
    if request.method == "POST":
        form = CoachingActionsForm(request.POST)
        if form.is_valid():
            try:
                coaching_actions_set(organization=organization, names=form.cleaned_data["actions"])
            except GrowthError as error:
                form.add_error("actions", str(error))
            else:
                messages.success(request, "Coaching actions saved.")
                return redirect("growth:coaching-actions")
    else:
        form = CoachingActionsForm(initial={"actions": "\n".join(a.name for a in current)})
    return render(request, "growth/coaching_actions.html", {"form": form})
