"""The org admin's choices about the principal's feedback: whether coordinators may ask their
principals themselves, and whether the principal's page asks about collaboration."""

from django.contrib import messages
from django.urls import reverse_lazy
from django.views.generic import UpdateView

from assessments.forms import PrincipalFeedbackSettingsForm
from assessments.models import PrincipalFeedbackSettings
from coordinators.access import RoleRequiredMixin
from coordinators.form_helpers import StaleEditMixin
from coordinators.models import Role


class PrincipalFeedbackSettingsView(StaleEditMixin, RoleRequiredMixin, UpdateView):
    required_roles = (Role.ADMIN,)
    form_class = PrincipalFeedbackSettingsForm
    template_name = "assessments/principal_feedback_settings.html"
    success_url = reverse_lazy("assessments:principal-feedback-settings")

    def get_object(self, queryset=None):
        row, _created = PrincipalFeedbackSettings.objects.get_or_create(
            organization_id=self.request.user.organization_id
        )
        return row

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Principal feedback settings saved.")
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if response.status_code == 200:
            response.status_code = 400
        return response
