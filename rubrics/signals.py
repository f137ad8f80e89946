"""Keep the cached words of a rubric version true: a level, category, indicator or
descriptor saved or deleted one at a time (Django's admin) clears its version's entry, and
renaming a role family clears those of its rubric's versions. The rubric editor only
changes drafts, which are never cached."""

from django.db.models.signals import post_delete, post_save

from coordinators.models import RoleFamily
from rubrics.models import Category, Descriptor, Indicator, Level, RubricVersion
from rubrics.text import rubric_text_forget


def _version_id(instance) -> int | None:
    if isinstance(instance, RubricVersion):
        return instance.pk
    if isinstance(instance, Level | Category):
        return instance.version_id
    if isinstance(instance, Indicator):
        rows = Category.objects.filter(pk=instance.category_id).values_list("version_id")
    else:
        rows = Indicator.objects.filter(pk=instance.indicator_id).values_list(
            "category__version_id"
        )
    return next((version_id for (version_id,) in rows), None)


def forget_rubric_text(sender, instance, **kwargs):
    version_id = _version_id(instance)
    if version_id is not None:
        rubric_text_forget([version_id])


for model in (RubricVersion, Level, Category, Indicator, Descriptor):
    post_save.connect(forget_rubric_text, sender=model, dispatch_uid=f"rubric-text-{model}")
    post_delete.connect(forget_rubric_text, sender=model, dispatch_uid=f"rubric-text-{model}")


def forget_family_rubric_texts(sender, instance, **kwargs):
    versions = RubricVersion.objects.filter(rubric__role_family=instance).values_list("pk")
    rubric_text_forget([pk for (pk,) in versions])


post_save.connect(forget_family_rubric_texts, sender=RoleFamily, dispatch_uid="rubric-text-family")
