from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from coordinators.models import (
    CoordinatorProfile,
    Membership,
    Organization,
    RoleFamily,
    School,
    Team,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "organization", "is_active", "is_staff"]
    list_filter = ["organization", "is_active", "is_staff", "memberships__role"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "organization"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "organization", "password1", "password2"]},
        ),
    ]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role"]
    list_filter = ["role", "user__organization"]
    search_fields = ["user__email"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "level", "setting", "active"]
    list_filter = ["organization", "level", "setting", "active"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "director"]
    list_filter = ["organization"]
    search_fields = ["name", "director__email"]


@admin.register(RoleFamily)
class RoleFamilyAdmin(admin.ModelAdmin):
    list_display = ["name", "organization"]
    list_filter = ["organization"]
    search_fields = ["name"]


@admin.register(CoordinatorProfile)
class CoordinatorProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role_family", "team", "role_start_date", "active"]
    list_filter = ["organization", "role_family", "team", "active"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "job_title"]
    filter_horizontal = ["schools"]
    raw_id_fields = ["user"]
