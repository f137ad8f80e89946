"""The migration that gives indicators their key across versions: a version copied from the
one before shares its indicators' keys, matched by name and else by position; an indicator
added later, or another rubric's, has its own."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from coordinators.models import Organization, RoleFamily
from rubrics.models import Indicator

BEFORE = [("rubrics", "0001_take_over_rubric_tables")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_rubric(apps, org, family_name, versions):
    """A rubric whose versions have, per category "site", the indicators named in order."""
    model = apps.get_model
    # Only the rubrics app goes back; the other apps' tables stay as they are now.
    family = RoleFamily.objects.create(organization=org, name=family_name)
    rubric = model("rubrics", "Rubric").objects.create(
        organization_id=org.pk, role_family_id=family.pk
    )
    made = []
    for number, names in enumerate(versions, start=1):
        version = model("rubrics", "RubricVersion").objects.create(
            rubric=rubric, number=number, state="retired" if number < len(versions) else "published"
        )
        category = model("rubrics", "Category").objects.create(
            version=version, key="site", name="School site", order=1
        )
        made.append(
            {
                name: model("rubrics", "Indicator").objects.create(
                    category=category, name=name, order=order
                ).pk
                for order, name in enumerate(names, start=1)
            }
        )
    return made


@pytest.mark.django_db(transaction=True)  # SQLite changes its schema only outside a transaction
def test_copied_versions_share_keys_by_name_then_position():
    apps = migrate(BEFORE)
    org = Organization.objects.create(name="Old", slug="old")
    v1, v2, v3 = old_rubric(
        apps,
        org,
        "CSC",
        [
            ["Principal partnership", "Site team", "Family voice"],
            # reordered, one renamed in place (same position), one added
            ["Site team", "Principal partnership", "Family leadership", "Data use"],
            ["Site team", "Principal partnership", "Family leadership", "Data use"],
        ],
    )
    (other,) = old_rubric(apps, org, "Partners", [["Principal partnership"]])

    migrate(latest())

    def key(pk):
        return Indicator.objects.get(pk=pk).key

    for name in ("Principal partnership", "Site team"):
        assert key(v1[name]) == key(v2[name]) == key(v3[name])
    assert key(v1["Family voice"]) == key(v2["Family leadership"]) == key(v3["Family leadership"])
    assert key(v2["Data use"]) == key(v3["Data use"])
    assert key(v2["Data use"]) not in {key(pk) for pk in v1.values()}
    assert key(other["Principal partnership"]) != key(v1["Principal partnership"])
    assert Indicator.objects.values("key").distinct().count() == 5
