"""The read API, version 1: /api/v1/<what>/ with a bearer token of the organization; JSON
pages with a ``next_cursor``, oldest change first, each list narrowed by ``updated_since``;
deletions in /api/v1/changes/; the OpenAPI schema at /api/v1/openapi.json and its docs page
at /api/v1/docs (Swagger UI served from our own static files, under the site's CSP)."""

from datetime import UTC, datetime
from typing import Literal

from django.http import JsonResponse
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError

from api import selectors
from api.auth import TokenAuth
from api.cursors import BadCursor
from api.reports import BadFilter, report_tables
from coordinators.ratelimits import RateLimited

api = NinjaAPI(
    title="Growth Matrix read API",
    version="1",
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs_url="/docs",
    description="Read-only, one organization per token (send it as `Authorization: Bearer "
    "<token>`). Lists come oldest change first in pages of up to `limit` rows; pass "
    "`next_cursor` back as `cursor` for the next page, or `updated_since` (the time of your "
    "last sync) for only what changed; `/changes/` lists what was deleted.",
)


class PageQuery(Schema):
    cursor: str | None = None
    limit: int = 100
    updated_since: datetime | None = None


class CycleQuery(PageQuery):
    cycle: int | None = None


def _limit(value: int) -> int:
    return max(1, min(value, 500))


def _organization(request):
    return request.api_token.organization_id


@api.exception_handler(BadCursor)
def bad_cursor(request, exc):
    return JsonResponse(
        {"detail": "Malformed cursor: pass back a next_cursor unchanged."}, status=400
    )


@api.exception_handler(BadFilter)
def bad_filter(request, exc):
    return JsonResponse({"detail": "Invalid report filter.", "errors": exc.errors}, status=400)


@api.exception_handler(RateLimited)
def rate_limited(request, exc):
    response = JsonResponse({"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    response = JsonResponse({"detail": "A valid, unrevoked API token is required."}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


# Nothing was recorded before this: an earlier updated_since asks for everything, as this does.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


class BadTime(ValueError):
    pass


@api.exception_handler(BadTime)
def bad_time(request, exc):
    return JsonResponse({"detail": "updated_since is not a time that can be compared."}, status=400)


def _page_of(q: PageQuery) -> dict:
    since = q.updated_since
    if since is not None:
        if timezone.is_naive(since):
            since = timezone.make_aware(since)  # a time without its zone is the organization's
        try:
            since = max(since.astimezone(UTC), EARLIEST)
        except OverflowError as exc:
            raise BadTime from exc
    return {"cursor": q.cursor, "limit": _limit(q.limit), "updated_since": since}


@api.get("/schools/", summary="School sites")
def schools(request, q: Query[PageQuery]):
    return selectors.schools_page(_organization(request), **_page_of(q))


@api.get("/teams/", summary="Teams and their directors")
def teams(request, q: Query[PageQuery]):
    return selectors.teams_page(_organization(request), **_page_of(q))


@api.get("/people/", summary="People: names, work email, roles")
def people(request, q: Query[PageQuery]):
    return selectors.people_page(_organization(request), **_page_of(q))


@api.get("/cycles/", summary="Assessment cycles")
def cycles(request, q: Query[PageQuery]):
    return selectors.cycles_page(_organization(request), **_page_of(q))


@api.get("/assessments/", summary="Assessments with their category levels, oldest change first")
def assessments(request, q: Query[CycleQuery]):
    return selectors.assessments_page(_organization(request), cycle=q.cycle, **_page_of(q))


@api.get("/flags/", summary="Each person's flags in each cycle, as the dashboards show them")
def flags(request, q: Query[CycleQuery]):
    return selectors.flags_page(_organization(request), cycle=q.cycle, **_page_of(q))


@api.get("/changes/", summary="The changes feed: what was deleted, oldest first")
def changes(request, q: Query[PageQuery]):
    return selectors.changes_page(_organization(request), **_page_of(q))


@api.get(
    "/reports/{slug}/",
    summary="A report's tables as its page shows them: groups of fewer than 5 people hidden",
)
def report(request, slug: Literal["impact", "retention", "calibration"]):
    """The filters of the report's page (`cycle_from`, `cycle_to`, `role_family`,
    `school_level`, `setting`, and `split`, `group` or `pre_post`) narrow it."""
    return report_tables(request.api_token.organization, slug, request.GET)
