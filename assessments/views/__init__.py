"""Views of the assessments app, one module per area: the workflow and the cycles."""
