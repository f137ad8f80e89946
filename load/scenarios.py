"""What the simulated people do: coordinators save drafts (in the background, as the matrix
page does, and with its button) and submit, directors open the dashboard and finalize, admins
look at the overview and export the whole organization. Each stops at the deadline.

Each person is a function of their account number, a Session (load/harness.py), ``start``
(which waits for the window to open and returns its deadline) and the ledger of what they
were told was saved. Locust runs them (load/locustfile.py); so do the tests.
"""

import json
import os
import random
import re
import time
from urllib.parse import urlsplit

from growthmatrix.management.commands._demo_reports import LEAVERS
from load.harness import Session, database

PASSWORD = "growth-matrix-demo"
VERSION = re.compile(r'name="version" id="id_version" value="(\d+)"')
LEVEL_NAMES = re.compile(r'name="((?:supervisor_)?level_\d+)"')
ASSESSMENT_LINK = re.compile(r'href="/assessments/(\d+)/"')
REVIEW_LINK = re.compile(r'href="(/assessments/\d+/review/)"')
MATRIX_FORM = 'id="matrix-form"'
EXPORT_FORM = 'method="post"'
DOWNLOAD_LINK = re.compile(r'href="(/exports/\d+/download/)"')
WARM_UP = "warm-up"  # the label of the requests made before the window
# Every pause multiplied by this (LOAD_PAUSE_SCALE): 0.1 plays a person's minute in six seconds.
PAUSE_SCALE = float(os.environ.get("LOAD_PAUSE_SCALE", "1"))


def think(deadline: float, low=1.0, high=3.0) -> bool:
    """A person's pause between clicks; False when the window closes during it, and then they
    stop rather than all click at the closing instant together."""
    pause = random.uniform(low, high) * PAUSE_SCALE
    if time.monotonic() + pause >= deadline:
        time.sleep(max(0.0, deadline - time.monotonic()))
        return False
    time.sleep(pause)
    return True


def matrix_fields(page: str, prefix: str, text_prefix: str) -> tuple[int | None, list[int]]:
    version = VERSION.search(page)
    ids = sorted(
        {int(n.rsplit("_", 1)[1]) for n in LEVEL_NAMES.findall(page) if n.startswith(prefix)}
    )
    return (int(version.group(1)) if version else None), ids


def self_data(session: Session, version: int, ids: list[int], token: str) -> tuple[dict, dict]:
    """What the matrix page posts (a level and evidence naming ``token`` for every indicator),
    and the levels chosen."""
    levels = {i: random.randint(1, 3) for i in ids}
    data = {"csrfmiddlewaretoken": session.cookie("csrftoken"), "version": version}
    data.update({f"level_{i}": level for i, level in levels.items()})
    data.update({f"evidence_{i}": f"{token} evidence for indicator {i}" for i in ids})
    return data, levels


def review_data(session: Session, version: int, ids: list[int]) -> dict:
    """What the review page posts: levels and notes, the coaching notes and one next step."""
    data = {
        "csrfmiddlewaretoken": session.cookie("csrftoken"),
        "version": version,
        "coaching_notes": "Talked through the school site data.",
        "step-TOTAL_FORMS": "1",
        "step-INITIAL_FORMS": "0",
        "step-0-text": "Monthly check-in with the principal.",
    }
    data.update({f"supervisor_level_{i}": random.randint(1, 3) for i in ids})
    data.update({f"note_{i}": "Seen in practice." for i in ids})
    return data


def coordinator(number: int, session: Session, start, ledger: dict):
    """Fills in the matrix as the page does: the page loads once, each change is saved in
    the background (JSON, the version from each answer going into the next), now and then
    the person presses "Save draft" (the page reloads), and a few seconds before the end
    they submit. After that they look at the read-only matrix and their growth page.
    ``number`` counts from 0: their account is demo-coordinator-<number + 1>."""
    number += 1
    logged_in = session.login(f"demo-coordinator-{number}@example.org", PASSWORD)
    deadline = start()
    if not logged_in:
        return
    status, page, _ = session.request("my growth", "/me/")
    links = ASSESSMENT_LINK.findall(page)
    if not links:
        return
    pk = int(links[0])
    url = f"/assessments/{pk}/"
    submit_after = deadline - random.uniform(5, 12) * PAUSE_SCALE
    saves, version, ids = 0, None, []
    while time.monotonic() < deadline:
        if version is None:
            status, page, _ = session.request("assessment page", url)
            if MATRIX_FORM not in page:
                # Submitted: no longer theirs to change.
                if not think(deadline):
                    break
                session.request("my growth", "/me/")
                if not think(deadline):
                    break
                continue
            version, ids = matrix_fields(page, "level_", "evidence_")
            if not think(deadline):
                break
        saves += 1
        token = f"load-{number}-{saves}"
        data, levels = self_data(session, version, ids, token)
        if saves % 5 == 0:
            status, _, _ = session.request("save draft (button)", url, data)
            saved, version = status == 302, None  # the page reloads after the redirect
        else:
            status, body, _ = session.request("save draft (background)", f"{url}autosave/", data)
            saved = status == 200
            version = json.loads(body)["version"] if saved else None
        if saved:
            ledger.setdefault(pk, []).append((token, levels))
        if not think(deadline):
            break
        if time.monotonic() > submit_after:
            submit_after = float("inf")
            if version is None:
                status, page, _ = session.request("assessment page", url)
                version, _ = matrix_fields(page, "level_", "evidence_")
            if version:
                # Submitting sends the whole matrix, as the page's Submit button does.
                data["version"] = version
                status, _, _ = session.request("submit", f"/assessments/{pk}/submit/", data)
                if status == 302:
                    ledger.setdefault(pk, []).append((token, levels))
            version = None


def director(index: int, session: Session, start, ledger: dict):
    logged_in = session.login(f"demo-director-{index % 3 + 1}@example.org", PASSWORD)
    deadline = start()
    if not logged_in:
        return
    while time.monotonic() < deadline:
        session.request("team dashboard", "/dashboard/")
        if not think(deadline):
            break
        status, page, _ = session.request("my team", "/team/")
        reviews = REVIEW_LINK.findall(page)
        if not think(deadline):
            break
        if not reviews:
            continue
        review = random.choice(reviews)
        status, page, _ = session.request("review page", review)
        version, ids = matrix_fields(page, "supervisor_level_", "note_")
        if not think(deadline):
            break
        if version and ids and random.random() < 0.5:
            data = review_data(session, version, ids)
            # Another tab or a coordinator's recall may have moved it first: then the page
            # says so, listing the typed text (409), instead of finalizing (302); both are
            # correct answers.
            session.request(
                "finalize", review.replace("/review/", "/finalize/"), data, expect=(200, 302, 409)
            )
        if not think(deadline):
            break


def admin(index: int, session: Session, start, ledger: dict):
    """Looks at the overview and the organization page, and exports the whole organization as
    XLSX: past the size that is built in the background, they ask for it, watch the progress
    page (which reloads itself every few seconds) and download the file when it is ready."""
    logged_in = session.login("demo-admin@example.org", PASSWORD)
    deadline = start()
    if not logged_in:
        return
    while time.monotonic() < deadline:
        session.request("organization overview", "/overview/")
        if not think(deadline):
            break
        session.request("organization page", "/organization/")
        if not think(deadline):
            break
        if not export_organization(session, deadline):
            break
        if not think(deadline, 1, 2):
            break


def export_organization(session: Session, deadline: float) -> bool:
    """The whole organization as XLSX, at once or through the background export; False when
    the window closed meanwhile."""
    status, page, _ = session.request("export (xlsx)", "/dashboard/export.xlsx")
    if EXPORT_FORM not in page:
        return True  # small enough: the file itself came back
    if not think(deadline, 1, 2):
        return False
    data = {"csrfmiddlewaretoken": session.cookie("csrftoken")}
    status, _, location = session.request("export (start)", "/dashboard/export.xlsx", data)
    if status != 302 or not location:
        return True
    job_page = urlsplit(location).path
    while True:
        if not think(deadline, 3, 3):
            return False
        status, page, _ = session.request("export progress page", job_page)
        link = DOWNLOAD_LINK.search(page)
        if link:
            session.request("export download", link.group(1))
            return True
        if status != 200 or "Your export failed" in page:
            return True


def rehearse_coordinator(number: int, session: Session) -> bool:
    """Before the window (load/run.py warms the servers): coordinator ``number``, who is none
    of the window's people, saves their current matrix in the background, with the button,
    and submits it, at once. Whether they submitted."""
    if not session.login(f"demo-coordinator-{number}@example.org", PASSWORD):
        return False
    links = ASSESSMENT_LINK.findall(session.request(WARM_UP, "/me/")[1])
    if not links:
        return False
    url = f"/assessments/{links[0]}/"
    version, ids = matrix_fields(session.request(WARM_UP, url)[1], "level_", "evidence_")
    if not version or not ids:
        return False  # submitted already: no longer theirs to change
    data, _ = self_data(session, version, ids, f"warm-up-{number}")
    status, body, _ = session.request(WARM_UP, f"{url}autosave/", data)
    if status != 200:
        return False
    data["version"] = json.loads(body)["version"]
    if session.request(WARM_UP, url, data)[0] != 302:
        return False
    data["version"], _ = matrix_fields(session.request(WARM_UP, url)[1], "level_", "evidence_")
    return session.request(WARM_UP, f"{url}submit/", data)[0] == 302


def rehearse_director(number: int, session: Session) -> bool:
    """Before the window: director ``number``, none of the window's, opens their dashboard and
    team and finalizes the first review they may. Whether they finalized one."""
    if not session.login(f"demo-director-{number}@example.org", PASSWORD):
        return False
    session.request(WARM_UP, "/dashboard/")
    for review in REVIEW_LINK.findall(session.request(WARM_UP, "/team/")[1]):
        version, ids = matrix_fields(
            session.request(WARM_UP, review)[1], "supervisor_level_", "note_"
        )
        if version and ids:
            finalize = review.replace("/review/", "/finalize/")
            data = review_data(session, version, ids)
            return session.request(WARM_UP, finalize, data)[0] == 302
    return False


# 50 people: 36 coordinators, 8 director sessions, 6 admin sessions.
def role_of(index: int):
    """Who person ``index`` is, and their number (a coordinator's account is number + 1).
    Coordinators take the demo's accounts in order, passing over the people who left the
    organization (their accounts no longer log in)."""
    slot = index % 25
    role = coordinator if slot < 18 else director if slot < 22 else admin
    if role is not coordinator:
        return role, index
    number = (index // 25) * 18 + slot
    for leaver in sorted(LEAVERS):
        if number >= leaver:
            number += 1
    return role, number


def coordinator_accounts(users: int) -> int:
    """How many coordinator accounts the demo needs for ``users`` people to each log in with
    one of their own."""
    return max(
        (number + 1 for role, number in map(role_of, range(users)) if role is coordinator),
        default=0,
    )


def verify(env: dict, ledger: dict) -> int:
    """Count acknowledged saves whose text is not what the database holds at the end."""
    lost = 0
    with database(env["DATABASE_URL"]) as connection, connection.cursor() as cursor:
        for pk, saves in ledger.items():
            token, levels = saves[-1]
            cursor.execute(
                "SELECT indicator_id, self_level, self_evidence FROM assessments_rating "
                "WHERE assessment_id = %s",
                [pk],
            )
            stored = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
            for indicator_id, level in levels.items():
                expected = (level, f"{token} evidence for indicator {indicator_id}")
                if stored.get(indicator_id) != expected:
                    lost += 1
    return lost


def background_tasks(env: dict) -> dict[str, int]:
    """How the emails queued during the run ended: SUCCESSFUL, FAILED, or still READY."""
    with database(env["DATABASE_URL"]) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
        )
        return dict(cursor.fetchall())
