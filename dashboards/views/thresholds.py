"""The org admin's flag thresholds: each value beside its default, and a reset to defaults.
Dashboards read the row on every request, so a change shows at once."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coordinators.access import role_required
from coordinators.models import Role
from dashboards.forms import FlagThresholdsForm, threshold_defaults
from dashboards.models import FlagThresholds


def _thresholds(request) -> FlagThresholds:
    """The organization's row (created with the defaults if an old organization lacks it)."""
    row, _created = FlagThresholds.objects.get_or_create(
        organization_id=request.user.organization_id
    )
    return row


@role_required(Role.ADMIN)
def flag_thresholds(request):
    row = _thresholds(request)
    data = request.POST if request.method == "POST" else None
    form = FlagThresholdsForm(data, instance=row)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Flag thresholds saved; the dashboards use them from now on.")
        return redirect("dashboards:flag-thresholds")
    return render(
        request,
        "dashboards/flag_thresholds.html",
        {"form": form, "thresholds": row},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(Role.ADMIN)
def flag_thresholds_reset(request):
    row = _thresholds(request)
    defaults = threshold_defaults()
    changed = [name for name, value in defaults.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, defaults[name])
    if changed:
        row.save(update_fields=changed)
        messages.success(request, "Every flag threshold is back to its default.")
    else:
        messages.info(request, "The thresholds were already the defaults.")
    return redirect("dashboards:flag-thresholds")
