"""Views of the assessments app, one module per area: the workflow, the cycles and
sharing a review's coaching notes."""
