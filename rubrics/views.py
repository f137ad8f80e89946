"""The org admin's rubric editor: role families, versions, drafts edited one category per
screen, comparison, publishing and history. Admins only, always within their organization."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import FormView, UpdateView

from coordinators.access import RoleRequiredMixin, role_required
from coordinators.form_helpers import StaleEditMixin, int_or_none
from coordinators.models import CoordinatorProfile, Role, RoleFamily
from coordinators.redirects import redirect_to_next
from rubrics.access import get_role_family_for_user, get_rubric_version_for_user
from rubrics.forms import (
    CategoryEditForm,
    LevelNamesForm,
    RoleFamilyAssignForm,
    RoleFamilyCreateForm,
    RoleFamilyRenameForm,
    category_text_fields,
)
from rubrics.models import CategoryKey, RubricVersion
from rubrics.selectors import (
    open_assessments_on_current,
    role_families_overview,
    rubric_grid_problems,
    rubric_version_history,
    rubric_version_matrix,
    rubric_versions_compare,
    rubric_versions_with_usage,
)
from rubrics.services import (
    RubricEditConflict,
    RubricIncomplete,
    RubricNotEditable,
    role_family_assign,
    role_family_create_from,
    rubric_category_save,
    rubric_levels_rename,
    rubric_version_discard,
    rubric_version_new_draft,
    rubric_version_publish,
)

CONFLICT_MESSAGE = (
    "Someone else saved this draft after you opened it, so your changes were not saved. "
    "Your text is still in the form below, with what was saved meanwhile shown under each "
    "field that differs. Review it, then save again."
)
CARRY_CONFLICT = (
    "Draft v{number} was already open and this category changed in it since it was copied, "
    "so your text was not saved yet. It is in the form below, with the draft's words shown "
    "under each field that differs. Review it, then save."
)
CARRY_INCOMPLETE = (
    "Your text was not applied: the page sent only part of it. Nothing was changed; copy what "
    "you need from below."
)
CARRY_OTHER_INDICATORS = (
    "Your text was not applied to draft v{number}: this category has other indicators there, "
    "so there is no sure place for each text. Nothing was changed in the draft; copy what you "
    "need from below."
)
STILL_A_DRAFT = "This version is still a draft: your text is in the form below. Save it there."
NOT_DRAFT_MESSAGE = "This version is no longer a draft (it was published or discarded meanwhile)."


# The category key of a URL ----------------------------------------------------------------


def _category_key_or_404(key: str) -> str:
    if key not in CategoryKey.values:
        raise Http404("No such category.")
    return key


# Role families ----------------------------------------------------------------------------


@role_required(Role.ADMIN)
def role_family_list(request):
    families = role_families_overview(organization_id=request.user.organization_id)
    return render(request, "rubrics/role_family_list.html", {"families": families})


class RoleFamilyCreateView(RoleRequiredMixin, FormView):
    required_roles = (Role.ADMIN,)
    form_class = RoleFamilyCreateForm
    template_name = "rubrics/role_family_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organization": self.request.user.organization,
            "families": role_families_overview(organization_id=self.request.user.organization_id),
        }

    def form_valid(self, form):
        kind, source = form.cleaned_data["source"]
        source_version = None
        if kind == "family":
            source_version = (
                RubricVersion.objects.filter(
                    rubric__role_family_id=source,
                    rubric__organization_id=self.request.user.organization_id,
                    state=RubricVersion.State.PUBLISHED,
                )
                .select_related("rubric")
                .first()
            )
            if source_version is None:
                form.add_error("source", "That family has no published rubric to copy.")
                return self.form_invalid(form)
        family = role_family_create_from(
            organization=self.request.user.organization,
            name=form.cleaned_data["name"],
            source_version=source_version,
            default_data=source if kind == "default" else None,
            actor=self.request.user,
        )
        messages.success(
            self.request,
            f"“{family.name}” created with its own rubric (version 1, published). Make a new "
            "draft to adapt it, and move its people into it from “People and role families”.",
        )
        return redirect("rubrics:rubric-detail", pk=family.pk)


class RoleFamilyUpdateView(StaleEditMixin, RoleRequiredMixin, UpdateView):
    required_roles = (Role.ADMIN,)
    form_class = RoleFamilyRenameForm
    template_name = "rubrics/role_family_form.html"
    context_object_name = "family"

    def get_object(self, queryset=None):
        return get_role_family_for_user(self.request, self.kwargs["pk"])

    def form_valid(self, form):
        family = form.save()
        messages.success(self.request, f"Role family renamed to “{family.name}”.")
        return redirect("rubrics:rubric-detail", pk=family.pk)


@role_required(Role.ADMIN)
def role_family_people(request):
    """Everyone with a coordinator profile and their role family, to move people between
    families. Filtered by family, 50 to a page."""
    organization_id = request.user.organization_id
    families = list(RoleFamily.objects.filter(organization_id=organization_id).order_by("name"))
    profiles = (
        CoordinatorProfile.objects.filter(organization_id=organization_id)
        .select_related("user", "role_family", "team")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    selected = request.GET.get("family", "")
    if (family_pk := int_or_none(selected)) is not None:
        profiles = profiles.filter(role_family_id=family_pk)
    page = Paginator(profiles, 50).get_page(request.GET.get("page"))
    form = RoleFamilyAssignForm(organization=request.user.organization)
    return render(
        request,
        "rubrics/role_family_people.html",
        {"families": families, "page_obj": page, "selected": selected, "form": form},
    )


@require_POST
@role_required(Role.ADMIN)
def role_family_assign_view(request):
    form = RoleFamilyAssignForm(request.POST, organization=request.user.organization)
    if form.is_valid():
        family = form.cleaned_data["role_family"]
        changed = role_family_assign(profiles=form.cleaned_data["profiles"], role_family=family)
        messages.success(
            request,
            f"{changed} {'person' if changed == 1 else 'people'} moved to “{family.name}”. "
            "Their next assessment uses that family's rubric; past ones keep theirs.",
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect_to_next(request, reverse("rubrics:role-family-people"))


# A rubric and its versions ----------------------------------------------------------------


def rubric_detail(request, pk):
    """A role family's current rubric as the full matrix, and every version of it."""
    family = get_role_family_for_user(request, pk)
    versions = rubric_versions_with_usage(rubric=family.rubric)
    current = next((v for v in versions if v.state == RubricVersion.State.PUBLISHED), None)
    draft = next((v for v in versions if v.state == RubricVersion.State.DRAFT), None)
    return render(
        request,
        "rubrics/rubric_detail.html",
        {
            "family": family,
            "versions": versions,
            "current": current,
            "draft": draft,
            "matrix": rubric_version_matrix(version=current) if current else None,
        },
    )


def rubric_version_detail(request, pk):
    """Any version, word for word, as the assessments made against it show it."""
    version = get_rubric_version_for_user(request, pk)
    return render(
        request,
        "rubrics/rubric_version_detail.html",
        {
            "version": version,
            "family": version.rubric.role_family,
            "matrix": rubric_version_matrix(version=version),
            "assessment_count": version.assessments.count(),
        },
    )


@require_POST
def rubric_draft_create(request, pk):
    family = get_role_family_for_user(request, pk)
    draft, created = rubric_version_new_draft(rubric=family.rubric, actor=request.user)
    if created:
        messages.success(
            request,
            f"Draft v{draft.number} created from the current version. Nothing changes for "
            "anyone until you publish it.",
        )
    else:
        messages.info(request, f"Draft v{draft.number} was already open; continue editing it.")
    return redirect("rubrics:rubric-draft", pk=draft.pk)


# Editing a draft --------------------------------------------------------------------------


def _problem_links(version, problems):
    """Each problem with the URL of the field that fixes it."""
    overview = reverse("rubrics:rubric-draft", args=[version.pk])
    links = []
    for problem in problems:
        if problem.category_key is None:
            url = f"{overview}#{problem.anchor}"
        else:
            url = (
                reverse("rubrics:rubric-category-edit", args=[version.pk, problem.category_key])
                + f"#{problem.anchor}"
            )
        links.append({"message": problem.message, "url": url, "key": problem.category_key})
    return links


def rubric_draft(request, pk):
    """The draft's overview: level names, the four categories with their gaps, and the ways
    on: edit a category, compare, publish, discard, history."""
    version = get_rubric_version_for_user(request, pk, draft=True)
    matrix = rubric_version_matrix(version=version)
    form = LevelNamesForm(
        request.POST or None,
        levels=matrix.levels,
        initial={"lock_version": version.lock_version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            rubric_levels_rename(
                version=version,
                names=form.names,
                lock_version=form.cleaned_data["lock_version"],
                actor=request.user,
            )
        except RubricEditConflict:
            messages.error(
                request,
                "Someone else saved this draft after you opened it, so the level names were "
                "not saved. The names below are the current ones; change them again if needed.",
            )
        except RubricNotEditable:
            messages.error(request, NOT_DRAFT_MESSAGE)
            return redirect("rubrics:rubric-detail", pk=version.rubric.role_family_id)
        else:
            messages.success(request, "Level names saved.")
        return redirect("rubrics:rubric-draft", pk=version.pk)
    problems = _problem_links(version, rubric_grid_problems(matrix))
    current = (
        RubricVersion.objects.filter(rubric_id=version.rubric_id, state="published")
        .only("pk", "number")
        .first()
    )
    categories = [
        {
            "row": category,
            "problem_count": sum(1 for p in problems if p["key"] == category.key),
        }
        for category in matrix.categories
    ]
    return render(
        request,
        "rubrics/rubric_draft.html",
        {
            "version": version,
            "family": version.rubric.role_family,
            "form": form,
            "categories": categories,
            "problems": problems,
            "current": current,
            "staying_on_current": open_assessments_on_current(rubric=version.rubric),
        },
    )


def _category_form(version, key, data=None):
    matrix = rubric_version_matrix(version=version)
    category = matrix.category(key)
    if category is None:
        raise Http404("No such category in this version.")
    cells = {
        (row.indicator.pk, cell.level.value): cell.text
        for row in category.indicators
        for cell in row.cells
    }
    form = CategoryEditForm(
        data,
        category=category.category,
        indicators=[row.indicator for row in category.indicators],
        levels=matrix.levels,
        cells=cells,
        initial={"lock_version": version.lock_version},
    )
    return form, matrix, cells


def rubric_category_edit(request, pk, key):
    """One category of a draft with every indicator and every descriptor on one screen. A save
    that finds the version published meanwhile keeps what was typed (_render_published)."""
    version = get_rubric_version_for_user(request, pk, draft=request.method != "POST")
    key = _category_key_or_404(key)
    if request.method != "POST":
        form, matrix, _cells = _category_form(version, key)
        return _render_category(request, version, key, form, matrix)
    if not version.is_editable:
        return _render_published(request, version, key, request.POST)

    form, matrix, _cells = _category_form(version, key, request.POST)
    if not form.is_valid():
        return _render_category(request, version, key, form, matrix, status=400)
    try:
        rubric_category_save(
            version=version, category_key=key, actor=request.user, **form.service_kwargs()
        )
    except RubricNotEditable:
        version = get_rubric_version_for_user(request, pk)
        return _render_published(request, version, key, request.POST)
    except RubricEditConflict as conflict:
        return _render_conflict(request, version, key, conflict.version)
    then = request.POST.get("then", "")
    if then in CategoryKey.values and then != key:
        # Saved on the way to another category's tab: go there, as the tab asked.
        messages.success(request, "Saved your changes before switching category.")
        return redirect("rubrics:rubric-category-edit", pk=version.pk, key=then)
    messages.success(request, "Saved.")
    anchor = ""
    action = form.cleaned_data.get("action")
    if action and action[0] in ("up", "down"):
        anchor = f"#indicator-{action[1]}"
    return redirect(reverse("rubrics:rubric-category-edit", args=[version.pk, key]) + anchor)


def _render_conflict(request, version, key, fresh_version, data=None, message=CONFLICT_MESSAGE):
    """Keep what the admin typed (``data``, else the POST), show what was saved meanwhile
    beside it, and arm the form with the current lock so that saving again is a deliberate
    choice."""
    version.lock_version = fresh_version.lock_version
    _blank, matrix, current_cells = _category_form(version, key)
    category = matrix.category(key)
    data = (request.POST if data is None else data).copy()
    data["lock_version"] = str(fresh_version.lock_version)
    data.pop("action", None)
    current = {
        "category-name": category.category.name,
        "category-description": category.category.description,
    }
    for row in category.indicators:
        current[f"ind-{row.indicator.pk}-name"] = row.indicator.name
        for cell in row.cells:
            current[f"ind-{row.indicator.pk}-d{cell.level.value}"] = cell.text
    conflicts = {}
    for name, saved in current.items():
        if name not in data:
            data[name] = saved  # added by the other admin: keep it, do not wipe it
        elif data[name].strip() != saved.strip():
            conflicts[name] = saved or "(empty)"
    form, matrix, _cells = _category_form(version, key, data)
    form.is_valid()
    form.conflicts = conflicts
    messages.error(request, message)
    return _render_category(request, version, key, form, matrix, status=409)


# A save that found the version published meanwhile ------------------------------------------


def _render_published(request, version, key, data, *, refusal="", draft=None):
    """The version was published while the admin typed: say by whom and when, show what was
    typed, and offer to carry it to the rubric's draft (a new one if none is open). With a
    ``refusal``, carrying it was tried and did not happen, for that reason."""
    typed, _matrix, _cells = _category_form(version, key, data)
    fields = typed.typed_fields()
    versions = RubricVersion.objects.filter(rubric_id=version.rubric_id)
    return render(
        request,
        "rubrics/rubric_category_published.html",
        {
            "version": version,
            "family": version.rubric.role_family,
            "category": typed.category,
            "fields": fields,
            "changed": [field for field in fields if field["changed"]],
            "draft": draft or versions.filter(state=RubricVersion.State.DRAFT).first(),
            "current": versions.filter(state=RubricVersion.State.PUBLISHED).first(),
            "next_number": (versions.aggregate(top=Max("number"))["top"] or 0) + 1,
            "refusal": refusal,
        },
        status=409,
    )


def _grid_category(version, key):
    grid = rubric_version_matrix(version=version)
    category = grid.category(key)
    if category is None:
        raise Http404("No such category in this version.")
    return category, grid.levels


@require_POST
def rubric_category_carry(request, pk, key):
    """Text typed against version ``pk`` after it was published, saved into the rubric's draft
    (made from the published version if none is open) with the normal save. A draft whose
    category changed meanwhile shows both texts first; one with other indicators is left alone,
    and the page says so."""
    source = get_rubric_version_for_user(request, pk)
    key = _category_key_or_404(key)
    if source.is_editable:
        return _render_conflict(request, source, key, source, message=STILL_A_DRAFT)
    before, levels = _grid_category(source, key)
    sent = category_text_fields([row.indicator for row in before.indicators], levels)
    if any(name not in request.POST for name in sent):
        return _render_published(request, source, key, request.POST, refusal=CARRY_INCOMPLETE)
    draft, created = rubric_version_new_draft(rubric=source.rubric, actor=request.user)
    after, _levels = _grid_category(draft, key)
    target = category_text_fields([row.indicator for row in after.indicators], levels)
    if len(target) != len(sent):
        refusal = CARRY_OTHER_INDICATORS.format(number=draft.number)
        return _render_published(request, source, key, request.POST, refusal=refusal, draft=draft)
    data = QueryDict(mutable=True)
    data["lock_version"] = str(draft.lock_version)
    for old, new in zip(sent, target, strict=True):
        data[new] = request.POST[old]
    if not created and before.words() != after.words():
        message = CARRY_CONFLICT.format(number=draft.number)
        return _render_conflict(request, draft, key, draft, data=data, message=message)
    form, matrix, _cells = _category_form(draft, key, data)
    if not form.is_valid():
        return _render_category(request, draft, key, form, matrix, status=400)
    try:
        rubric_category_save(
            version=draft, category_key=key, actor=request.user, **form.service_kwargs()
        )
    except RubricNotEditable:
        return _render_published(request, get_rubric_version_for_user(request, draft.pk), key, data)
    except RubricEditConflict as conflict:
        return _render_conflict(request, draft, key, conflict.version, data=data)
    if created:
        text = f"Draft v{draft.number} created from version {source.number} with your text."
    else:
        text = f"Your text is saved in draft v{draft.number}, which was already open."
    messages.success(request, text + " Nothing changes for anyone until it is published.")
    return redirect("rubrics:rubric-category-edit", pk=draft.pk, key=key)


def _render_category(request, version, key, form, matrix, status=200):
    problems = [p for p in _problem_links(version, rubric_grid_problems(matrix)) if p["key"] == key]
    conflicts = getattr(form, "conflicts", {})
    rows = []
    for row in form.indicator_rows():
        row["name_conflict"] = conflicts.get(row["name"].html_name)
        row["cell_items"] = [(field, conflicts.get(field.html_name)) for field in row["cells"]]
        rows.append(row)
    return render(
        request,
        "rubrics/rubric_category_form.html",
        {
            "version": version,
            "family": version.rubric.role_family,
            "form": form,
            "rows": rows,
            "new_row": form.new_row(),
            "category": matrix.category(key).category,
            "categories": [c.category for c in matrix.categories],
            "levels": matrix.levels,
            "problems": problems,
            "conflicts": bool(conflicts),
            "name_conflict": conflicts.get("category-name"),
            "description_conflict": conflicts.get("category-description"),
        },
        status=status,
    )


def rubric_compare(request, pk):
    """Side by side: the current version (or ``?against=<pk>``) and this one."""
    version = get_rubric_version_for_user(request, pk)
    others = RubricVersion.objects.filter(rubric_id=version.rubric_id).exclude(pk=version.pk)
    against = None
    against_pk = int_or_none(request.GET.get("against", ""))
    if against_pk is not None:
        against = others.filter(pk=against_pk).first()
    if against is None:
        against = (
            others.filter(state=RubricVersion.State.PUBLISHED).first()
            or others.filter(number__lt=version.number).order_by("-number").first()
        )
    comparison = rubric_versions_compare(old=against, new=version) if against else None
    problems = []
    if version.is_editable:
        # Publishing is offered only when it can succeed: the same check the service runs.
        grid = comparison.new if comparison else rubric_version_matrix(version=version)
        problems = rubric_grid_problems(grid)
    return render(
        request,
        "rubrics/rubric_compare.html",
        {
            "version": version,
            "against": against,
            "family": version.rubric.role_family,
            "comparison": comparison,
            "others": others.order_by("-number"),
            "current": others.filter(state=RubricVersion.State.PUBLISHED).first(),
            "staying_on_current": open_assessments_on_current(rubric=version.rubric),
            "problems": problems,
            "problems_url": reverse("rubrics:rubric-draft", args=[version.pk]),
        },
    )


@require_POST
def rubric_publish(request, pk):
    version = get_rubric_version_for_user(request, pk)
    lock = request.POST.get("lock_version", "")
    staying = open_assessments_on_current(rubric=version.rubric)
    try:
        rubric_version_publish(
            version=version,
            actor=request.user,
            lock_version=int_or_none(lock),
        )
    except RubricIncomplete as refused:
        count = len(refused.problems)
        messages.error(
            request,
            f"Not published: {count} problem{'s' if count != 1 else ''} must be fixed first. "
            "Each is listed below with a link to the place to fix it.",
        )
        return redirect("rubrics:rubric-draft", pk=version.pk)
    except RubricEditConflict:
        messages.error(
            request,
            "Not published: the draft changed after you opened this page. Look over the "
            "comparison again, then publish.",
        )
        return redirect("rubrics:rubric-compare", pk=version.pk)
    except RubricNotEditable:
        messages.error(request, NOT_DRAFT_MESSAGE)
        return redirect("rubrics:rubric-detail", pk=version.rubric.role_family_id)
    if staying == 1:
        kept = (
            ", so the 1 assessment under way in the open cycle stays on the version it "
            "started with."
        )
    elif staying:
        kept = (
            f", so the {staying} assessments under way in the open cycle stay on the version "
            "they started with."
        )
    else:
        kept = "."
    messages.success(
        request,
        f"Version {version.number} is now the current rubric for {version.rubric.role_family}. "
        "It applies from the next cycle opened: a cycle keeps the version it opened with" + kept,
    )
    return redirect("rubrics:rubric-detail", pk=version.rubric.role_family_id)


@require_POST
def rubric_discard(request, pk):
    version = get_rubric_version_for_user(request, pk)
    lock = request.POST.get("lock_version", "")
    try:
        rubric_version_discard(version=version, lock_version=int_or_none(lock))
    except RubricEditConflict:
        messages.error(
            request, "Not discarded: someone saved this draft after you opened the page."
        )
        return redirect("rubrics:rubric-draft", pk=version.pk)
    except RubricNotEditable:
        messages.error(request, "Only a draft can be discarded; this version is in use.")
    else:
        messages.success(request, f"Draft v{version.number} discarded.")
    return redirect("rubrics:rubric-detail", pk=version.rubric.role_family_id)


def rubric_history(request, pk):
    version = get_rubric_version_for_user(request, pk)
    entries = rubric_version_history(version=version)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "rubrics/rubric_history.html",
        {"version": version, "family": version.rubric.role_family, "page_obj": page},
    )
