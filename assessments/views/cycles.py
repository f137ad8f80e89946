"""The org admin's assessment cycles: list with completion, create, edit, open and close."""

from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, ListView, UpdateView

from assessments import services
from assessments.access import cycles_visible_to, get_cycle_for_user
from assessments.forms import CycleForm
from assessments.models import Assessment, AssessmentCycle
from assessments.services import WorkflowError
from coordinators.access import RoleRequiredMixin, role_required
from coordinators.form_helpers import StaleEditMixin
from coordinators.models import CoordinatorProfile, Role


def _count(state: str) -> Count:
    return Count("assessments", filter=Q(assessments__state=state))


class CycleListView(RoleRequiredMixin, ListView):
    required_roles = (Role.ADMIN,)
    template_name = "assessments/cycle_list.html"
    context_object_name = "cycles"

    def get_queryset(self):
        return (
            cycles_visible_to(self.request.user)
            .annotate(
                total=Count("assessments"),
                drafts=_count(Assessment.State.DRAFT),
                submitted=_count(Assessment.State.SUBMITTED),
                returned=_count(Assessment.State.RETURNED),
                finalized=_count(Assessment.State.FINALIZED),
            )
            .order_by("-opens_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["active_coordinators"] = CoordinatorProfile.objects.filter(
            organization_id=self.request.user.organization_id, active=True, user__is_active=True
        ).count()
        context["open_cycle"] = next(
            (c for c in context["cycles"] if c.state == AssessmentCycle.State.OPEN), None
        )
        return context


class CycleFormMixin(RoleRequiredMixin, SuccessMessageMixin):
    required_roles = (Role.ADMIN,)
    form_class = CycleForm
    template_name = "assessments/cycle_form.html"
    success_url = reverse_lazy("assessments:cycle-list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organization": self.request.user.organization}


class CycleCreateView(CycleFormMixin, CreateView):
    success_message = "Cycle “%(name)s” created. Open it when coordinators should start."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = AssessmentCycle(organization=self.request.user.organization)
        return kwargs


class CycleUpdateView(StaleEditMixin, CycleFormMixin, UpdateView):
    success_message = "Cycle “%(name)s” saved."

    def get_queryset(self):
        return cycles_visible_to(self.request.user)


@require_POST
@role_required(Role.ADMIN)
def cycle_open(request, pk):
    cycle = get_cycle_for_user(request, pk)
    try:
        created = services.cycle_open(cycle=cycle, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"{cycle} is open: {created} coordinator{'s have' if created != 1 else ' has'} a "
            "self-assessment to complete and will get an email.",
        )
    return redirect("assessments:cycle-list")


@require_POST
@role_required(Role.ADMIN)
def cycle_close(request, pk):
    cycle = get_cycle_for_user(request, pk)
    try:
        services.cycle_close(cycle=cycle, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{cycle} is closed. Directors can still finish the reviews under way."
        )
    return redirect("assessments:cycle-list")
