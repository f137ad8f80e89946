"""How the access table and the hostile-input tests reach the roster import's URL names."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.access_world import DB_TASKS, UrlCase


def schools_csv() -> SimpleUploadedFile:
    """A schools sheet of one valid row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("name", "level", "setting"))
    writer.writerow(("Harbor Middle", "middle", "urban"))
    return SimpleUploadedFile("schools.csv", buffer.getvalue().encode(), content_type="text/csv")


def _upload(world, actor, client) -> dict:
    return {"file": schools_csv()}


def _confirm(world, actor, client) -> dict:
    """The token of a preview the same person uploaded just before ("none" if they may not)."""
    preview = client.post(reverse("roster:roster-import"), {"file": schools_csv()})
    token = preview.context["token"] if preview.status_code == 200 else "none"
    return {"token": token}


CASES = [
    UrlCase("roster:roster-import", post=_upload),
    UrlCase("roster:roster-import-confirm", post=_confirm, texts=("token",)),
    UrlCase(
        "roster:roster-import-status",
        kwargs=lambda world: {"result_id": world.import_result_id},
        settings={"TASKS": DB_TASKS},
    ),
    UrlCase("roster:roster-template", kwargs=lambda world: {"kind": "people"}),
]
