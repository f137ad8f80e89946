from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coordinators.school_years import SchoolYear, school_year_of
from coordinators.versioning import Versioned


class Organization(Versioned, models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The day the organization's school year starts (1 August unless it says otherwise):
    # partnership agreements, principal contacts and reports are per school year.
    school_year_start_month = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    school_year_start_day = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(school_year_start_month__gte=1, school_year_start_month__lte=12)
                & models.Q(school_year_start_day__gte=1, school_year_start_day__lte=31),
                name="organization_school_year_start_is_a_day",
            ),
        ]

    def __str__(self):
        return self.name

    def school_year_of(self, day) -> SchoolYear:
        """The school year ``day`` falls in."""
        return school_year_of(day, self.school_year_start_month, self.school_year_start_day)

    def school_year(self, start_year: int) -> SchoolYear:
        return SchoolYear(start_year, self.school_year_start_month, self.school_year_start_day)


# The user's fields whose saves the history does not record.
UNRECORDED_USER_FIELDS = frozenset({"password", "last_login"})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(Versioned, AbstractUser):
    """A person who logs in with their email address; belongs to at most one organization.
    The version covers everything the person page edits: login, name, roles and profile."""

    username = None
    email = models.EmailField("email address", unique=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()
    # What an admin changes on the person page. The password and the time of the last login
    # are left out, and a save of only those (every login) leaves no record at all.
    # When the person last changed (the read API's sync); every version bump stamps it too.
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "updated_at"])

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        """Save; a save of only the password or the last login (a login, a password reset)
        is not a change anyone reads in the person's history, so it records none."""
        fields = kwargs.get("update_fields")
        if fields is None or not set(fields) <= UNRECORDED_USER_FIELDS:
            return super().save(*args, **kwargs)
        self.skip_history_when_saving = True
        try:
            return super().save(*args, **kwargs)
        finally:
            del self.skip_history_when_saving

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    DIRECTOR = "director", "Director"
    ADMIN = "admin", "Org admin"


class Membership(models.Model):
    """One role of a user in their organization; a user may hold several roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    # Each role given or taken away, by whom and when, for the person's history.
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="membership_one_per_role"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class SchoolLevel(models.TextChoices):
    ELEMENTARY = "elementary", "Elementary"
    MIDDLE = "middle", "Middle"
    HIGH = "high", "High"
    K8 = "k8", "K-8"
    OTHER = "other", "Other"


class SchoolSetting(models.TextChoices):
    URBAN = "urban", "Urban"
    SUBURBAN = "suburban", "Suburban"
    RURAL = "rural", "Rural"


class School(Versioned, models.Model):
    Level = SchoolLevel
    Setting = SchoolSetting

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="schools")
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=SchoolLevel.choices)
    setting = models.CharField(max_length=20, choices=SchoolSetting.choices)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="school_name_unique_in_org"
            ),
            models.CheckConstraint(
                condition=Q(level__in=SchoolLevel.values), name="school_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(setting__in=SchoolSetting.values), name="school_setting_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Team(Versioned, models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    director = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="directed_teams"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="team_name_unique_in_org"
            ),
        ]

    def __str__(self):
        return self.name


class RoleFamily(Versioned, models.Model):
    """A kind of job (community school coordinator, instructional coach ...) with its own rubric."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="role_families"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "role families"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="role_family_name_unique_in_org"
            ),
        ]

    def __str__(self):
        return self.name


class LeavingReason(models.TextChoices):
    """Why a person left the organization, in categories the retention report counts by."""

    RESIGNED = "resigned", "Resigned"
    RETIRED = "retired", "Retired"
    CONTRACT_ENDED = "contract_ended", "Contract or funding ended"
    OTHER_ROLE = "other_role", "Moved to another role in the organization"
    DISMISSED = "dismissed", "Dismissed"
    OTHER = "other", "Other"
    NOT_RECORDED = "not_recorded", "Not recorded"


class CoordinatorProfile(models.Model):
    """The assessed person: role family, team, school sites and tenure, and the day they
    left the organization with the reason, once they have. A day always has a reason; a
    person who left before days were recorded, on a day nobody knows, has the reason "not
    recorded" and no day."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="profiles"
    )
    role_family = models.ForeignKey(RoleFamily, on_delete=models.PROTECT, related_name="profiles")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="profiles"
    )
    schools = models.ManyToManyField(School, blank=True, related_name="profiles")
    job_title = models.CharField(max_length=200, blank=True)
    role_start_date = models.DateField(help_text="First day in this role; tenure counts from here.")
    active = models.BooleanField(default=True)
    left_on = models.DateField("left the organization on", null=True, blank=True)
    leaving_reason = models.CharField(
        "reason for leaving", max_length=20, choices=LeavingReason.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["organization", "updated_at"])

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | ~Q(leaving_reason=""),
                name="profile_leaving_has_day_and_reason",
            ),
        ]

    def __str__(self):
        return self.user.display_name
