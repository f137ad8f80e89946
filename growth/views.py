"""Goals, supports, promotions, mentees, and the org admin's career stages and support
catalogue. Every view checks role and organization on the server (growth/access.py)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, FormView, ListView, UpdateView

from coordinators import events
from coordinators.access import RoleRequiredMixin, can_direct, role_required, user_roles
from coordinators.change_history import changes_shown
from coordinators.form_helpers import StaleEditMixin, int_or_none
from coordinators.models import Role
from coordinators.redirects import next_path, redirect_to_next
from growth import events as growth_events
from growth.access import (
    get_career_stage_for_user,
    get_catalogue_entry_for_user,
    get_goal_for_user,
    get_growth_profile_for_user,
    get_support_for_user,
)
from growth.forms import CareerStageForm, CatalogueEntryForm, GoalForm, PromotionForm, SupportForm
from growth.models import (
    CareerStage,
    Goal,
    MentoringMatch,
    MentorNeed,
    MentorOffer,
    Promotion,
    Support,
    SupportCatalogEntry,
)
from growth.selectors import (
    career_position_changes,
    goal_changes,
    mentees_of,
    support_changes,
)
from growth.services import (
    GrowthError,
    career_stage_delete,
    catalogue_entry_delete,
    goal_create,
    goal_delete,
    goal_status_set,
    goal_update,
    promotion_record,
    support_attach_from_catalogue,
    support_create,
    support_delete,
    support_update,
)
from rubrics.models import CategoryKey

# The growth page of one coordinator ---------------------------------------------------------


def profile_growth(request, pk):
    """Goals, supports, career stage and promotions of one coordinator."""
    profile = get_growth_profile_for_user(request, pk)
    promotions = (
        Promotion.objects.filter(profile=profile)
        .select_related("from_stage", "to_stage", "recorded_by")
        .order_by("-effective_on", "-recorded_at")
    )
    stage_history = career_position_changes(profile=profile, latest=changes_shown(request))
    today = timezone.localdate()
    matches = (
        MentoringMatch.objects.filter(mentee=profile, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("mentor")
    )
    return render(
        request,
        "growth/profile_growth.html",
        {
            "profile": profile,
            "promotions": promotions,
            "stage_history": stage_history,
            "matches": matches,
            "may_direct": can_direct(request.user, profile),
            "needs_mentor": MentorNeed.objects.filter(profile=profile).exists(),
        },
    )


class ProfileFormMixin:
    """Loads the coordinator profile of the URL (with the rights the view needs) first."""

    need_direct = False

    def dispatch(self, request, *args, **kwargs):
        self.profile = get_growth_profile_for_user(
            request, kwargs["pk"], edit=True, direct=self.need_direct
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "profile": self.profile}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            profile=self.profile,
            next=next_path(self.request),
            cancel_url=self.success_default(),
            **kwargs,
        )

    def success_default(self) -> str:
        return reverse("growth:profile-growth", args=[self.profile.pk])

    def get_success_url(self):
        """Back to the page the form was opened from, if it is ours, else the growth page."""
        return next_path(self.request) or self.success_default()


class GoalCreateView(ProfileFormMixin, FormView):
    form_class = GoalForm
    template_name = "growth/goal_form.html"

    def get_initial(self):
        initial = {"status": Goal.Status.OPEN}
        key = self.request.GET.get("category", "")
        if key in dict(Goal._meta.get_field("category_key").choices):
            initial["category_key"] = key
        # A goal made from an agreed next step opens with its words and date filled in.
        notes = self.request.GET.get("notes", "")
        if notes.strip():
            initial["notes"] = notes.strip()
        try:
            initial["target_date"] = date.fromisoformat(self.request.GET.get("target_date", ""))
        except ValueError:
            pass
        return initial

    def form_valid(self, form):
        goal_create(profile=self.profile, actor=self.request.user, **form.service_fields())
        messages.success(self.request, "Goal added.")
        return redirect(self.get_success_url())


class ProfileObjectUpdateMixin(StaleEditMixin, ProfileFormMixin):
    """Edit one goal or support: fetched through its access helper, whose coordinator is the
    profile of the page. The form gets its own copy: ModelForm validation writes into its
    instance, and the service must compare against the row as stored. A save from a form
    read before someone else's is refused and shown again (StaleEditMixin)."""

    context_name = ""
    changes = None  # the selector of the object's history: who changed what, and when

    def get_object(self, request, pk):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object(request, kwargs["pk"])
        self.profile = self.object.coordinator
        return FormView.dispatch(self, request, *args, **kwargs)

    def get_form_kwargs(self):
        stored = type(self.object).objects.get(pk=self.object.pk)
        return {**super().get_form_kwargs(), "instance": stored}

    def get_context_data(self, **kwargs):
        history = type(self).changes(
            **{self.context_name: self.object}, latest=changes_shown(self.request)
        )
        return super().get_context_data(
            **{self.context_name: self.object}, history=history, **kwargs
        )


class GoalUpdateView(ProfileObjectUpdateMixin, FormView):
    form_class = GoalForm
    template_name = "growth/goal_form.html"
    context_name = "goal"
    changes = staticmethod(goal_changes)

    def get_object(self, request, pk):
        return get_goal_for_user(request, pk)

    def form_valid(self, form):
        goal_update(
            goal=self.object, expected_version=form.expected_version, **form.service_fields()
        )
        messages.success(self.request, "Goal saved.")
        return redirect(self.get_success_url())


@require_POST
def goal_status(request, pk):
    goal = get_goal_for_user(request, pk)
    status = request.POST.get("status", "")
    try:
        changed = goal_status_set(goal=goal, status=status)
    except GrowthError as error:
        messages.error(request, str(error))
    else:
        label = Goal.Status(status).label.lower()
        if changed:
            messages.success(request, f"Goal marked {label}.")
        else:
            messages.info(request, f"The goal was already marked {label}.")
    return redirect_to_next(request, reverse("growth:profile-growth", args=[goal.coordinator_id]))


@require_POST
def goal_delete_view(request, pk):
    goal = get_goal_for_user(request, pk)
    profile_id = goal.coordinator_id
    goal_delete(goal=goal)
    messages.success(request, "Goal deleted.")
    return redirect_to_next(request, reverse("growth:profile-growth", args=[profile_id]))


class SupportCreateView(ProfileFormMixin, FormView):
    form_class = SupportForm
    template_name = "growth/support_form.html"

    def get_initial(self):
        initial = {}
        if self.request.GET.get("kind") in dict(Support._meta.get_field("kind").choices):
            initial["kind"] = self.request.GET["kind"]
        goal = int_or_none(self.request.GET.get("goal", ""))
        if goal is not None:
            initial["goals"] = [goal]
        entry = int_or_none(self.request.GET.get("entry", ""))
        if entry is not None:
            catalogue = SupportCatalogEntry.objects.filter(
                pk=entry, organization_id=self.profile.organization_id
            ).first()
            if catalogue:
                initial.update(
                    kind=catalogue.kind,
                    title=catalogue.title,
                    notes=catalogue.description,
                    hours=catalogue.hours,
                    network_scope=catalogue.network_scope,
                )
        return initial

    def form_valid(self, form):
        try:
            support_create(
                profile=self.profile,
                actor=self.request.user,
                goals=form.cleaned_data.get("goals") or [],
                **form.service_fields(),
            )
        except GrowthError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Support added.")
        return redirect(self.get_success_url())


class SupportUpdateView(ProfileObjectUpdateMixin, FormView):
    form_class = SupportForm
    template_name = "growth/support_form.html"
    context_name = "support"
    changes = staticmethod(support_changes)

    def get_object(self, request, pk):
        return get_support_for_user(request, pk)

    def form_valid(self, form):
        try:
            support_update(
                support=self.object,
                expected_version=form.expected_version,
                goals=form.cleaned_data.get("goals") or [],
                **form.service_fields(),
            )
        except GrowthError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Support saved.")
        return redirect(self.get_success_url())


@require_POST
def support_delete_view(request, pk):
    support = get_support_for_user(request, pk)
    profile_id = support.coordinator_id
    support_delete(support=support)
    messages.success(request, "Support removed.")
    return redirect_to_next(request, reverse("growth:profile-growth", args=[profile_id]))


@require_POST
def support_attach(request, pk, entry_pk):
    """A director attaches a suggested catalogue support in one click."""
    profile = get_growth_profile_for_user(request, pk, direct=True)
    entry = get_catalogue_entry_for_user(request, entry_pk)
    back = reverse("growth:profile-growth", args=[profile.pk])
    goal = None
    if request.POST.get("goal"):
        # The goal the suggestion serves; one that is not theirs (a stale or altered page)
        # attaches nothing rather than something else than was asked.
        goal_pk = int_or_none(request.POST["goal"])
        goal = Goal.objects.filter(pk=goal_pk, coordinator=profile).first() if goal_pk else None
        if goal is None:
            messages.error(request, "That goal is no longer on this growth plan; nothing added.")
            return redirect_to_next(request, back)
    try:
        support, created = support_attach_from_catalogue(
            profile=profile, entry=entry, actor=request.user, goal=goal
        )
    except GrowthError as error:
        messages.error(request, str(error))
        return redirect_to_next(request, back)
    if created:
        messages.success(request, f"“{support.title}” added to {profile}'s supports.")
    else:
        messages.info(request, f"{profile} already has “{support.title}”.")
    return redirect_to_next(request, back)


class PromotionCreateView(ProfileFormMixin, FormView):
    need_direct = True
    form_class = PromotionForm
    template_name = "growth/promotion_form.html"

    def get_context_data(self, **kwargs):
        history = career_position_changes(profile=self.profile, latest=changes_shown(self.request))
        return super().get_context_data(history=history, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            promotion_record(
                profile=self.profile,
                to_stage=data["to_stage"],
                effective_on=data["effective_on"],
                note=data.get("note", ""),
                actor=self.request.user,
            )
        except GrowthError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{self.profile} is now {data['to_stage'].title} from {data['effective_on']}.",
        )
        return redirect(self.get_success_url())


# Mentors ----------------------------------------------------------------------------------


def mentee_list(request):
    """The coordinators who name the user as their mentor; nobody else's."""
    if not user_roles(request.user):
        raise PermissionDenied("Your role does not give access to this page.")
    return render(
        request,
        "growth/mentee_list.html",
        {
            "mentees": mentees_of(request.user),
            "offered": MentorOffer.objects.filter(user=request.user).exists(),
        },
    )


# Org admin: career stages -----------------------------------------------------------------


class CareerStageListView(RoleRequiredMixin, ListView):
    required_roles = (Role.ADMIN,)
    template_name = "growth/careerstage_list.html"
    context_object_name = "stages"

    def get_queryset(self):
        return (
            CareerStage.objects.filter(organization_id=self.request.user.organization_id)
            .annotate(people=Count("positions", filter=Q(positions__profile__active=True)))
            .order_by("order")
        )


class CareerStageFormMixin(RoleRequiredMixin):
    required_roles = (Role.ADMIN,)
    form_class = CareerStageForm
    template_name = "growth/careerstage_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organization": self.request.user.organization}

    def get_success_url(self):
        return reverse("growth:stage-list")

    @transaction.atomic
    def form_valid(self, form):
        form.instance.organization = self.request.user.organization
        response = super().form_valid(form)
        events.publish(
            growth_events.CareerStagesChanged(organization_id=form.instance.organization.pk)
        )
        messages.success(self.request, f"Career stage “{self.object.title}” saved.")
        return response


class CareerStageCreateView(CareerStageFormMixin, CreateView):
    def get_initial(self):
        top = (
            CareerStage.objects.filter(organization_id=self.request.user.organization_id)
            .order_by("-order")
            .values_list("order", flat=True)
            .first()
        )
        return {"order": (top or 0) + 1}


class CareerStageUpdateView(StaleEditMixin, CareerStageFormMixin, UpdateView):
    context_object_name = "stage"

    def get_object(self, queryset=None):
        return get_career_stage_for_user(self.request, self.kwargs["pk"])


@require_POST
@role_required(Role.ADMIN)
def career_stage_delete_view(request, pk):
    stage = get_career_stage_for_user(request, pk)
    try:
        career_stage_delete(stage=stage)
    except GrowthError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Career stage “{stage.title}” deleted.")
    return redirect("growth:stage-list")


# Org admin: the support catalogue ------------------------------------------------------------


class CatalogueListView(RoleRequiredMixin, ListView):
    required_roles = (Role.ADMIN,)
    template_name = "growth/catalogue_list.html"
    context_object_name = "entries"

    def get_queryset(self):
        matrix_order = Case(
            *(When(category_key=key, then=n) for n, key in enumerate(CategoryKey.values)),
            output_field=IntegerField(),
        )
        return SupportCatalogEntry.objects.filter(
            organization_id=self.request.user.organization_id
        ).order_by(matrix_order, "level", "title")


class CatalogueFormMixin(RoleRequiredMixin):
    required_roles = (Role.ADMIN,)
    form_class = CatalogueEntryForm
    template_name = "growth/catalogue_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organization": self.request.user.organization}

    def get_success_url(self):
        return reverse("growth:catalogue-list")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, f"“{self.object.title}” saved in the catalogue.")
        return response


class CatalogueCreateView(CatalogueFormMixin, CreateView):
    def get_initial(self):
        initial = {}
        key = self.request.GET.get("category", "")
        if key in dict(SupportCatalogEntry._meta.get_field("category_key").choices):
            initial["category_key"] = key
        return initial


class CatalogueUpdateView(StaleEditMixin, CatalogueFormMixin, UpdateView):
    context_object_name = "entry"

    def get_object(self, queryset=None):
        return get_catalogue_entry_for_user(self.request, self.kwargs["pk"], manage=True)


@require_POST
@role_required(Role.ADMIN)
def catalogue_delete_view(request, pk):
    entry = get_catalogue_entry_for_user(request, pk, manage=True)
    catalogue_entry_delete(entry=entry)
    messages.success(
        request,
        f"“{entry.title}” removed from the catalogue. Supports already given from it stay.",
    )
    return redirect("growth:catalogue-list")
