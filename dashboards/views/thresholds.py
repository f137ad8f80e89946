"""The org admin's flag thresholds: each value beside its default, and a reset to defaults.
Dashboards read the row on every request, so a change shows at once."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from django.views.generic import UpdateView

from coordinators import events
from coordinators.access import RoleRequiredMixin, role_required
from coordinators.form_helpers import StaleEditMixin
from coordinators.models import Role
from coordinators.versioning import versioned_save
from dashboards.events import FlagThresholdsChanged
from dashboards.forms import FlagThresholdsForm, threshold_defaults
from dashboards.models import FlagThresholds


def _thresholds(request) -> FlagThresholds:
    """The organization's row (created with the defaults if an old organization lacks it)."""
    row, _created = FlagThresholds.objects.get_or_create(
        organization_id=request.user.organization_id
    )
    return row


class FlagThresholdsUpdateView(StaleEditMixin, RoleRequiredMixin, UpdateView):
    required_roles = (Role.ADMIN,)
    form_class = FlagThresholdsForm
    template_name = "dashboards/flag_thresholds.html"
    context_object_name = "thresholds"
    success_url = reverse_lazy("dashboards:flag-thresholds")

    def get_object(self, queryset=None):
        return _thresholds(self.request)

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        events.publish(FlagThresholdsChanged(organization_id=self.object.organization_id))
        messages.success(
            self.request, "Flag thresholds saved; the dashboards use them from now on."
        )
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if response.status_code == 200:
            response.status_code = 400
        return response


@require_POST
@role_required(Role.ADMIN)
def flag_thresholds_reset(request):
    """Every threshold back to its default; a thresholds form opened before is then stale."""
    row = _thresholds(request)
    defaults = threshold_defaults()
    changed = [name for name, value in defaults.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, defaults[name])
    if changed:
        with transaction.atomic():
            versioned_save(row, fields=changed)
            events.publish(FlagThresholdsChanged(organization_id=row.organization_id))
        messages.success(request, "Every flag threshold is back to its default.")
    else:
        messages.info(request, "The thresholds were already the defaults.")
    return redirect("dashboards:flag-thresholds")
