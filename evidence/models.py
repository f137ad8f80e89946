from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, Rating
from coordinators.models import Organization
from evidence.files import link_domain, megabytes, shown_inline
from growth.models import CheckIn


class Attachment(models.Model):
    """A file or a titled link attached as evidence to exactly one owner: a coordinator's
    rating of one indicator, a director's review of an assessment, or a check-in. Each owner
    kind is one
    nullable foreign key, and a constraint keeps exactly one of them set; the access rules
    (evidence/access.py) follow the owner's. A file lives in the private storage under
    ``file_name``; a link is only its ``url``."""

    class Owner(models.TextChoices):
        RATING = "rating", "a rating"
        REVIEW = "review", "a review"
        CHECK_IN = "check_in", "a check-in"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="attachments"
    )
    rating = models.ForeignKey(
        Rating, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    review = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_attachments",
    )
    check_in = models.ForeignKey(
        CheckIn, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=2000, blank=True)
    file_name = models.CharField(max_length=300, blank=True)
    download_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=False, review__isnull=True, check_in__isnull=True)
                | Q(rating__isnull=True, review__isnull=False, check_in__isnull=True)
                | Q(rating__isnull=True, review__isnull=True, check_in__isnull=False),
                name="attachment_has_exactly_one_owner",
            ),
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file_name="")) | (~Q(url="") & Q(file_name="")),
                name="attachment_is_a_file_or_a_link",
            ),
        ]
        indexes = [models.Index(fields=["organization", "size"], name="attachment_org_size")]

    def __str__(self):
        return self.title

    @property
    def is_link(self) -> bool:
        return bool(self.url)

    @property
    def owner_kind(self) -> str:
        if self.rating_id:
            return self.Owner.RATING
        return self.Owner.CHECK_IN if self.check_in_id else self.Owner.REVIEW

    @property
    def domain(self) -> str:
        return link_domain(self.url)

    @property
    def size_words(self) -> str:
        return megabytes(self.size)

    @property
    def opens_inline(self) -> bool:
        return shown_inline(self.content_type)
