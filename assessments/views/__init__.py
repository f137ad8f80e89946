"""Views of the assessments app, one module per area (workflow, cycles, dashboards, rubrics)."""
