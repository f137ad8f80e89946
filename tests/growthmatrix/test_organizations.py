"""A new organization (the tests' ``org`` is made by ``organization_create``) starts with what
its people need on the first day: a role family with its rubric, career stages, thresholds."""


def test_new_organization_gets_default_family_stages_and_thresholds(org):
    assert list(org.role_families.values_list("name", flat=True)) == [
        "Community school coordinator"
    ]
    assert [s.title for s in org.career_stages.all()] == [
        "Coordinator I",
        "Coordinator II",
        "Senior Coordinator",
        "Lead Coordinator / Mentor",
    ]
    assert org.flag_thresholds.site_gap_levels == 1
