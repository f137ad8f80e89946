"""Fixtures of the rubric tests: the organization's one role family and a new draft of its
rubric."""

import pytest

from rubrics.services import rubric_version_new_draft


@pytest.fixture
def family(org):
    """The role family every new organization starts with."""
    return org.role_families.get()


@pytest.fixture
def draft(family, admin_user):
    """A new draft of the family's rubric, copied from its published version."""
    version, created = rubric_version_new_draft(rubric=family.rubric, actor=admin_user)
    assert created
    return version
