"""The org admin's assessment cycles: list with completion, a page per cycle with its history,
create, edit, open, close, reopen and extend. Opening and closing ask for confirmation only
after their checks pass, and the confirmation says what will happen."""

from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_http_methods
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from assessments import events as assessment_events
from assessments import services
from assessments.access import cycles_visible_to, get_cycle_for_user
from assessments.forms import CycleDatesForm, CycleForm
from assessments.models import Assessment, AssessmentCycle
from assessments.selectors import cycle_history, cycle_state_counts
from assessments.services import WorkflowError
from coordinators import events
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

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        events.publish(
            assessment_events.CycleSaved(
                organization_id=self.object.organization_id, cycle_id=self.object.pk
            )
        )
        return response


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


class CycleDetailView(RoleRequiredMixin, DetailView):
    """One cycle: its dates, where its assessments stand, the rubric versions it pinned, what
    can be done with it now, and who changed what and when."""

    required_roles = (Role.ADMIN,)
    template_name = "assessments/cycle_detail.html"
    context_object_name = "cycle"

    def get_queryset(self):
        return cycles_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        cycle = self.object
        return super().get_context_data(
            counts=cycle_state_counts(cycle),
            pinned=cycle.rubric_versions.select_related("rubric__role_family").order_by(
                "rubric__role_family__name"
            ),
            history=cycle_history(cycle),
            **kwargs,
        )


def _confirm_page(request, cycle, *, action: str, refusal: str | None, **context):
    """The confirmation of an action on a cycle, asked only once its checks pass: with a
    refusal the page says why and offers no button."""
    return render(
        request,
        "assessments/cycle_confirm.html",
        {
            "cycle": cycle,
            "action": action,
            "refusal": refusal,
            "today": timezone.localdate(),
            **context,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def cycle_open(request, pk):
    """GET: the checks, then the confirmation (with the dates when it is early). POST: open;
    before the opening date only with the confirmation's ``early=yes``."""
    cycle = get_cycle_for_user(request, pk)
    if request.method == "GET":
        return _confirm_page(
            request,
            cycle,
            action="open",
            refusal=services.cycle_open_refusal(cycle),
            early=services.cycle_opens_early(cycle),
            coordinators=CoordinatorProfile.objects.filter(
                organization_id=cycle.organization_id, active=True, user__is_active=True
            ).count(),
        )
    if services.cycle_opens_early(cycle) and request.POST.get("early") != "yes":
        messages.error(request, f"{cycle} is set to open on a later date: confirm it first.")
        return redirect("assessments:cycle-open", pk=cycle.pk)
    try:
        created = services.cycle_open(cycle=cycle, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:cycle-open", pk=cycle.pk)
    messages.success(
        request,
        f"{cycle} is open: {created} coordinator{'s have' if created != 1 else ' has'} a "
        "self-assessment to complete and will get an email.",
    )
    return redirect("assessments:cycle-detail", pk=cycle.pk)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def cycle_close(request, pk):
    """GET: the checks, then the confirmation with the count of assessments in each state
    and what closing does to them. POST: close; before the closing date only with the
    confirmation's ``early=yes``."""
    cycle = get_cycle_for_user(request, pk)
    if request.method == "GET":
        return _confirm_page(
            request,
            cycle,
            action="close",
            refusal=services.cycle_close_refusal(cycle),
            early=services.cycle_closes_early(cycle),
            counts=cycle_state_counts(cycle),
        )
    if services.cycle_closes_early(cycle) and request.POST.get("early") != "yes":
        messages.error(request, f"{cycle} is set to close on a later date: confirm it first.")
        return redirect("assessments:cycle-close", pk=cycle.pk)
    try:
        services.cycle_close(cycle=cycle, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:cycle-close", pk=cycle.pk)
    messages.success(
        request,
        f"{cycle} is closed. Drafts and returned assessments are kept and readable; directors "
        "can still finalize what was submitted. The people affected are being emailed.",
    )
    return redirect("assessments:cycle-detail", pk=cycle.pk)


class CycleDatesView(StaleEditMixin, RoleRequiredMixin, UpdateView):
    """Reopen a closed cycle, or extend an open one, with new due and closing dates and a
    reason for the history. Reopening while another cycle is open is refused before the form
    is shown, and the page offers to extend the open one instead."""

    required_roles = (Role.ADMIN,)
    form_class = CycleDatesForm
    template_name = "assessments/cycle_dates_form.html"
    context_object_name = "cycle"

    def get_queryset(self):
        return cycles_visible_to(self.request.user)

    @property
    def reopening(self) -> bool:
        return self.object.state == AssessmentCycle.State.CLOSED

    def refusal(self) -> str | None:
        if self.reopening:
            return services.cycle_reopen_refusal(self.object)
        if self.object.state != AssessmentCycle.State.OPEN:
            return f"{self.object} has not opened yet: change its dates with Edit."
        return None

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        refusal = self.refusal()
        if refusal:
            messages.error(request, refusal)
            return self.render_to_response(self.get_context_data(form=None), status=409)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        refusal = self.refusal()
        if refusal:
            kwargs["form"] = None
        return super().get_context_data(
            reopening=self.reopening,
            refusal=refusal,
            other_open=AssessmentCycle.objects.filter(
                organization_id=self.object.organization_id, state=AssessmentCycle.State.OPEN
            )
            .exclude(pk=self.object.pk)
            .first(),
            counts=cycle_state_counts(self.object),
            **kwargs,
        )

    def form_valid(self, form):
        service = services.cycle_reopen if self.reopening else services.cycle_extend
        try:
            cycle = service(
                cycle=self.object,
                actor=self.request.user,
                expected_version=form.expected_version,
                due_on=form.cleaned_data["due_on"],
                closes_on=form.cleaned_data["closes_on"],
                reason=form.cleaned_data["reason"],
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{cycle} is {'open again' if self.reopening else 'extended'} until "
            f"{date_format(cycle.closes_on, 'j M Y')}. Coordinators with a draft or returned "
            "self-assessment are being emailed.",
        )
        return redirect("assessments:cycle-detail", pk=cycle.pk)
