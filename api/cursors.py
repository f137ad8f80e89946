"""Opaque page cursors: the position after the last row of a page, as URL-safe base64 of JSON.
A cursor that does not decode to that shape is refused (400), never guessed at."""

import base64
import binascii
import json
from datetime import UTC, datetime


class BadCursor(ValueError):
    pass


def cursor_encode(*, pk: int, updated_at: datetime | None = None) -> str:
    data = {"pk": pk}
    if updated_at is not None:
        data["at"] = updated_at.isoformat()
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def cursor_decode(text: str) -> tuple[int, datetime | None]:
    if len(text) > 200:
        raise BadCursor("cursor too long")
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        pk = data["pk"]
        at = datetime.fromisoformat(data["at"]) if "at" in data else None
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise BadCursor("malformed cursor") from exc
    if not isinstance(pk, int) or isinstance(pk, bool) or not 0 <= pk < 2**63:
        raise BadCursor("malformed cursor")
    if at is not None:
        if at.tzinfo is None:
            raise BadCursor("malformed cursor")
        try:
            at = at.astimezone(UTC)
        except OverflowError as exc:
            raise BadCursor("malformed cursor") from exc
    return pk, at
