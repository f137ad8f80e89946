"""The org admin's schools, teams and people, one at a time in the browser (the roster import
does many at once). Org admins only (403 for other roles); anything of another organization
is a 404 (coordinators/access.py)."""

import copy
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import CreateView, FormView, ListView, UpdateView

from coordinators import events, pickers, services
from coordinators.access import (
    RoleRequiredMixin,
    check_role,
    get_organization_for_admin,
    get_person_for_user,
    get_school_for_user,
    get_team_for_user,
    role_required,
)
from coordinators.change_history import changes_shown, person_changes
from coordinators.form_helpers import StaleEditMixin, int_or_none
from coordinators.forms import (
    OrganizationSettingsForm,
    PersonCreateForm,
    PersonEditForm,
    PersonFilterSet,
    PersonRoleForm,
    SchoolFilterSet,
    SchoolForm,
    TeamForm,
)
from coordinators.models import CoordinatorProfile, Membership, Role, RoleFamily, School, Team, User
from coordinators.ratelimits import RateLimited, too_many
from coordinators.redirects import redirect_to_next
from coordinators.tenure import day_words

PER_PAGE = 50


class AdminPaginationMixin:
    """Pages of PER_PAGE; a page number that does not fit shows the nearest page, not a 404."""

    paginate_by = PER_PAGE

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()


# Schools ----------------------------------------------------------------------------------


class SchoolListView(RoleRequiredMixin, AdminPaginationMixin, ListView):
    required_roles = (Role.ADMIN,)
    template_name = "coordinators/school_list.html"
    context_object_name = "schools"

    def get_queryset(self):
        schools = School.objects.filter(organization_id=self.request.user.organization_id)
        self.filterset = SchoolFilterSet(self.request.GET, queryset=schools)
        return self.filterset.qs.annotate(
            people=Count("profiles", filter=Q(profiles__active=True)),
            # Through the reverse relation, so this bottom app names no model above it.
            assessed=Exists(School.assessments.through.objects.filter(school_id=OuterRef("pk"))),
        ).order_by("name", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filterset=self.filterset,
            filtered=self.filterset.filtered,
            # Called by the template only when the page has no rows (one query less).
            any_school=School.objects.filter(
                organization_id=self.request.user.organization_id
            ).exists,
            **kwargs,
        )


class OrganizationObjectFormMixin(RoleRequiredMixin):
    """Add and edit forms of the admin's schools and teams (name unique in the organization)."""

    required_roles = (Role.ADMIN,)
    list_url_name = ""

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "organization": self.request.user.organization}
        if kwargs.get("instance") is not None:
            # Validation writes into the instance; the page keeps naming the stored one.
            kwargs["instance"] = copy.copy(kwargs["instance"])
        return kwargs

    def get_success_url(self):
        return reverse(self.list_url_name)

    def form_valid(self, form):
        form.instance.organization = self.request.user.organization
        try:
            with transaction.atomic():
                saved = form.save()
                events.publish(
                    events.OrganizationStructureChanged(organization_id=saved.organization_id)
                )
        except IntegrityError:  # the same name saved a moment ago by another admin
            form.add_error("name", "Your organization already has one by this name.")
            return self.form_invalid(form)
        self.object = saved
        messages.success(self.request, self.saved_message(saved))
        return redirect(self.get_success_url())


class SchoolFormMixin(OrganizationObjectFormMixin):
    form_class = SchoolForm
    template_name = "coordinators/school_form.html"
    context_object_name = "school"
    list_url_name = "coordinators:school-list"


class SchoolCreateView(SchoolFormMixin, CreateView):
    def saved_message(self, school):
        return (
            f"School “{school.name}” added. Choose it as a school site on each coordinator's "
            "person page."
        )


class SchoolUpdateView(StaleEditMixin, SchoolFormMixin, UpdateView):
    def get_object(self, queryset=None):
        return get_school_for_user(self.request, self.kwargs["pk"])

    def saved_message(self, school):
        return f"School “{school.name}” saved."


def _school_active_view(request, pk, *, active: bool):
    school = get_school_for_user(request, pk)
    back = reverse("coordinators:school-list")
    if not services.school_active_set(school=school, active=active):
        state = "active" if active else "deactivated"
        messages.info(request, f"“{school.name}” was already {state}.")
    elif active:
        messages.success(request, f"“{school.name}” is active again.")
    else:
        messages.success(
            request,
            f"“{school.name}” is deactivated: it keeps its people and assessments but is no "
            "longer offered as a school site. Find it under Status: Deactivated.",
        )
    return redirect_to_next(request, back)


@require_POST
@role_required(Role.ADMIN)
def school_deactivate(request, pk):
    return _school_active_view(request, pk, active=False)


@require_POST
@role_required(Role.ADMIN)
def school_reactivate(request, pk):
    return _school_active_view(request, pk, active=True)


# Teams ------------------------------------------------------------------------------------


class TeamListView(RoleRequiredMixin, ListView):
    required_roles = (Role.ADMIN,)
    template_name = "coordinators/team_list.html"
    context_object_name = "teams"

    def get_queryset(self):
        return (
            Team.objects.filter(organization_id=self.request.user.organization_id)
            .select_related("director")
            .annotate(members=Count("profiles", filter=Q(profiles__active=True)))
            .order_by("name", "pk")
        )


class TeamFormMixin(OrganizationObjectFormMixin):
    form_class = TeamForm
    template_name = "coordinators/team_form.html"
    context_object_name = "team"
    list_url_name = "coordinators:team-list"

    def saved_message(self, team):
        director = team.director
        who = f"directed by {director.display_name}" if director else "with no director yet"
        return f"Team “{team.name}” saved, {who}."


class TeamCreateView(TeamFormMixin, CreateView):
    pass


class TeamUpdateView(StaleEditMixin, TeamFormMixin, UpdateView):
    def get_object(self, queryset=None):
        return get_team_for_user(self.request, self.kwargs["pk"])


# People -----------------------------------------------------------------------------------


@dataclass(slots=True)
class PersonRow:
    person: User
    profile: CoordinatorProfile | None
    roles: list[str]  # role labels, in the order of Role
    teams_directed: list[Team]


def person_rows(users) -> list[PersonRow]:
    """Rows of a page of people; the prefetches of the list's queryset serve every row."""
    order = {value: label for value, label in Role.choices}
    rows = []
    for user in users:
        held = {m.role for m in user.memberships.all()}
        rows.append(
            PersonRow(
                person=user,
                profile=getattr(user, "profile", None),
                roles=[label for value, label in order.items() if value in held],
                teams_directed=list(user.directed_teams.all()),
            )
        )
    return rows


class PersonListView(RoleRequiredMixin, AdminPaginationMixin, ListView):
    required_roles = (Role.ADMIN,)
    template_name = "coordinators/person_list.html"
    context_object_name = "people"

    def get_queryset(self):
        organization_id = self.request.user.organization_id
        self.families = list(
            RoleFamily.objects.filter(organization_id=organization_id).order_by("name")
        )
        self.filterset = PersonFilterSet(
            self.request.GET,
            queryset=User.objects.filter(organization_id=organization_id),
            organization_id=organization_id,
            families=self.families,
        )
        return (
            self.filterset.qs.select_related("profile__team", "profile__role_family")
            .prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.only("user_id", "role")),
                Prefetch("profile__schools", queryset=School.objects.order_by("name")),
                Prefetch("directed_teams", queryset=Team.objects.order_by("name")),
            )
            .order_by("last_name", "first_name", "email", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = person_rows(context["page_obj"].object_list)
        context["filterset"] = self.filterset
        context["filtered"] = self.filterset.filtered
        return context


class PersonFormMixin(RoleRequiredMixin):
    required_roles = (Role.ADMIN,)
    template_name = "coordinators/person_form.html"
    person = None

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organization": self.request.user.organization,
            "actor": self.request.user,
            "person": self.person,
        }

    def get_context_data(self, **kwargs):
        teams = list(self.person.directed_teams.order_by("name")) if self.person else []
        return super().get_context_data(person=self.person, teams_directed=teams, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.address_refusals_check(request)
        except RateLimited as refusal:
            return too_many(request, refusal)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            result = self.save(form)
        except services.PeopleError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        self.report(result)
        _report_teams(self.request, result)
        return redirect("coordinators:person-list")

    def form_invalid(self, form):
        if services.ADDRESS_UNUSABLE in form.errors.get("email", []) + form.non_field_errors():
            refused = [(form.data.get("email", ""), "an account of another organization")]
            try:
                services.address_refusals_record(self.request, refused)
            except RateLimited as refusal:
                return too_many(self.request, refusal)
        return super().form_invalid(form)


def _report_teams(request, result: services.PersonResult) -> None:
    for team in result.teams_without_director:
        messages.warning(
            request, f"Team “{team.name}” has no director now: choose one on the team's page."
        )


class PersonCreateView(PersonFormMixin, FormView):
    form_class = PersonCreateForm

    def save(self, form):
        return services.person_create(
            organization=self.request.user.organization,
            actor=self.request.user,
            details=form.details(),
            roles=list(form.cleaned_data["roles"]),
        )

    def report(self, result):
        person = result.person
        messages.success(
            self.request,
            f"{person.display_name} added. An email to {person.email} tells them how to choose "
            "a password and log in.",
        )


class PersonUpdateView(StaleEditMixin, PersonFormMixin, FormView):
    """The person page: their login, name and profile in one form, and their roles, each
    added or removed on its own."""

    form_class = PersonEditForm

    def dispatch(self, request, *args, **kwargs):
        self.person = get_person_for_user(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def row_reload(self, current):
        self.person = current

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roles"] = person_role_rows(
            self.person, self.request.user, context["teams_directed"]
        )
        context["role_form"] = PersonRoleForm(
            organization=self.request.user.organization, auto_id="role_%s"
        )
        context["has_profile"] = CoordinatorProfile.objects.filter(user=self.person).exists()
        context["history"] = person_changes(person=self.person, latest=changes_shown(self.request))
        return context

    def save(self, form):
        return services.person_update(
            person=self.person,
            actor=self.request.user,
            details=form.details(),
            expected_version=form.expected_version,
        )

    def report(self, result):
        messages.success(self.request, f"{result.person.display_name} saved.")


@dataclass(slots=True)
class PersonRoleRow:
    role: str
    label: str
    held: bool
    # Why this role cannot be taken away here (empty when it can), and what removing it does.
    kept_because: str = ""
    consequence: str = ""


def person_role_rows(person: User, actor: User, teams_directed: list[Team]) -> list[PersonRoleRow]:
    held = set(person.memberships.values_list("role", flat=True))
    name = person.display_name
    consequences = {
        Role.COORDINATOR: f"{name}'s profile and history are kept, but they leave the "
        "dashboards and new cycles.",
        Role.DIRECTOR: (
            "Their team"
            + ("s" if len(teams_directed) > 1 else "")
            + f" ({', '.join(team.name for team in teams_directed)}) will have no director."
            if teams_directed
            else "They direct no team now."
        ),
        Role.ADMIN: "They will no longer manage the organization's people, rubrics and cycles.",
    }
    rows = []
    for value, label in Role.choices:
        row = PersonRoleRow(value, label, value in held, consequence=consequences[value])
        if row.held and value == Role.ADMIN and person.pk == actor.pk:
            row.kept_because = "You cannot remove your own Org admin role; another org admin can."
        elif row.held and held == {value}:
            row.kept_because = "Their only role: give them another first, or deactivate them."
        rows.append(row)
    return rows


def _person_role_view(request, pk, *, add: bool):
    person = get_person_for_user(request, pk)
    back = reverse("coordinators:person-update", args=[person.pk])
    form = PersonRoleForm(request.POST, organization=request.user.organization)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    role = form.cleaned_data["role"]
    name, label = person.display_name, Role(role).label
    if add:
        return _person_transition(
            request,
            back,
            partial(
                services.person_role_add,
                person=person,
                actor=request.user,
                role=role,
                role_family=form.cleaned_data["role_family"],
                role_start_date=form.cleaned_data["role_start_date"],
            ),
            found=f"{name} already held the {label} role.",
            done=f"{name} now holds the {label} role.",
        )
    return _person_transition(
        request,
        back,
        partial(services.person_role_remove, person=person, actor=request.user, role=role),
        found=f"{name} did not hold the {label} role.",
        done=f"{name} no longer holds the {label} role.",
    )


def _person_transition(request, back: str, run, *, found: str, done: str):
    """Run one change of a person's state and say what it found: ``found`` when they already
    were as asked, ``done`` when it changed them; teams left without a director are named."""
    try:
        result = run()
    except services.PeopleError as error:
        messages.error(request, str(error))
        return redirect_to_next(request, back)
    if result.changed:
        messages.success(request, done)
    else:
        messages.info(request, found)
    _report_teams(request, result)
    return redirect_to_next(request, back)


@require_POST
@role_required(Role.ADMIN)
def person_role_add(request, pk):
    return _person_role_view(request, pk, add=True)


@require_POST
@role_required(Role.ADMIN)
def person_role_remove(request, pk):
    return _person_role_view(request, pk, add=False)


def _person_active_view(request, pk, *, active: bool):
    person = get_person_for_user(request, pk)
    back = reverse("coordinators:person-list")
    name = person.display_name
    if active:
        run = partial(services.person_reactivate, person=person, actor=request.user)
        done = (
            f"{name} is active again and can log in with their password (or choose a new one "
            "with “Forgot your password?”)."
        )
    else:
        run = partial(services.person_deactivate, person=person, actor=request.user)
        done = (
            f"{name} is deactivated: they can no longer log in, and they are left out of "
            "dashboards and new cycles. Their history is kept."
        )
    found = f"{name} was already {'active' if active else 'deactivated'}."
    return _person_transition(request, back, run, found=found, done=done)


@require_POST
@role_required(Role.ADMIN)
def person_deactivate(request, pk):
    return _person_active_view(request, pk, active=False)


@require_POST
@role_required(Role.ADMIN)
def person_reactivate(request, pk):
    return _person_active_view(request, pk, active=True)


# Pickers ----------------------------------------------------------------------------------


@require_GET
def picker_options(request, source):
    """One page of what the user may choose in a picker (coordinators/pickers.py), as JSON:
    ``?q=`` searches, ``?page=`` pages, ``?exclude=`` leaves one id out. A kind of picker the
    user may not use at all is a 403, whatever they search."""
    kind = pickers.SOURCES.get(source)
    if kind is None:
        raise Http404("No such picker.")
    check_role(request.user, *kind.roles)
    found = pickers.picker_page(
        kind,
        request.user,
        text=pickers.search_text(request.GET.get("q")),
        page=int_or_none(request.GET.get("page") or "1") or 1,
        exclude=int_or_none(request.GET.get("exclude") or ""),
    )
    response = JsonResponse(found.as_json())
    response["Cache-Control"] = "private, no-store"
    return response


# The organization's own settings ---------------------------------------------------------


class OrganizationSettingsView(StaleEditMixin, UpdateView):
    """The org admin's settings of the organization: the day its school year starts."""

    form_class = OrganizationSettingsForm
    template_name = "coordinators/organization_settings.html"

    def get_object(self, queryset=None):
        return get_organization_for_admin(self.request)

    def form_valid(self, form):
        organization = services.organization_school_year_set(
            organization=self.object,
            month=form.cleaned_data["school_year_start_month"],
            day=form.cleaned_data["school_year_start_day"],
            expected_version=form.expected_version,
        )
        year = organization.school_year_of(timezone.localdate())
        messages.success(
            self.request,
            f"Saved: this school year, {year.label}, started on {day_words(year.starts)}.",
        )
        return redirect("coordinators:organization-settings")
